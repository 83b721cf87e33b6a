import django_tables2 as tables
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
        return f"£{value:,.2f}"

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


class ContractTable(Table):
    """The register. Rows are ContractRow (a contract and its figures), so computed
    columns sort like stored ones and every figure comes from contracts.figures.
    Hidden columns are in the CSV and XLSX downloads but not on narrow screens."""

    # On the page the reference and title share a column, so the figures fit beside
    # them; the downloads have them apart.
    contract = tables.Column(
        accessor="contract__reference",
        verbose_name="Contract",
        order_by=("contract__reference",),
        exclude_from_export=True,
    )
    reference = tables.Column(accessor="contract__reference", visible=False)
    title = tables.Column(accessor="contract__title", visible=False)
    provider = tables.Column(
        accessor="contract__provider__name", verbose_name="Provider", visible=False
    )
    lead_authority = tables.Column(accessor="contract__lead_authority__name", verbose_name="Lead")
    service_area = tables.Column(
        accessor="contract__get_service_area_display", verbose_name="Service area", visible=False
    )
    procurement_route = tables.Column(
        accessor="contract__get_procurement_route_display", verbose_name="Route", visible=False
    )
    # Shown under the current end on the page, to leave room for the figures.
    status = tables.Column(accessor="figures__status_label", verbose_name="Status", visible=False)
    start_date = DateColumn(accessor="contract__start_date", verbose_name="Start", visible=False)
    current_end = DateColumn(accessor="figures__current_end", verbose_name="Current end")
    maximum_end = DateColumn(
        accessor="figures__maximum_end", verbose_name="Maximum end", visible=False
    )
    annual_value = MoneyColumn(accessor="contract__annual_value", verbose_name="Annual value")
    annual_shares = tables.Column(
        accessor="figures__shares",
        verbose_name="Annual value by authority",
        orderable=False,
        visible=False,
    )
    whole_life_value = MoneyColumn(
        accessor="figures__whole_life_value", verbose_name="Whole-life value"
    )
    reconciliation = tables.Column(
        accessor="reconciliation_label", verbose_name="Stated value", default=""
    )

    class Meta:
        attrs = {"class": "govuk-table app-register"}
        order_by = "contract"

    def render_current_end(self, value, record):
        """The current end, the status, and the time left while there is some."""
        remaining = record.figures.time_remaining
        return format_html(
            '{}<br><strong class="govuk-tag {}">{}</strong>{}',
            f"{value.day}\u00a0{value:%b}\u00a0{value.year}",
            STATUS_TAGS.get(record.figures.status, "govuk-tag--grey"),
            record.figures.status_label,
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
        provider = record.contract.provider
        return format_html(
            '<a class="govuk-link" href="{}">{}</a><br>{}<br><span class="govuk-hint '
            'govuk-!-font-size-16 govuk-!-margin-bottom-0">{}</span>',
            record.contract.get_absolute_url(),
            value,
            record.contract.title,
            f"Provider: {provider.name}" if provider else "Provider not recorded",
        )

    def render_lead_authority(self, value, record):
        short = record.contract.lead_authority.short_name
        if not short:
            return value
        return format_html('<abbr title="{}">{}</abbr>', value, short)

    def value_lead_authority(self, value):
        return value

    def render_annual_value(self, value, record):
        """The annual value, then each authority's share of it when it is shared
        (Northamptonshire's 48.6% / 51.4%), from the same rule as the detail page."""
        shares = record.figures.shares
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
        return ";".join(f"{s.authority.name}={s.annual:.2f}" for s in value)

    def render_status(self, value, record):
        return format_html(
            '<strong class="govuk-tag {}">{}</strong>',
            STATUS_TAGS.get(record.figures.status, "govuk-tag--grey"),
            value,
        )

    def value_reconciliation(self, value):
        return value  # "ok", "mismatch: stated X, computed Y" or "" (the CSV format's)

    def render_reconciliation(self, value, record):
        if value == "ok":
            return "Agrees"
        return format_html(
            '<strong class="govuk-tag govuk-tag--red">Mismatch</strong> '
            '<span class="govuk-body-s">stated {}, computed {}</span>',
            rules.format_money(record.figures.reconciliation.stated),
            rules.format_money(record.figures.reconciliation.computed),
        )
