import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from grants.models import (
    ContractFunding,
    Funder,
    GrantAllocation,
    GrantCommitment,
    OutboundGrant,
)
from ui import exports
from ui.money import format_money
from ui.tables import Table

NUM = {"th": {"class": "app-num"}, "td": {"class": "app-num"}}
NUM_NOWRAP = {"th": {"class": "app-num"}, "td": {"class": "app-num app-nowrap"}}


def _money(value) -> str:
    return format_money(value)


class AllocationTable(Table):
    programme = tables.Column(
        verbose_name="Grant", linkify=True, order_by=("programme__name", "financial_year")
    )
    funder = tables.Column(accessor="programme__funder__name", verbose_name="Funder")
    authority = tables.Column(verbose_name="Host or recipient", order_by="authority__name")
    financial_year = tables.Column(verbose_name="Year")
    amount = tables.Column(verbose_name="Amount", attrs=NUM_NOWRAP)
    committed = tables.Column(verbose_name="Committed", attrs=NUM_NOWRAP)
    uncommitted_amount = tables.Column(verbose_name="Uncommitted", attrs=NUM_NOWRAP)
    status = tables.Column()
    shares = tables.Column(empty_values=(), orderable=False, verbose_name="Shares")

    class Meta:
        model = GrantAllocation
        fields = (
            "programme",
            "funder",
            "authority",
            "financial_year",
            "amount",
            "committed",
            "uncommitted_amount",
            "status",
            "shares",
        )
        attrs = {"class": "govuk-table"}
        caption = "Grant allocations"

    def render_programme(self, record):
        return record.programme.label

    def render_funder(self, record):
        # The short name ("OHID") keeps the column narrow; the export has the full name.
        funder = record.programme.funder
        if funder.short_name:
            return format_html('<abbr title="{}">{}</abbr>', funder.name, funder.short_name)
        return funder.name

    def value_funder(self, record):
        return record.programme.funder.name

    def render_authority(self, record):
        authority = record.authority
        if authority.short_name:
            return format_html('<abbr title="{}">{}</abbr>', authority.name, authority.short_name)
        return authority.name

    def value_authority(self, record):
        return record.authority.name

    def value_programme(self, record):
        return record.programme.name

    def render_financial_year(self, record):
        return record.period_label

    def value_financial_year(self, record):
        return record.period_label

    def render_amount(self, value):
        return _money(value)

    def render_committed(self, value):
        return _money(value)

    def render_uncommitted_amount(self, value):
        if value < 0:
            return format_html(
                '<strong class="app-flag app-flag--warning">{}</strong>', _money(value)
            )
        return _money(value)

    def value_amount(self, value):
        return exports.money(value)

    def value_committed(self, value):
        return exports.money(value)

    def value_uncommitted_amount(self, value):
        return exports.money(value)

    def render_shares(self, record):
        shares = [
            (
                share.authority.short_name or share.authority.name,
                f"{share.percentage.normalize():f}",
            )
            for share in record.shares.all()
        ]
        if not shares:
            return "–"
        return format_html_join(mark_safe("<br>"), '<span class="app-nowrap">{} {}%</span>', shares)

    def value_shares(self, record):
        return "; ".join(str(share) for share in record.shares.all())


class OutboundGrantTable(Table):
    recipient_name = tables.Column(verbose_name="Recipient", linkify=True)
    title = tables.Column()
    programme = tables.Column(
        verbose_name="Programme", order_by="programme__name", accessor="programme__name"
    )
    amount = tables.Column(verbose_name="Amount", attrs=NUM)
    award_date = tables.Column(verbose_name="Awarded")
    giving_id = tables.Column(verbose_name="360Giving id", accessor="giving_id", orderable=False)

    class Meta:
        model = OutboundGrant
        fields = ("recipient_name", "title", "programme", "amount", "award_date", "giving_id")
        attrs = {"class": "govuk-table"}
        caption = "Grants awarded"

    def render_amount(self, value):
        return _money(value)

    def value_amount(self, value):
        return exports.money(value)

    def render_award_date(self, value):
        return f"{value.day} {value:%B %Y}"

    def value_award_date(self, value):
        return value  # a date: ISO 8601 in CSV, a date cell in XLSX


class CommitmentTable(Table):
    allocation = tables.Column(
        verbose_name="Grant",
        linkify=lambda record: record.allocation.get_absolute_url(),
        order_by=("allocation__programme__name", "allocation__financial_year"),
    )
    funder = tables.Column(accessor="allocation__programme__funder__name", verbose_name="Funder")
    # Notes go in the downloads only: on the page they would make every row tall.
    notes = tables.Column(visible=False)
    recipient = tables.Column(
        verbose_name="Committed to",
        empty_values=(),
        order_by=("contract__reference", "service_name"),
    )
    financial_year = tables.Column(verbose_name="Year")
    amount = tables.Column(verbose_name="Amount", attrs=NUM_NOWRAP)

    class Meta:
        model = GrantCommitment
        fields = ("allocation", "funder", "recipient", "financial_year", "amount", "notes")
        attrs = {"class": "govuk-table"}
        caption = "Grant commitments"

    def render_allocation(self, record):
        allocation = record.allocation
        return f"{allocation.programme.label} {allocation.period_label} – {allocation.authority}"

    def value_allocation(self, record):
        return str(record.allocation)

    def render_funder(self, record):
        funder = record.allocation.programme.funder
        if funder.short_name:
            return format_html('<abbr title="{}">{}</abbr>', funder.name, funder.short_name)
        return funder.name

    def render_recipient(self, record):
        if record.contract_id:
            return format_html(
                '<a class="govuk-link" href="{}">{}</a>',
                record.contract.get_absolute_url(),
                record.contract,
            )
        return record.service_name

    def value_recipient(self, record):
        return record.recipient_label

    def render_amount(self, value):
        return _money(value)

    def value_amount(self, value):
        return exports.money(value)


class FundingTable(Table):
    contract = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by="contract__reference"
    )
    financial_year = tables.Column(verbose_name="Year")
    source = tables.Column()
    notes = tables.Column(visible=False)
    payer = tables.Column(
        verbose_name="Paid by", empty_values=(), order_by=("authority__name", "contributor")
    )
    amount = tables.Column(verbose_name="Amount", attrs=NUM_NOWRAP)

    class Meta:
        model = ContractFunding
        fields = ("contract", "financial_year", "source", "payer", "amount", "notes")
        attrs = {"class": "govuk-table"}
        caption = "Contract funding lines"

    def render_payer(self, record):
        if record.source == ContractFunding.Source.CONTRIBUTION:
            return record.contributor
        return record.authority.name if record.authority_id else "–"

    def value_payer(self, record):
        if record.source == ContractFunding.Source.CONTRIBUTION:
            return record.contributor
        return record.authority.name if record.authority_id else ""

    def render_amount(self, value):
        return _money(value)

    def value_amount(self, value):
        return exports.money(value)


class FunderTable(Table):
    name = tables.Column(linkify=True)
    short_name = tables.Column(verbose_name="Short name")
    kind = tables.Column()
    allocations = tables.Column(verbose_name="Allocations", attrs=NUM)
    total = tables.Column(verbose_name="Allocated", attrs=NUM_NOWRAP)

    class Meta:
        model = Funder
        fields = ("name", "short_name", "kind", "allocations", "total")
        attrs = {"class": "govuk-table"}
        caption = "Funders"

    def render_total(self, value):
        return _money(value)

    def value_total(self, value):
        return exports.money(value)
