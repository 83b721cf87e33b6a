"""The public site's tables. Decisions are the registers' own tables (decisions.tables)
with links to the public pages: what an anonymous reader sees of an exempt row, and
how it sorts, is still decisions.visibility's (the tables' ``user`` is anonymous)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from contracts.models import Contract
from decisions import visibility
from decisions.tables import DecisionTable
from grants.models import OutboundGrant
from ui.tables import Table
from ui.templatetags.ui import money, uk_date


def _decision_url(record) -> str:
    return reverse("public:decision", args=[record.authority_id, record.pk])


class PublicDecisionTable(DecisionTable):
    number = tables.Column(linkify=_decision_url, attrs={"td": {"class": "app-nowrap"}})
    title = tables.Column(verbose_name="Subject", linkify=_decision_url)

    class Meta(DecisionTable.Meta):
        sequence = (
            "number",
            "title",
            "decision_maker",
            "decision_date",
            "decision_type",
            "classification",
            "status",
        )
        exclude = ("authority", "is_key_decision")


class PublicForwardPlanTable(PublicDecisionTable):
    """Regulation 9's contents: the matter, the decision maker, the date, and that it
    is to be taken in private; the documents are on each decision's page."""

    class Meta(PublicDecisionTable.Meta):
        sequence = ("decision_date", "number", "title", "decision_maker", "classification")
        exclude = ("authority", "is_key_decision", "decision_type", "status")

    public_fields = visibility.FORWARD_PLAN_FIELDS

    def render_decision_maker(self, value, record):
        if not visibility.shows(record, self.user, "decision_maker", self.public_fields):
            return "–"
        role = record.decision_maker_role
        if not role:
            return value
        return format_html("{}<br><span class='govuk-hint'>{}</span>", value, role)


class PublicContractTable(Table):
    """The contracts register in the Local Government Transparency Code 2015's fields."""

    reference = tables.Column(attrs={"td": {"class": "app-nowrap"}})
    title = tables.Column()
    description = tables.Column(orderable=False)
    supplier = tables.Column(accessor="provider__name", verbose_name="Supplier", default="–")
    start_date = tables.Column(verbose_name="Start")
    end_date = tables.Column(accessor="stored__current_end", verbose_name="End")
    value = tables.Column(
        accessor="stored__whole_life_value",
        verbose_name="Value (whole life)",
        attrs={"td": {"class": "app-nowrap"}},
    )

    class Meta:
        model = Contract
        fields = ()
        sequence = ("reference", "title", "description", "supplier", "start_date", "end_date")
        attrs = {"class": "govuk-table"}

    def render_start_date(self, value):
        return uk_date(value)

    def render_end_date(self, value):
        return uk_date(value)

    def render_value(self, value):
        return money(value)


class PublicGrantTable(Table):
    reference = tables.Column(attrs={"td": {"class": "app-nowrap"}})
    title = tables.Column()
    recipient_name = tables.Column(verbose_name="Recipient")
    amount = tables.Column(verbose_name="Amount awarded", attrs={"td": {"class": "app-nowrap"}})
    award_date = tables.Column(verbose_name="Awarded", attrs={"td": {"class": "app-nowrap"}})
    programme = tables.Column(accessor="programme__name", verbose_name="Programme")

    class Meta:
        model = OutboundGrant
        fields = ()
        attrs = {"class": "govuk-table"}

    def render_amount(self, value):
        return money(value)

    def render_award_date(self, value):
        return uk_date(value)
