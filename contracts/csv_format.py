"""The contracts CSV: one documented format for import and export (docs/contracts-csv.md).

Reading is pure (text in, parsed rows or ``line N: reason`` errors out); :func:`plan`
adds what importing each row would do; writing them is :func:`apply`, all or nothing,
in batches through audit.bulk. The upload, preview, confirmation and background run
are the one import pipeline's (ui/imports.py, :data:`IMPORTER`). Every computed column
in the export comes from contracts.figures, like the pages.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Lower

from audit.bulk import bulk_create_with_history, bulk_update_with_history
from contracts import rules
from contracts.figures import deferred, figures_for, known_contracts
from contracts.models import (
    Authority,
    Contract,
    CostShare,
    ExtensionOption,
    Provider,
    give_decision_number_prefixes,
    options_too_long_message,
)
from ui import exports, imports
from ui.bounds import MAX_TERM_MONTHS, UPLIFT_MAX_PERCENT, field_errors

COLUMNS = (
    "reference",
    "title",
    "description",
    "service_area",
    "provider",
    "lead_authority",
    "cost_shares",
    "start_date",
    "end_date",
    "extension_options",
    "extensions_exercised",
    "annual_value",
    "annual_uplift_percent",
    "uplift_from_year",
    "procurement_route",
    "stated_whole_life_value",
)
COMPUTED_COLUMNS = (
    "current_end_date",
    "max_end_date",
    "whole_life_value",
    "value_to_current_end",
    "reconciliation",
)
REQUIRED = ("reference", "title", "lead_authority", "start_date", "end_date", "annual_value")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
MAX_ROWS = 10_000
# Contracts written per batch: the queries of an import grow with the batches, not rows.
BATCH_SIZE = 1000
# The preview lists at most this many contracts (the counts cover them all).
PREVIEW_ROWS = 1000
_OPTION = re.compile(r"^\s*(?P<months>-?\d+)\s*(?::\s*(?P<price>.+?))?\s*$")
_SHARE = re.compile(r"^\s*(?P<name>[^=]+?)\s*=\s*(?P<value>.+?)\s*$")


class ImportErrors(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class ParsedOption:
    months: int
    price: Decimal | None


@dataclass
class ParsedShare:
    authority: str
    percentage: Decimal | None = None
    fixed_amount: Decimal | None = None


@dataclass
class ParsedRow:
    line: int
    reference: str
    title: str
    description: str
    service_area: str
    provider: str
    lead_authority: str
    start_date: date
    initial_end_date: date
    annual_value: Decimal
    annual_uplift_percent: Decimal
    uplift_from_year: int
    procurement_route: str
    stated_whole_life_value: str
    options: list[ParsedOption] = field(default_factory=list)
    exercised: int = 0
    shares: list[ParsedShare] = field(default_factory=list)
    # Set by plan(): ui.imports.ADD, UPDATE or UNCHANGED, and the contract it updates.
    action: str | None = None
    existing: Contract | None = field(default=None, repr=False, compare=False)


# --- Reading -------------------------------------------------------------------------


def _date(text: str, column: str) -> date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise ValueError(f'{column} "{text}" is not a date: write it as YYYY-MM-DD or DD/MM/YYYY')


def _money(text: str, column: str) -> Decimal:
    try:
        value = rules.parse_money(text)
    except rules.MoneyError as error:
        raise ValueError(f"{column}: {error}") from None
    if value < 0:
        raise ValueError(f'{column} "{text}" is negative: enter £0 or more')
    return value


@lru_cache(maxsize=8)
def _choice_codes(choices) -> dict[str, str]:
    """Code and lower-case label → code, for one TextChoices class."""
    return {key: code for code, label in choices.choices for key in (code, str(label).lower())}


def _choice(text: str, column: str, choices) -> str:
    code = _choice_codes(choices).get(text.strip().lower())
    if code is None:
        codes = ", ".join(choices.values)
        raise ValueError(f'{column} "{text}" is not one of: {codes}')
    return code


def parse_options(text: str) -> list[ParsedOption]:
    """ "24+12" or "24:680353+12": months of each option, each with an optional price."""
    if not text.strip():
        return []
    options = []
    for part in text.split("+"):
        match = _OPTION.match(part)
        if match is None:
            raise ValueError(
                f'extension_options "{text}" cannot be read: write months joined with +, '
                f"each optionally followed by : and a price, for example 24+12 or 24:680353"
            )
        months = int(match["months"])
        if months <= 0:
            raise ValueError(f'extension_options "{text}": each option must be at least 1 month')
        price = _money(match["price"], "extension_options price") if match["price"] else None
        options.append(ParsedOption(months, price))
    return options


def parse_shares(text: str, annual_value: Decimal) -> list[ParsedShare]:
    """ "A=48.6%;B=51.4%" or "A=1517000;B=4000000"; empty means 100% to the lead."""
    if not text.strip():
        return []
    shares = []
    for part in text.split(";"):
        if not part.strip():
            continue
        match = _SHARE.match(part)
        if match is None:
            raise ValueError(
                f'cost_shares "{text}" cannot be read: write Authority=48.6%;Other=51.4% '
                f"or Authority=1517000;Other=4000000"
            )
        name, value = match["name"], match["value"]
        if value.endswith("%"):
            try:
                shares.append(ParsedShare(name, percentage=Decimal(value[:-1].strip())))
            except InvalidOperation:
                raise ValueError(f'cost_shares: "{value}" for {name} is not a percentage') from None
        else:
            shares.append(ParsedShare(name, fixed_amount=_money(value, f"cost_shares for {name}")))
    names = [s.authority.lower() for s in shares]
    if len(set(names)) != len(names):
        raise ValueError(f'cost_shares "{text}" names an authority twice')
    percent = [s for s in shares if s.percentage is not None]
    if percent and len(percent) != len(shares):
        raise ValueError(
            f'cost_shares "{text}" mixes percentages and amounts: use one or the other'
        )
    if percent:
        errors = rules.validate_percentage_shares({s.authority: s.percentage for s in shares})
    else:
        errors = rules.validate_fixed_shares(
            {s.authority: s.fixed_amount for s in shares}, annual_value
        )
    if errors:
        raise ValueError(f'cost_shares "{text}": ' + " ".join(errors))
    return shares


def _parse_row(line: int, raw: dict[str, str]) -> ParsedRow:
    """One data row, or ValueError naming the first problem and its value."""
    value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    for column in REQUIRED:
        if not value[column]:
            raise ValueError(f"{column} is empty")
    start = _date(value["start_date"], "start_date")
    end = _date(value["end_date"], "end_date")
    if end < start:
        raise ValueError(f'end_date "{value["end_date"]}" is before start_date')
    annual = _money(value["annual_value"], "annual_value")
    uplift_text = value["annual_uplift_percent"].rstrip("%").strip() or "0"
    try:
        uplift = Decimal(uplift_text)
    except InvalidOperation:
        raise ValueError(
            f'annual_uplift_percent "{value["annual_uplift_percent"]}" is not a number'
        ) from None
    if not 0 <= uplift <= UPLIFT_MAX_PERCENT:
        raise ValueError(
            f'annual_uplift_percent "{uplift_text}" must be between 0 and {UPLIFT_MAX_PERCENT}'
        )
    from_year_text = value["uplift_from_year"] or "2"
    if not from_year_text.isdigit() or int(from_year_text) < 2:
        raise ValueError(f'uplift_from_year "{from_year_text}" must be a whole number, 2 or more')
    options = parse_options(value["extension_options"])
    exercised_text = value["extensions_exercised"] or "0"
    if not exercised_text.isdigit() or int(exercised_text) > len(options):
        raise ValueError(
            f'extensions_exercised "{exercised_text}" must be a whole number from 0 to '
            f"{len(options)}, the number of extension options"
        )
    stated = value["stated_whole_life_value"]
    if stated:
        _money(stated, "stated_whole_life_value")
    if len(value["reference"]) > 50:
        raise ValueError(f'reference "{value["reference"]}" is longer than 50 characters')
    row = ParsedRow(
        line=line,
        reference=value["reference"],
        title=value["title"],
        description=value["description"],
        service_area=_choice(
            value["service_area"] or Contract.ServiceArea.OTHER,
            "service_area",
            Contract.ServiceArea,
        ),
        provider=value["provider"],
        lead_authority=value["lead_authority"],
        start_date=start,
        initial_end_date=end,
        annual_value=annual,
        annual_uplift_percent=uplift,
        uplift_from_year=int(from_year_text),
        procurement_route=_choice(
            value["procurement_route"] or Contract.Route.OTHER,
            "procurement_route",
            Contract.Route,
        ),
        stated_whole_life_value=stated,
        options=options,
        exercised=int(exercised_text),
        shares=parse_shares(value["cost_shares"], annual),
    )
    _check_with_models(row)
    return row


# The model fields whose CSV column has another name.
_COLUMN_OF_FIELD = {"initial_end_date": "end_date"}


# Contract fields the file does not carry: an import leaves them as they are, so they
# are not checked (a file of 10,000 rows is checked in seconds, not minutes).
_NOT_IN_THE_FILE = [
    f.name
    for f in Contract._meta.get_fields()
    if f.name not in {*COLUMNS, *_COLUMN_OF_FIELD} and getattr(f, "concrete", False)
] + ["lead_authority", "provider"]


@lru_cache(maxsize=4096)
def _name_errors(model, name: str) -> tuple[str, ...]:
    """field_errors for a name, which a file repeats on many lines."""
    return tuple(field_errors(model, {"name": name}))


def _check_with_models(row: ParsedRow) -> None:
    """The models' own validation on a parsed row (ui.bounds: dates, money, uplift,
    terms, lengths, control characters), so the import refuses what the form refuses
    and nothing that could break a page reaches the database."""
    contract = Contract(reference=row.reference, **_contract_values(row))
    try:
        contract.full_clean(
            exclude=_NOT_IN_THE_FILE, validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        name, messages = next(iter(error.message_dict.items()))
        raise ValueError(f"{_COLUMN_OF_FIELD.get(name, name)}: {messages[0]}") from None
    errors = [f"provider {e}" for e in _name_errors(Provider, row.provider)]
    errors += [f"lead_authority {e}" for e in _name_errors(Authority, row.lead_authority)]
    for option in row.options:
        values = {"months": option.months, "price": option.price}
        errors += [f"extension_options {e}" for e in field_errors(ExtensionOption, values)]
    if sum(option.months for option in row.options) > MAX_TERM_MONTHS:
        errors.append(f"extension_options: {options_too_long_message()}")
    for share in row.shares:
        errors += [f"cost_shares {e}" for e in _name_errors(Authority, share.authority)]
        values = {"percentage": share.percentage, "fixed_amount": share.fixed_amount}
        errors += [f"cost_shares {e}" for e in field_errors(CostShare, values)]
    if errors:
        raise ValueError(errors[0])


def _numbered(reader):
    """(line, cells) from line 2 on, then (line, None) if the csv module refuses a row
    (a cell over its field size limit, or a NUL byte in some Python versions)."""
    index = 2
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield index, None
            return
        yield index, cells
        index += 1


def parse(text: str, progress: imports.Progress = imports.no_progress) -> list[ParsedRow]:
    """Every row of a CSV, or :class:`ImportErrors` listing every bad line.

    Lines are numbered as a spreadsheet shows them: the header is line 1.
    """
    text = text.lstrip("\ufeff")  # Excel's byte-order mark
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
    except csv.Error:
        raise ImportErrors(["line 1: the header cannot be read as CSV"]) from None
    if not header:
        raise ImportErrors(["line 1: the file is empty; it needs the header row first"])
    header = [h.strip().lower() for h in header]
    known = set(COLUMNS) | set(COMPUTED_COLUMNS)
    errors = [f'line 1: unknown column "{h}"' for h in header if h not in known]
    errors += [f'line 1: the column "{c}" is missing' for c in COLUMNS if c not in header]
    if errors:
        raise ImportErrors(errors)
    rows, seen = [], {}
    for index, cells in _numbered(reader):
        if index % imports.PROGRESS_EVERY == 0:
            progress(index - 1)
        if cells is None:
            errors.append(
                f"line {index}: the row cannot be read as CSV (a cell is too long "
                "or holds a control character)"
            )
            break
        cells = [exports.restore(c) for c in cells]  # our export quotes "=..." cells
        if not any(c.strip() for c in cells):
            continue
        if index > MAX_ROWS + 1:
            errors.append(f"line {index}: the file has more than {MAX_ROWS} rows; split it")
            break
        if len(cells) > len(header):
            errors.append(f"line {index}: {len(cells)} cells but the header has {len(header)}")
            continue
        raw = dict(zip(header, cells, strict=False))
        try:
            row = _parse_row(index, raw)
        except ValueError as error:
            errors.append(f"line {index}: {error}")
            continue
        if row.reference in seen:
            errors.append(
                f'line {index}: reference "{row.reference}" is also on line {seen[row.reference]}'
            )
            continue
        seen[row.reference] = index
        rows.append(row)
    if errors:
        raise ImportErrors(errors)
    return rows


# --- Planning and previewing ---------------------------------------------------------


class _Rows(list):
    """Stands in for a related manager: ``.all()`` on unsaved rows."""

    def all(self):
        return self


def _contract_values(row: ParsedRow) -> dict:
    return {
        "title": row.title,
        "description": row.description,
        "service_area": row.service_area,
        "start_date": row.start_date,
        "initial_end_date": row.initial_end_date,
        "annual_value": row.annual_value,
        "annual_uplift_percent": row.annual_uplift_percent,
        "uplift_from_year": row.uplift_from_year,
        "procurement_route": row.procurement_route,
        "stated_whole_life_value": row.stated_whole_life_value,
    }


def _option_statuses(row: ParsedRow, existing: list[ExtensionOption]) -> list[str]:
    """Statuses for the row's options, in order.

    The CSV cannot say "declined", so an option that was declined before (same place,
    same months) stays declined and is not counted; the first ``exercised`` of the
    others are exercised and the rest pending. So an export of "declined, exercised"
    (extensions_exercised 1) imports back unchanged.
    """
    statuses = []
    to_exercise = row.exercised
    for n, option in enumerate(row.options):
        old = existing[n] if n < len(existing) else None
        if old and old.months == option.months and old.status == ExtensionOption.Status.DECLINED:
            statuses.append(ExtensionOption.Status.DECLINED)
        elif to_exercise > 0:
            statuses.append(ExtensionOption.Status.EXERCISED)
            to_exercise -= 1
        else:
            statuses.append(ExtensionOption.Status.PENDING)
    return statuses


def _chunks(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing_contracts(references: list[str], *, lock: bool = False) -> dict[str, Contract]:
    """The contracts with these references, with what an import compares and writes,
    in a fixed number of queries per batch. ``lock`` locks the contracts' rows (so no
    edit saved meanwhile is overwritten) until the transaction ends."""
    found = {}
    for batch in _chunks(references):
        contracts = Contract.objects.filter(reference__in=batch)
        if lock:
            contracts = contracts.select_for_update(of=("self",))
        contracts = contracts.select_related("provider", "lead_authority").prefetch_related(
            models.Prefetch(
                "options",
                queryset=ExtensionOption.objects.select_related("authorising_decision"),
            ),
            "shares__authority",
        )
        found.update((c.reference, c) for c in contracts)
    return found


def _differs(current: Contract, row: ParsedRow, statuses: list[str]) -> bool:
    if any(getattr(current, k) != v for k, v in _contract_values(row).items()):
        return True
    if (current.provider.name.lower() if current.provider else "") != row.provider.lower():
        return True
    if current.lead_authority.name.lower() != row.lead_authority.lower():
        return True
    ordered = sorted(current.options.all(), key=lambda o: o.sequence)
    old_options = [(o.months, o.price, o.status) for o in ordered]
    new_options = [(o.months, o.price, statuses[n]) for n, o in enumerate(row.options)]
    old_shares = {
        (s.authority.name.lower(), s.percentage, s.fixed_amount) for s in current.shares.all()
    }
    new_shares = {(s.authority.lower(), s.percentage, s.fixed_amount) for s in row.shares}
    return old_options != new_options or old_shares != new_shares


def _set_actions(rows: list[ParsedRow]) -> None:
    existing = _existing_contracts([r.reference for r in rows])
    for row in rows:
        row.existing = current = existing.get(row.reference)
        if current is None:
            row.action = imports.ADD
            continue
        old_options = sorted(current.options.all(), key=lambda o: o.sequence)
        statuses = _option_statuses(row, old_options)
        row.action = imports.UPDATE if _differs(current, row, statuses) else imports.UNCHANGED


def plan(
    text: str, progress: imports.Progress = imports.no_progress, *, preview: bool = True
) -> imports.Plan:
    """Every row of the file with what importing it would do, or every bad line.
    Without ``preview`` the actions are left to :func:`apply`, which works them out
    again with the rows locked anyway."""
    try:
        rows = parse(text, progress)
    except ImportErrors as error:
        return imports.Plan(errors=error.errors)
    if preview:
        _set_actions(rows)
    return imports.Plan(rows=rows)


@dataclass
class PreviewRow:
    line: int
    reference: str
    title: str
    action: str  # ui.imports.ADD, UPDATE or UNCHANGED
    figures: object


class _PreviewContract:
    """A contract with its options and shares in memory, for figures_for: unsaved
    (a preview), or just written (an import's new contracts)."""

    def __init__(self, contract: Contract, options: _Rows, shares: _Rows):
        self._contract = contract
        self.options = options
        self.shares = shares

    def __getattr__(self, name):
        return getattr(self._contract, name)


def preview(rows: list[ParsedRow]) -> list[PreviewRow]:
    """What an import would do, with each contract's figures from figures_for."""
    if any(row.action is None for row in rows):
        _set_actions(rows)
    authorities = {a.name.lower(): a for a in Authority.objects.all()}

    def authority(name: str) -> Authority:
        return authorities.get(name.lower()) or Authority(name=name)

    result = []
    for row in rows:
        current = row.existing
        stand_in = Contract(reference=row.reference, **_contract_values(row))
        stand_in.lead_authority = authority(row.lead_authority)
        if current is not None:
            stand_in.procurement_stage = current.procurement_stage
            stand_in.terminated_on = current.terminated_on
        old_options = sorted(current.options.all(), key=lambda o: o.sequence) if current else []
        statuses = _option_statuses(row, old_options)
        options = _Rows(
            ExtensionOption(sequence=n, months=o.months, price=o.price, status=statuses[n - 1])
            for n, o in enumerate(row.options, start=1)
        )
        shares = _Rows(
            CostShare(
                authority=authority(s.authority),
                percentage=s.percentage,
                fixed_amount=s.fixed_amount,
            )
            for s in row.shares
        )
        figures = figures_for(_PreviewContract(stand_in, options, shares))
        result.append(PreviewRow(row.line, row.reference, row.title, row.action, figures))
    return result


def _preview_context(planned: imports.Plan) -> dict:
    return {
        "rows": preview(planned.rows[:PREVIEW_ROWS]),
        "rows_total": len(planned.rows),
        "rows_shown": min(len(planned.rows), PREVIEW_ROWS),
    }


# --- Writing -------------------------------------------------------------------------


def _by_name(model, names: set[str], *, reason: str, user) -> dict[str, models.Model]:
    """Authorities or providers by lower-case name: those recorded (matched without
    regard to case), and the others created, with their name only and history."""
    found: dict[str, models.Model] = {}
    lowered = sorted({name.lower() for name in names})
    for batch in _chunks(lowered):
        for record in (
            model.objects.annotate(lowered=Lower("name"))
            .filter(lowered__in=batch)
            .order_by("-pk")  # the first recorded wins, as .first() did
        ):
            found[record.lowered] = record
    new = {}
    for name in sorted(names):
        if name.lower() not in found:
            new.setdefault(name.lower(), model(name=name))
    if model is Authority:
        give_decision_number_prefixes(new.values())
    for record in new.values():
        record.clean_fields()  # the field bounds (ui.bounds), as for every import
    created = bulk_create_with_history(list(new.values()), reason=reason, user=user)
    found.update((record.name.lower(), record) for record in created)
    return found


@dataclass
class _Writes:
    """Everything one batch writes, gathered first so each kind is one bulk write."""

    new_contracts: list = field(default_factory=list)
    changed_contracts: list = field(default_factory=list)
    new_options: list = field(default_factory=list)
    changed_options: list = field(default_factory=list)
    new_shares: list = field(default_factory=list)
    changed_shares: list = field(default_factory=list)
    gone: list = field(default_factory=list)  # options and shares no longer in the file


# What an import may change on a contract (the rest is left as it is).
CONTRACT_FIELDS = [
    "title",
    "description",
    "service_area",
    "start_date",
    "initial_end_date",
    "annual_value",
    "annual_uplift_percent",
    "uplift_from_year",
    "procurement_route",
    "stated_whole_life_value",
    "lead_authority",
    "provider",
]


def _new_parts(contract: Contract, row: ParsedRow, authorities, writes: _Writes):
    """A new contract's options and shares, to write, and the contract with them in
    memory (for its figures, see _write)."""
    statuses = _option_statuses(row, [])
    options = [
        ExtensionOption(
            contract=contract,
            sequence=n,
            months=o.months,
            price=o.price,
            status=statuses[n - 1],
        )
        for n, o in enumerate(row.options, start=1)
    ]
    shares = [
        CostShare(
            contract=contract,
            authority=authorities[s.authority.lower()],
            percentage=s.percentage,
            fixed_amount=s.fixed_amount,
        )
        for s in row.shares
    ]
    writes.new_options += options
    writes.new_shares += shares
    return _PreviewContract(contract, _Rows(options), _Rows(shares))


def _sync_options(contract: Contract, row: ParsedRow, writes: _Writes) -> bool:
    existing = sorted(contract.options.all(), key=lambda o: o.sequence)
    statuses = _option_statuses(row, existing)
    writes.gone += existing[len(row.options) :]
    changed = len(existing) > len(row.options)
    for n, parsed in enumerate(row.options, start=1):
        values = {"months": parsed.months, "price": parsed.price, "status": statuses[n - 1]}
        if n > len(existing):
            writes.new_options.append(ExtensionOption(contract=contract, sequence=n, **values))
            changed = True
            continue
        old = existing[n - 1]
        if any(getattr(old, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(old, k, v)
            writes.changed_options.append(old)
            changed = True
    return changed


def _sync_shares(contract: Contract, row: ParsedRow, authorities, writes: _Writes) -> bool:
    wanted = {authorities[s.authority.lower()].pk: s for s in row.shares}
    changed = False
    kept = set()
    for old in contract.shares.all():
        parsed = wanted.get(old.authority_id)
        if parsed is None:
            writes.gone.append(old)
            changed = True
            continue
        kept.add(old.authority_id)
        if (old.percentage, old.fixed_amount) != (parsed.percentage, parsed.fixed_amount):
            old.percentage, old.fixed_amount = parsed.percentage, parsed.fixed_amount
            writes.changed_shares.append(old)
            changed = True
    for authority_id, parsed in wanted.items():
        if authority_id not in kept:
            writes.new_shares.append(
                CostShare(
                    contract=contract,
                    authority=authorities[parsed.authority.lower()],
                    percentage=parsed.percentage,
                    fixed_amount=parsed.fixed_amount,
                )
            )
            changed = True
    return changed


def _write(writes: _Writes, pending_parts, *, reason: str, user) -> None:
    """Deletes first (so a re-numbered option or a re-added share fits the unique
    constraints), then contracts, then their options and shares."""
    for record in writes.gone:
        record._change_reason = reason
        record._history_user = user
        record.delete()
    history = {"reason": reason, "user": user}
    bulk_create_with_history(writes.new_contracts, **history)
    # The new contracts now have ids. Their figures are worked out from these objects,
    # as written, rather than read back at the end of the import.
    known_contracts([_new_parts(*pending, writes) for pending in pending_parts])
    bulk_update_with_history(writes.changed_contracts, CONTRACT_FIELDS, **history)
    bulk_update_with_history(writes.changed_options, ["months", "price", "status"], **history)
    bulk_create_with_history(writes.new_options, **history)
    bulk_update_with_history(writes.changed_shares, ["percentage", "fixed_amount"], **history)
    bulk_create_with_history(writes.new_shares, **history)


def _apply_batch(rows, authorities, providers, counts, *, reason: str, user) -> None:
    existing = _existing_contracts([r.reference for r in rows], lock=True)
    writes, pending_parts = _Writes(), []
    for row in rows:
        values = _contract_values(row)
        values["lead_authority"] = authorities[row.lead_authority.lower()]
        values["provider"] = providers[row.provider.lower()] if row.provider else None
        contract = existing.get(row.reference)
        if contract is None:
            contract = Contract(reference=row.reference, **values)
            writes.new_contracts.append(contract)
            pending_parts.append((contract, row, authorities))
            counts["added"] += 1
            continue
        parts_changed = _sync_options(contract, row, writes)
        parts_changed = _sync_shares(contract, row, authorities, writes) or parts_changed
        if parts_changed or any(getattr(contract, k) != v for k, v in values.items()):
            # A contract whose options or shares change gets a new version too, so
            # anyone editing it is told.
            for k, v in values.items():
                setattr(contract, k, v)
            writes.changed_contracts.append(contract)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    _write(writes, pending_parts, reason=reason, user=user)


def apply(rows: list[ParsedRow] | imports.Plan, *, reason: str, user=None) -> dict[str, int]:
    """Write every parsed row, all or nothing, in batches. Rows are matched by
    reference; unchanged contracts are not written at all; every write keeps the
    history a save would (audit.bulk), and a changed contract gets a new version."""
    if isinstance(rows, imports.Plan):
        rows = rows.rows
    counts = dict.fromkeys(imports.COUNT_KEYS.values(), 0)
    # One transaction; the contracts' stored figures are written once, at its end.
    with transaction.atomic(), deferred():
        authorities = _by_name(
            Authority,
            {r.lead_authority for r in rows} | {s.authority for r in rows for s in r.shares},
            reason=reason,
            user=user,
        )
        providers = _by_name(
            Provider, {r.provider for r in rows if r.provider}, reason=reason, user=user
        )
        for batch in _chunks(rows):
            _apply_batch(batch, authorities, providers, counts, reason=reason, user=user)
    return counts


IMPORTER = imports.Importer(
    name="contracts",
    plural="contracts",
    permission="contracts.add_contract",
    plan=plan,
    apply=apply,
    upload_template="contracts/contract_import.html",
    preview_template="contracts/contract_import_preview.html",
    preview_context=_preview_context,
    upload_url_name="contracts:import",
    done_url_name="contracts:list",
    upload_context={"title": "Import contracts"},
)


# --- Exporting -----------------------------------------------------------------------


def _plain(value: Decimal) -> str:
    return f"{value:.2f}"


def export_line(contract, figures) -> list[str]:
    """One contract as CSV cells: the documented columns, then the computed ones."""
    options = sorted(contract.options.all(), key=lambda o: o.sequence)
    shares = list(contract.shares.all())
    return [
        contract.reference,
        contract.title,
        contract.description,
        contract.service_area,
        contract.provider.name if contract.provider else "",
        contract.lead_authority.name,
        ";".join(
            f"{s.authority.name}={s.percentage.normalize():f}%"
            if s.percentage is not None
            else f"{s.authority.name}={_plain(s.fixed_amount)}"
            for s in shares
        ),
        contract.start_date.isoformat(),
        contract.initial_end_date.isoformat(),
        "+".join(
            f"{o.months}:{_plain(o.price)}" if o.price is not None else str(o.months)
            for o in options
        ),
        str(sum(1 for o in options if o.status == ExtensionOption.Status.EXERCISED)),
        _plain(contract.annual_value),
        f"{Decimal(contract.annual_uplift_percent).normalize():f}",
        str(contract.uplift_from_year),
        contract.procurement_route,
        contract.stated_whole_life_value,
        figures.current_end.isoformat(),
        figures.maximum_end.isoformat(),
        _plain(figures.whole_life_value),
        _plain(figures.value_to_current_end),
        figures.reconciliation.label if figures.reconciliation else "",
    ]


def export_rows(contracts) -> Iterator[list[str]]:
    """The header, then each of ``contracts`` (pass Contract.objects.with_related())."""
    yield COLUMNS + COMPUTED_COLUMNS
    for contract in exports.iterate(contracts):
        yield export_line(contract, figures_for(contract))


def export(contracts) -> str:
    """The CSV text for ``contracts``, written by the one export helper (ui.exports)."""
    return exports.csv_text(export_rows(contracts))
