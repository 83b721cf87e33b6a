"""The Local Government Transparency Code 2015, part 2: an authority's contracts over
£5,000, published every quarter.

The Code names what to publish for each contract: a reference, the title, the
department responsible, a description of the goods or services, the supplier's name
and registration number (charity or company), whether the supplier is a small or
medium-sized enterprise and/or a voluntary or community sector organisation, the start,
end and review dates, the total value and the VAT that cannot be recovered. Here:

- the department is derived, "Public Health" and the contract's service area (every
  contract here is public-health commissioning);
- the end date is the current end (after exercised options), as the register shows it,
  or the termination date; the end with every option taken is a column of its own;
- the review date is the notice deadline of the next pending option, when the contract
  has one: the date by which the council decides whether to extend;
- the total value is the whole-life value (the register's), with the authority's own
  share of it beside it for a contract shared between councils;
- non-recoverable VAT is not recorded: the column is there, empty.

A contract is in a quarter's file when it is in force on some day of the quarter
(started by its end, not ended nor terminated before its start), the authority leads
it or pays a share, and its whole-life value is over £5,000. Rows go through ui.exports
(the formula guard), read in chunks.
"""

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Q, QuerySet

from contracts import ocds, rules
from contracts.models import Authority, Contract
from ui import exports

DEPARTMENT = "Public Health"

COLUMNS = (
    "Reference",
    "Title",
    "Department",
    "Description",
    "Supplier name",
    "Supplier registration number",
    "SME",
    "VCSE",
    "Procurement route",
    "Start date",
    "End date",
    "End date if every option is taken",
    "Review date",
    "Total value",
    "Value for this authority",
    "Non-recoverable VAT",
)


def authority_named(name: str) -> Authority:
    """The authority with this name or short name (any case), for the commands."""
    found = list(
        Authority.objects.filter(Q(name__iexact=name.strip()) | Q(short_name__iexact=name.strip()))
    )
    if len(found) != 1:
        known = ", ".join(Authority.objects.values_list("name", flat=True)) or "none"
        problem = "No authority" if not found else "More than one authority"
        raise CommandError(f'{problem} is named "{name}". Authorities: {known}.')
    return found[0]


def contracts(authority: Authority, quarter: str) -> QuerySet:
    """The authority's contracts to publish for ``quarter`` ("2026-Q3"); ValueError for a
    label that is not a quarter."""
    first, last = rules.quarter_bounds(quarter)
    return (
        ocds.contracts(authority, today=last)
        .filter(
            start_date__lte=last,
            stored__current_end__gte=first,
            stored__whole_life_value__gt=rules.TRANSPARENCY_CONTRACT_THRESHOLD,
        )
        .exclude(terminated_on__lt=first)
    )


def registration_number(provider) -> str:
    """The number with the register it is in: "GB-CHC-1166577" or "GB-COH-02580377"."""
    if provider is None:
        return ""
    found = rules.organisation_identifier(
        charity_number=provider.charity_number, company_number=provider.company_number
    )
    return "-".join(found) if found else ""


def review_date(contract: Contract) -> date | None:
    option = contract.next_pending_option()
    return option.notice_deadline if option else None


def authority_share(contract: Contract, authority: Authority):
    for share in contract.stored_shares.all():
        if share.authority_id == authority.pk:
            return share.whole_life
    return None


def row(contract: Contract, authority: Authority) -> list[Any]:
    provider = contract.provider
    stored = contract.stored
    return [
        contract.reference,
        contract.title,
        f"{DEPARTMENT}: {contract.get_service_area_display()}",
        contract.description,
        provider.name if provider else "",
        registration_number(provider),
        provider.is_sme if provider else None,
        provider.is_vcse if provider else None,
        contract.get_procurement_route_display(),
        contract.start_date,
        contract.terminated_on or stored.current_end,
        stored.maximum_end,
        review_date(contract),
        exports.money(stored.whole_life_value),
        exports.money(authority_share(contract, authority)),
        None,
    ]


def rows(records: Iterable[Contract], authority: Authority) -> Iterator[list[Any]]:
    """The header, then a row per contract, read in chunks."""
    yield list(COLUMNS)
    for contract in exports.iterate(records):
        yield row(contract, authority)


def filename(authority: Authority, quarter: str) -> str:
    return f"transparency-contracts-{authority.pk}-{quarter}"
