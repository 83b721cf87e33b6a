import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from contracts import rules
from contracts.models import Authority, Provider
from ui import exports
from ui.tables import Table

# Tables have no room for the full labels.
SHORT_TYPES = {
    Provider.Type.VCSE: "VCSE",
    Provider.Type.NHS: "NHS",
    Provider.Type.COMPANY: "Company",
    Provider.Type.LOCAL_AUTHORITY: "Local authority",
    Provider.Type.OTHER: "Other",
}


class AuthorityTable(Table):
    name = tables.Column(linkify=True)
    short_name = tables.Column(verbose_name="Short name")
    key_decision_threshold = tables.Column(
        verbose_name="Key decision above", attrs={"td": {"class": "app-num"}}
    )
    call_in_working_days = tables.Column(verbose_name="Call-in (working days)")
    decision_number_prefix = tables.Column(verbose_name="Number prefix")
    nation = tables.Column(verbose_name="Bank holidays")

    class Meta:
        model = Authority
        fields = (
            "name",
            "short_name",
            "key_decision_threshold",
            "call_in_working_days",
            "decision_number_prefix",
            "nation",
        )
        attrs = {"class": "govuk-table"}

    def render_key_decision_threshold(self, value):
        return rules.format_money(value)

    def value_key_decision_threshold(self, value):
        return exports.money(value)


class ProviderTable(Table):
    name = tables.Column(linkify=True)
    provider_type = tables.Column(verbose_name="Type")
    is_sme = tables.BooleanColumn(verbose_name="SME", yesno="Yes,No")
    is_vcse = tables.BooleanColumn(verbose_name="VCSE", yesno="Yes,No")

    def render_provider_type(self, record):
        return SHORT_TYPES.get(record.provider_type, record.get_provider_type_display())

    class Meta:
        model = Provider
        fields = (
            "name",
            "provider_type",
            "charity_number",
            "company_number",
            "postcode",
            "is_sme",
            "is_vcse",
        )
        attrs = {"class": "govuk-table"}


class MoneyColumn(tables.Column):
    """Money right-aligned as £1,234.56 on the page, a plain 1234.56 in exports."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"th": {"class": "app-num"}, "td": {"class": "app-num"}})
        super().__init__(*args, **kwargs)

    def render(self, value):
        return rules.format_money(value)

    def value(self, value):
        return exports.money(value)


class DateColumn(tables.Column):
    def render(self, value):
        return f"{value.day} {value:%B %Y}"

    def value(self, value):
        return value  # a date: ISO 8601 in CSV, a date cell in XLSX


STATUS_TAGS = {
    rules.LIVE: "govuk-tag--green",
    rules.IN_EXTENSION: "govuk-tag--turquoise",
    rules.PIPELINE: "govuk-tag--blue",
    rules.IN_PROCUREMENT: "govuk-tag--blue",
    rules.STANDSTILL: "govuk-tag--yellow",
    rules.EXPIRED: "govuk-tag--grey",
    rules.TERMINATED: "govuk-tag--red",
}


# Headings shortened on the page so that the figures fit beside the contract.
EXPORT_HEADINGS = {"Lead": "Lead authority", "Stated value": "Stated value check"}


def _ordered(*fields: str, tie: str = "reference"):
    """Order by ``fields``, ties broken by ``tie`` (unique), both one way round."""
    return (*fields, tie)


class ContractTable(Table):
    """The register. Rows are contracts from ``Contract.objects.for_register(today)``: the
    stored figures joined (contracts.figures writes them) and the status annotated, so
    every column reads a column and every sort is an ``ORDER BY``. Hidden columns are
    in the CSV and XLSX downloads but not on narrow screens."""

    # On the page the reference and title share a column, so the figures fit beside
    # them; the downloads have them apart.
    contract = tables.Column(
        accessor="reference",
        verbose_name="Contract",
        order_by=("reference",),
        exclude_from_export=True,
    )
    reference = tables.Column(accessor="reference", visible=False, order_by=("reference",))
    title = tables.Column(accessor="title", visible=False, order_by=_ordered("title"))
    provider = tables.Column(
        accessor="provider__name",
        verbose_name="Provider",
        visible=False,
        order_by=_ordered("provider__name"),
    )
    lead_authority = tables.Column(
        accessor="lead_authority__name",
        verbose_name="Lead",
        order_by=_ordered("lead_authority__name"),
    )
    service_area = tables.Column(
        accessor="get_service_area_display",
        verbose_name="Service area",
        visible=False,
        order_by=_ordered("service_area_order"),
    )
    procurement_route = tables.Column(
        accessor="get_procurement_route_display",
        verbose_name="Route",
        visible=False,
        order_by=_ordered("procurement_route_order"),
    )
    # Shown under the current end on the page, to leave room for the figures.
    status = tables.Column(
        accessor="status", verbose_name="Status", visible=False, order_by=_ordered("status")
    )
    start_date = DateColumn(
        accessor="start_date",
        verbose_name="Start",
        visible=False,
        order_by=_ordered("start_date", tie="pk"),
    )
    current_end = DateColumn(
        accessor="stored__current_end",
        verbose_name="Current end",
        order_by=_ordered("stored__current_end", tie="pk"),
    )
    maximum_end = DateColumn(
        accessor="stored__maximum_end",
        verbose_name="Maximum end",
        visible=False,
        order_by=_ordered("stored__maximum_end", tie="pk"),
    )
    annual_value = MoneyColumn(
        accessor="annual_value",
        verbose_name="Annual value",
        order_by=_ordered("annual_value", tie="pk"),
    )
    annual_shares = tables.Column(
        accessor="stored_shares",
        verbose_name="Annual value by authority",
        orderable=False,
        visible=False,
    )
    whole_life_value = MoneyColumn(
        accessor="stored__whole_life_value",
        verbose_name="Whole-life value",
        order_by=_ordered("stored__whole_life_value", tie="pk"),
    )
    reconciliation = tables.Column(
        accessor="stored__reconciliation_label",
        verbose_name="Stated value",
        default="",
        order_by=_ordered("stored__reconciliation_state"),
    )

    class Meta:
        attrs = {"class": "govuk-table app-register"}
        order_by = "contract"

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def render_current_end(self, value, record):
        """The current end, the status, and the time left while there is some."""
        remaining = rules.time_remaining(self.today, value)
        return format_html(
            '{}<br><strong class="govuk-tag {}">{}</strong>{}',
            f"{value.day}\u00a0{value:%b}\u00a0{value.year}",
            STATUS_TAGS.get(record.status, "govuk-tag--grey"),
            status_label(record.status),
            format_html('<br><span class="govuk-body-s">{} left</span>', remaining)
            if remaining != "ended"
            else "",
        )

    def value_current_end(self, value):
        return value  # a date: ISO 8601 in CSV, a date cell in XLSX

    def as_values(self, exclude_columns=None):
        """The downloads: as on the page, with the headings the page shortens in full."""
        rows = super().as_values(exclude_columns)
        yield [EXPORT_HEADINGS.get(h, h) for h in next(rows)]
        yield from rows

    def render_contract(self, value, record):
        """Reference, title and provider in one cell, so the figures fit beside it."""
        provider = record.provider
        return format_html(
            '<a class="govuk-link" href="{}">{}</a><br>{}<br><span class="govuk-hint '
            'govuk-!-font-size-16 govuk-!-margin-bottom-0">{}</span>',
            record.get_absolute_url(),
            value,
            record.title,
            f"Provider: {provider.name}" if provider else "Provider not recorded",
        )

    def render_lead_authority(self, value, record):
        short = record.lead_authority.short_name
        if not short:
            return value
        return format_html('<abbr title="{}">{}</abbr>', value, short)

    def value_lead_authority(self, value):
        return value

    def render_annual_value(self, value, record):
        """The annual value, then each authority's share of it when it is shared
        (Northamptonshire's 48.6% / 51.4%), from the stored figures."""
        shares = record.stored_shares.all()
        if len(shares) < 2:
            return rules.format_money(value)
        lines = format_html_join(
            "",
            '<br><span class="govuk-body-s app-nowrap">{}\u00a0{}</span>',
            (
                (s.authority.short_name or s.authority.name, rules.format_money(s.annual))
                for s in shares
            ),
        )
        return format_html("{}{}", rules.format_money(value), lines)

    def value_annual_value(self, value):
        return exports.money(value)

    def value_annual_shares(self, value, record):
        return ";".join(f"{s.authority.name}={s.annual:.2f}" for s in value.all())

    def render_status(self, value, record):
        return format_html(
            '<strong class="govuk-tag {}">{}</strong>',
            STATUS_TAGS.get(value, "govuk-tag--grey"),
            status_label(value),
        )

    def value_status(self, value):
        return status_label(value)

    def value_reconciliation(self, value):
        return value  # "ok", "mismatch: stated X, computed Y" or "" (the CSV format's)

    def render_reconciliation(self, value, record):
        if value == "ok":
            return "Agrees"
        return format_html(
            '<strong class="govuk-tag govuk-tag--red">Mismatch</strong> '
            '<span class="govuk-body-s">stated {}, computed {}</span>',
            rules.format_money(record.stored.reconciliation_stated),
            rules.format_money(record.stored.original_whole_life_value),
        )


def status_label(status: str) -> str:
    """ "in_extension" → "In extension", as contracts.figures labels a status."""
    return status.replace("_", " ").capitalize()


def register_rows(queryset, today):
    """``queryset`` as the register reads it (``ContractQuerySet.for_register``)."""
    return queryset.for_register(today)
