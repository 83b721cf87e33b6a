"""CSV import and export of grant allocations.

Header: funder,programme,recipient_authority,financial_year,amount,status,shares,
conditions. Money is read by contracts.rules.parse_money ("£1,366,000", "£1.366m"),
shares as the contracts import writes them ("NNC=48.6%;WNC=51.4%"). An import is all
or nothing: every row is checked first and the file is refused, naming each bad row by
its line, unless all rows are good; then everything is written in one transaction.
Authorities, funders and programmes not yet recorded are created, as the contracts
import creates authorities. The upload, preview, confirmation and background run are
the one import pipeline's (ui/imports.py, :data:`IMPORTER`).
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum

from audit.bulk import bulk_create_with_history
from contracts.models import Authority, give_decision_number_prefixes
from contracts.rules import MoneyError
from grants import rules, services
from grants.models import ZERO, Funder, GrantAllocation, GrantProgramme
from ui import exports, imports
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
CREATE, UPDATE, UNCHANGED = imports.ADD, imports.UPDATE, imports.UNCHANGED
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
    shares: list[tuple[Authority, Decimal]]
    conditions: str
    existing: GrantAllocation | None = None
    action: str = CREATE


# The one plan shape of every import: rows (each with ``line`` and ``action``) or errors.
ImportPlan = imports.Plan


class Authorities:
    """Authorities found by name or short name, ignoring case; a name not recorded is
    a new authority (unsaved until the import is confirmed), one per name."""

    def __init__(self) -> None:
        self.by_key = {}
        for authority in Authority.objects.all():
            self.by_key[authority.name.casefold()] = authority
            if authority.short_name:
                self.by_key.setdefault(authority.short_name.casefold(), authority)

    def get(self, text: str) -> Authority:
        key = text.strip().casefold()
        if key not in self.by_key:
            self.by_key[key] = Authority(name=text.strip())
        return self.by_key[key]

    def new(self) -> list[Authority]:
        return list({id(a): a for a in self.by_key.values() if a.pk is None}.values())


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


def _key(authority: Authority):
    return authority.pk or authority.name.casefold()


def _read_row(number: int, raw: dict, authorities: Authorities) -> PlannedRow:
    values = {key: (raw.get(key) or "").strip() for key in HEADER}
    for key in ("funder", "programme", "recipient_authority", "financial_year", "amount"):
        if not values[key]:
            raise ValueError(f"{key} is empty")
    authority = authorities.get(values["recipient_authority"])
    first, last = _period(values["financial_year"])
    try:
        amount = rules.parse_amount(values["amount"])
    except MoneyError as error:
        raise ValueError(str(error).rstrip(".")) from error
    status = STATUSES.get((values["status"] or "indicative").lower())
    if status is None:
        raise ValueError(f'status "{values["status"]}" must be indicative or confirmed')
    # (authority, percentage): a list, as a new authority has no id to be a key by.
    shares = {}
    for who, percent in rules.parse_shares(values["shares"]):
        share_authority = authorities.get(who)
        shares[_key(share_authority)] = (share_authority, percent)
    shares = list(shares.values())
    # The models' own validation (ui.bounds: money, lengths, control characters), so
    # the import refuses what the forms refuse before anything is written.
    errors = [
        f"{column} {e}"
        for column, name in [("recipient_authority", authority.name)]
        + [("shares", a.name) for a, _ in shares]
        for e in field_errors(Authority, {"name": name})
    ]
    errors += [f"funder {e}" for e in field_errors(Funder, {"name": values["funder"]})]
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
        == {a.pk: p for a, p in row.shares}
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


def plan_import(
    text: str, progress: imports.Progress = imports.no_progress, *, preview: bool = True
) -> ImportPlan:
    """Check every row of a CSV file and say what importing it would do (``preview``
    changes nothing here: the checks against the data are what the actions need)."""
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
        if number % imports.PROGRESS_EVERY == 0:
            progress(number - 1)
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
            _key(row.authority),
            row.financial_year,
        )
        if key in seen:
            plan.errors.append(f"line {number}: repeats the allocation on line {seen[key]}")
            continue
        seen[key] = number
        programme = _programme(_funder(row.funder), row.programme)
        if programme is not None and row.authority.pk is not None:
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


def apply_import(plan: ImportPlan, *, reason: str = REASON, user=None) -> dict[str, int]:
    """Write a checked plan, all in one transaction. Returns the counts (ui.imports)."""
    if not plan.ok:
        raise ValueError("This import has errors, so nothing can be imported.")
    with transaction.atomic():
        # Authorities the file names that are not recorded yet: created with their
        # name only, as the contracts import does.
        new = {}
        for row in plan.rows:
            for authority in (row.authority, *(a for a, _ in row.shares)):
                if authority.pk is None:
                    new[id(authority)] = authority
        give_decision_number_prefixes(new.values())
        for authority in new.values():
            authority.clean_fields()
        bulk_create_with_history(list(new.values()), reason=reason, user=user)
        for row in plan.rows:
            if row.action == UNCHANGED:
                continue
            funder = _funder(row.funder)
            if funder is None:
                funder = _created(Funder(name=row.funder), reason, user)
            programme = _programme(funder, row.programme)
            if programme is None:
                programme = _created(
                    GrantProgramme(funder=funder, name=row.programme), reason, user
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
            services.save_allocation(
                allocation=allocation, shares=dict(row.shares), reason=reason, user=user
            )
    return plan.counts()


def _created(record, reason: str, user):
    record.clean_fields()
    record._change_reason = reason
    record._history_user = user
    record.save()
    return record


def export_rows(allocations) -> Iterator[list[str]]:
    """Allocations in the import's own format, so an export imports back unchanged."""
    yield list(HEADER)
    for allocation in exports.iterate(allocations):
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


IMPORTER = imports.Importer(
    name="grants",
    plural="allocations",
    permission="grants.add_grantallocation",
    plan=plan_import,
    apply=apply_import,
    upload_template="grants/import_form.html",
    preview_template="grants/import_preview.html",
    preview_context=lambda plan: {"plan": plan},
    upload_url_name="grants:import",
    done_url_name="grants:list",
    upload_context={"title": "Import grant allocations", "header": ",".join(HEADER)},
)
