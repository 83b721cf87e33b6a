"""Outbound grants in the 360Giving Data Standard 1.4 (JSON package and CSV).

The JSON is checked in the tests against the official schema vendored in
grants/schemas/360giving-1.4.3/. The CSV uses the standard's column titles
("Identifier", "Recipient Org:Charity Number") so 360Giving's tools read it as is.
"""

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from grants import rules
from grants.models import OutboundGrant

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "360giving-1.4.3"
VERSION = "1.4"
CURRENCY = "GBP"


def recipient_id(grant: OutboundGrant) -> str:
    fallback = rules.giving_id(grant.programme.giving_prefix, f"org-{grant.pk}")
    return rules.organisation_id(
        charity_number=grant.recipient_charity_number,
        company_number=grant.recipient_company_number,
        fallback=fallback,
    )


def _modified(value: datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds")


def grant_record(grant: OutboundGrant) -> dict:
    """One grant as a 360Giving JSON object (programme and authority selected)."""
    programme = grant.programme
    recipient = {"id": recipient_id(grant), "name": grant.recipient_name}
    if grant.recipient_charity_number:
        recipient["charityNumber"] = grant.recipient_charity_number
    if grant.recipient_company_number:
        recipient["companyNumber"] = grant.recipient_company_number
    record = {
        "id": grant.giving_id,
        "title": grant.title,
        "description": grant.purpose,
        "currency": CURRENCY,
        "amountAwarded": rules.amount_for_json(grant.amount),
        "awardDate": grant.award_date.isoformat(),
        "recipientOrganization": [recipient],
        "fundingOrganization": [{"id": programme.funder_org_id, "name": programme.authority.name}],
        "grantProgramme": [{"code": programme.code or str(programme.pk), "title": programme.name}],
        "dateModified": _modified(grant.updated_at),
    }
    if grant.start_date or grant.end_date:
        dates = {}
        if grant.start_date:
            dates["startDate"] = grant.start_date.isoformat()
        if grant.end_date:
            dates["endDate"] = grant.end_date.isoformat()
        record["plannedDates"] = [dates]
    if grant.location:
        record["beneficiaryLocation"] = [{"name": grant.location}]
    return record


def published_grants(authority=None):
    """The grants a council's 360Giving file lists (every council's without one), in the
    order they were awarded."""
    grants = OutboundGrant.objects.with_related().order_by("award_date", "pk")
    if authority is not None:
        grants = grants.filter(programme__authority=authority)
    return grants


def package(grants: Iterable[OutboundGrant]) -> dict:
    """A 360Giving data package: {"grants": [...]} with the version it follows."""
    return {"version": VERSION, "grants": [grant_record(g) for g in grants]}


CSV_COLUMNS = (
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Recipient Org:Company Number",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Beneficiary Location:Name",
    "Last Modified",
)


def csv_rows(grants: Iterable[OutboundGrant]) -> list[list[str]]:
    rows = [list(CSV_COLUMNS)]
    for grant in grants:
        programme = grant.programme
        rows.append(
            [
                grant.giving_id,
                grant.title,
                grant.purpose,
                CURRENCY,
                f"{grant.amount:.2f}",
                grant.award_date.isoformat(),
                grant.start_date.isoformat() if grant.start_date else "",
                grant.end_date.isoformat() if grant.end_date else "",
                recipient_id(grant),
                grant.recipient_name,
                grant.recipient_charity_number,
                grant.recipient_company_number,
                programme.funder_org_id,
                programme.authority.name,
                programme.code or str(programme.pk),
                programme.name,
                grant.location,
                _modified(grant.updated_at),
            ]
        )
    return rows
