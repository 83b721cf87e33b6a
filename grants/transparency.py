"""The Local Government Transparency Code 2015, part 2: grants to voluntary, community
and social enterprise (VCSE) organisations, published every year.

The Code asks, for each grant: the date it was awarded, the time period it is for, the
department awarding it, the beneficiary and its registration number, a summary of its
purpose and the amount. The grants here are those a council awards under its own
programmes (``OutboundGrant``), which fund voluntary and community organisations, so
every one of them is in the file; a year's file holds the grants awarded in that
calendar year. Rows go through ui.exports (the formula guard), read in chunks.
"""

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet

from contracts import rules
from contracts.models import Authority
from contracts.transparency import DEPARTMENT
from grants.models import OutboundGrant
from ui import exports

COLUMNS = (
    "Reference",
    "Date awarded",
    "Start date",
    "End date",
    "Department",
    "Grant programme",
    "Beneficiary",
    "Beneficiary registration number",
    "Beneficiary charity number",
    "Beneficiary company number",
    "Title",
    "Purpose",
    "Amount",
    "Beneficiary location",
)
_YEAR = re.compile(r"^\d{4}$")


def year_bounds(label: str) -> tuple[date, date]:
    """1 January and 31 December of the year written ``label`` ("2026"); ValueError for
    any other text."""
    if not _YEAR.match(label.strip()) or int(label) < 1:
        raise ValueError(f'"{label}" is not a year: write it as 2026.')
    year = int(label)
    return date(year, 1, 1), date(year, 12, 31)


def grants(authority: Authority, year: str) -> QuerySet:
    """The authority's grants awarded in ``year``; ValueError for a label that is not one."""
    first, last = year_bounds(year)
    return (
        OutboundGrant.objects.with_related()
        .filter(programme__authority=authority, award_date__range=(first, last))
        .order_by("award_date", "pk")
    )


def registration_number(grant: OutboundGrant) -> str:
    """The number with its register, "GB-CHC-1166577"; empty for a group with neither."""
    found = rules.organisation_identifier(
        charity_number=grant.recipient_charity_number,
        company_number=grant.recipient_company_number,
    )
    return "-".join(found) if found else ""


def row(grant: OutboundGrant) -> list[Any]:
    return [
        grant.giving_id,
        grant.award_date,
        grant.start_date,
        grant.end_date,
        DEPARTMENT,
        grant.programme.name,
        grant.recipient_name,
        registration_number(grant),
        grant.recipient_charity_number,
        grant.recipient_company_number,
        grant.title,
        grant.purpose,
        exports.money(grant.amount),
        grant.location,
    ]


def rows(records: Iterable[OutboundGrant]) -> Iterator[list[Any]]:
    """The header, then a row per grant, read in chunks."""
    yield list(COLUMNS)
    for grant in exports.iterate(records):
        yield row(grant)


def filename(authority: Authority, year: str) -> str:
    return f"transparency-vcse-grants-{authority.pk}-{year}"
