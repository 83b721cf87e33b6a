import django_tables2 as tables
from django.utils.html import format_html

from psr import rules
from psr.models import AwardRecord
from ui.tables import Table


def _date(value) -> str:
    return f"{value:%d/%m/%Y}" if value else "–"


class AwardRecordTable(Table):
    contract = tables.Column(
        verbose_name="Contract", linkify=lambda record: record.get_absolute_url(),
        order_by=("contract__reference",),
    )  # fmt: skip
    title = tables.Column(accessor="contract__title", verbose_name="Title")
    authority = tables.Column(
        accessor="contract__lead_authority__name",
        verbose_name="Authority",
        order_by=("contract__lead_authority__name", "contract__reference"),
    )
    process = tables.Column(
        accessor="contract__procurement_route",
        verbose_name="Process",
        order_by=("contract__procurement_route", "contract__reference"),
    )
    provider_name = tables.Column(verbose_name="Provider")
    decision_makers = tables.Column(verbose_name="Decision-makers")
    awarded_on = tables.Column(verbose_name="Awarded on")
    standstill_end = tables.Column(empty_values=(), orderable=False, verbose_name="Standstill ends")

    class Meta:
        model = AwardRecord
        fields = (
            "contract",
            "title",
            "authority",
            "process",
            "provider_name",
            "decision_makers",
            "awarded_on",
            "standstill_end",
        )
        attrs = {"class": "govuk-table"}
        caption = "Award records"

    def render_contract(self, record):
        return record.contract.reference

    def value_contract(self, record):
        return record.contract.reference

    def render_process(self, record):
        return record.contract.get_procurement_route_display()

    def value_process(self, record):
        return record.contract.get_procurement_route_display()

    def render_awarded_on(self, value):
        return _date(value)

    def _standstill(self, record) -> rules.Standstill:
        return rules.standstill(
            record.contract.procurement_route,
            intention_notice_on=record.intention_notice_on,
            further_decision_on=record.further_decision_on,
            awarded_on=record.awarded_on,
        )

    def render_standstill_end(self, record):
        standstill = self._standstill(record)
        if not standstill.applies:
            return "Not applicable"
        if standstill.too_early:
            return format_html(
                '{} <strong class="govuk-tag govuk-tag--red">Awarded too early</strong>',
                _date(standstill.ends_on),
            )
        return _date(standstill.ends_on)

    def value_standstill_end(self, record):
        standstill = self._standstill(record)
        return standstill.ends_on if standstill.applies else None
