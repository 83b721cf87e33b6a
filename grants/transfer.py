"""CSV import and export of grant allocations.

Header: funder,programme,recipient_authority,financial_year,amount,status,shares,
conditions. Money is read by contracts.rules.parse_money ("£1,366,000", "£1.366m"),
shares as the contracts import writes them ("NNC=48.6%;WNC=51.4%"). An import is all
or nothing: every row is checked first and the file is refused, naming each bad row by
its line, unless all rows are good; then everything is written in one transaction.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum

from audit.utils import upsert
from contracts.models import Authority
from contracts.rules import MoneyError
from grants import rules, services
from grants.models import ZERO, Funder, GrantAllocation, GrantProgramme
from ui import exports
from ui.bounds import field_errors

HEADER = [
    "funder",
    "programme",
    "recipient_authority",
    "financial_year",
    "amount",
    "status",
    "shares",
    "conditions",
]
CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"
STATUSES = {choice.value: choice for choice in GrantAllocation.Status} | {
    choice.label.lower(): choice for choice in GrantAllocation.Status
}


@dataclass
class PlannedRow:
    line: int
    funder: str
    programme: str
    authority: Authority
    financial_year: str
    last_financial_year: str
    amount: Decimal
    status: str
    shares: dict[Authority, Decimal]
    conditions: str
    existing: GrantAllocation | None = None
    action: str = CREATE


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def count_create(self) -> int:
        return self.count(CREATE)

    @property
    def count_update(self) -> int:
        return self.count(UPDATE)

    @property
    def count_unchanged(self) -> int:
        return self.count(UNCHANGED)


class Authorities:
    """Authorities found by name or short name, ignoring case."""

    def __init__(self) -> None:
        self.by_key = {}
        for authority in Authority.objects.all():
            self.by_key[authority.name.casefold()] = authority
            if authority.short_name:
                self.by_key.setdefault(authority.short_name.casefold(), authority)

    def get(self, text: str) -> Authority | None:
        return self.by_key.get(text.strip().casefold())


def _funder(name: str) -> Funder | None:
    """A funder by name or short name ("OHID"), ignoring case."""
    return Funder.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name)).first()


def _programme(funder: Funder | None, programme_name: str) -> GrantProgramme | None:
    if funder is None:
        return None
    return (
        GrantProgramme.objects.filter(funder=funder)
        .filter(Q(name__iexact=programme_name) | Q(short_name__iexact=programme_name))
        .first()
    )


def _period(text: str) -> tuple[str, str]:
    first, _, last = (part.strip() for part in text.partition(" to "))
    for label in (first, last):
        if label and (error := rules.financial_year_error(label)):
            raise ValueError(error[0].lower() + error[1:].rstrip("."))
    if last and last < first:
        raise ValueError("the last financial year is before the first")
    return first, ("" if last == first else last)


def _read_row(number: int, raw: dict, authorities: Authorities) -> PlannedRow:
    values = {key: (raw.get(key) or "").strip() for key in HEADER}
    for key in ("funder", "programme", "recipient_authority", "financial_year", "amount"):
        if not values[key]:
            raise ValueError(f"{key} is empty")
    authority = authorities.get(values["recipient_authority"])
    if authority is None:
        raise ValueError(f'there is no authority called "{values["recipient_authority"]}"')
    first, last = _period(values["financial_year"])
    try:
        amount = rules.parse_amount(values["amount"])
    except MoneyError as error:
        raise ValueError(str(error).rstrip(".")) from error
    status = STATUSES.get((values["status"] or "indicative").lower())
    if status is None:
        raise ValueError(f'status "{values["status"]}" must be indicative or confirmed')
    shares = {}
    for who, percent in rules.parse_shares(values["shares"]):
        share_authority = authorities.get(who)
        if share_authority is None:
            raise ValueError(f'the shares name "{who}", which is not an authority')
        shares[share_authority] = percent
    # The models' own validation (ui.bounds: money, lengths, control characters), so
    # the import refuses what the forms refuse before anything is written.
    errors = [f"funder {e}" for e in field_errors(Funder, {"name": values["funder"]})]
    errors += [
        f"programme {e}" for e in field_errors(GrantProgramme, {"name": values["programme"]})
    ]
    errors += field_errors(GrantAllocation, {"amount": amount, "conditions": values["conditions"]})
    if errors:
        raise ValueError(errors[0])
    return PlannedRow(
        line=number,
        funder=values["funder"],
        programme=values["programme"],
        authority=authority,
        financial_year=first,
        last_financial_year=last,
        amount=amount,
        status=status.value,
        shares=shares,
        conditions=values["conditions"],
    )


def _action(row: PlannedRow) -> str:
    existing = row.existing
    if existing is None:
        return CREATE
    same = (
        existing.amount == row.amount
        and existing.status == row.status
        and existing.conditions == row.conditions
        and existing.last_financial_year == row.last_financial_year
        and {s.authority_id: s.percentage for s in existing.shares.all()}
        == {a.pk: p for a, p in row.shares.items()}
    )
    return UNCHANGED if same else UPDATE


def _numbered(reader: csv.DictReader):
    """(line, row) for each row, then (line, None) if the csv module refuses one (a cell
    over its field size limit, or a NUL byte in some Python versions)."""
    while True:
        before = reader.line_num
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield before + 1, None
            return
        yield reader.line_num, raw


def plan_import(text: str) -> ImportPlan:
    """Check every row of a CSV file and say what importing it would do."""
    plan = ImportPlan()
    reader = csv.DictReader(io.StringIO(text))
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error:
        plan.errors.append("line 1: the header cannot be read as CSV")
        return plan
    header = [name.strip().lower() for name in fieldnames]
    missing = [name for name in HEADER if name not in header]
    if missing:
        plan.errors.append(
            f"line 1: the header must be {','.join(HEADER)} (missing: {', '.join(missing)})"
        )
        return plan
    reader.fieldnames = header
    authorities = Authorities()
    seen: dict[tuple, int] = {}
    for number, raw in _numbered(reader):
        if raw is None:
            plan.errors.append(
                f"line {number}: the row cannot be read as CSV (a cell is too long "
                "or holds a control character)"
            )
            break
        # Our export quotes cells that begin like a formula; reading back takes it off.
        raw = {k: exports.restore(v) if isinstance(v, str) else v for k, v in raw.items()}
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue
        try:
            row = _read_row(number, raw, authorities)
        except ValueError as error:
            plan.errors.append(f"line {number}: {error}")
            continue
        key = (
            row.funder.casefold(),
            row.programme.casefold(),
            row.authority.pk,
            row.financial_year,
        )
        if key in seen:
            plan.errors.append(f"line {number}: repeats the allocation on line {seen[key]}")
            continue
        seen[key] = number
        programme = _programme(_funder(row.funder), row.programme)
        if programme is not None:
            row.existing = (
                GrantAllocation.objects.filter(
                    programme=programme, authority=row.authority, financial_year=row.financial_year
                )
                .prefetch_related("shares")
                .first()
            )
        if row.existing is not None:
            committed = row.existing.commitments.aggregate(t=Sum("amount"))["t"] or ZERO
            if error := rules.allocation_amount_error(row.amount, committed):
                plan.errors.append(f"line {number}: {error}")
                continue
        row.action = _action(row)
        plan.rows.append(row)
    if not plan.rows and not plan.errors:
        plan.errors.append("line 2: the file has no allocations in it")
    return plan


REASON = "Imported from a CSV file"


def apply_import(plan: ImportPlan, *, reason: str = REASON) -> dict[str, int]:
    """Write a checked plan, all in one transaction. Returns counts by action."""
    if not plan.ok:
        raise ValueError("This import has errors, so nothing can be imported.")
    with transaction.atomic():
        for row in plan.rows:
            if row.action == UNCHANGED:
                continue
            funder = _funder(row.funder)
            if funder is None:
                funder, _ = upsert(Funder, {"name": row.funder}, {}, reason=reason)
            programme = _programme(funder, row.programme)
            if programme is None:
                programme, _ = upsert(
                    GrantProgramme, {"funder": funder, "name": row.programme}, {}, reason=reason
                )
            allocation = GrantAllocation.objects.filter(
                programme=programme, authority=row.authority, financial_year=row.financial_year
            ).first() or GrantAllocation(
                programme=programme, authority=row.authority, financial_year=row.financial_year
            )
            allocation.last_financial_year = row.last_financial_year
            allocation.amount = row.amount
            allocation.status = row.status
            allocation.conditions = row.conditions
            services.save_allocation(allocation=allocation, shares=row.shares, reason=reason)
    return {action: plan.count(action) for action in (CREATE, UPDATE, UNCHANGED)}


def export_rows(allocations) -> Iterator[list[str]]:
    """Allocations in the import's own format, so an export imports back unchanged."""
    yield list(HEADER)
    for allocation in allocations:
        shares = [
            (share.authority.short_name or share.authority.name, share.percentage)
            for share in allocation.shares.all()
        ]
        yield [
            allocation.programme.funder.name,
            allocation.programme.name,
            allocation.authority.name,
            allocation.period_label,
            f"{allocation.amount:.2f}",
            allocation.status,
            rules.format_shares(shares),
            allocation.conditions,
        ]


def write_csv(rows) -> str:
    """The CSV text of ``rows``, written by the one export helper (ui.exports)."""
    return exports.csv_text(rows)
