"""A contract's computed figures: the one place models meet contracts.rules.

Pages, exports, imports, PDFs and the decisions and grants apps all call
``figures_for(contract)``, so every figure comes from the same rule. It reads the
contract's options, shares and modifications through ``.all()``, so callers that list
many contracts prefetch them (``Contract.objects.with_related()``) and pay no query per
row. Modifications change the figures as docs/domain.md "Rules: Modifications" says
(rules.modified_schedule); the original whole-life value leaves them out.

The figures that do not depend on the day are also stored (contracts.models,
``ContractFigures``, ``ShareFigures``, ``YearFigures``) by :func:`store_figures`, which
runs ``figures_for`` itself: the stored tables are its output, written whenever a
contract, option, share or modification is saved or deleted (see contracts.models
for why there).
:func:`stale_figures` finds stored figures that no longer agree with ``figures_for``.
"""

import decimal
import threading
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.core.exceptions import FieldDoesNotExist
from django.db import connection, connections, models, router, transaction
from django.utils import timezone

from audit.bulk import copy_rows
from contracts import rules


@dataclass(frozen=True)
class ShareFigure:
    authority: object
    label: str  # "48.6%" or "£1,517,000.00 a year"
    annual: Decimal
    whole_life: Decimal


@dataclass(frozen=True)
class ContractFigures:
    today: date
    current_end: date
    maximum_end: date
    status: str
    years: list[rules.ContractYear]
    whole_life_value: Decimal
    value_to_current_end: Decimal
    reconciliation: rules.Reconciliation | None
    # The whole-life value when the contract was entered into: options included,
    # modifications not (PSR reg 13's "original lifetime value").
    original_whole_life_value: Decimal
    time_remaining: str
    next_option_deadline: rules.OptionNotice | None
    shares: list[ShareFigure] = field(default_factory=list)

    @cached_property
    def financial_years(self) -> dict[str, Decimal]:
        """Value per financial year ("2024/25"), worked out when first asked for: the
        register lists many contracts and never shows it."""
        return rules.financial_year_profile(self.years)

    @property
    def modification_change(self) -> Decimal:
        """What the modifications changed the whole-life value by (signed)."""
        return self.whole_life_value - self.original_whole_life_value

    @property
    def status_label(self) -> str:
        return self.status.replace("_", " ").capitalize()


def rule_options(contract) -> list[rules.Option]:
    return [
        rules.Option(months=o.months, price=o.price, status=o.status)
        for o in sorted(contract.options.all(), key=lambda o: o.sequence)
    ]


def rule_modifications(contract) -> list[rules.Modification]:
    """The contract's modifications as the rules take them. An unsaved contract (an
    import's preview) has none."""
    if contract.pk is None:
        return []
    return [
        rules.Modification(
            sequence=m.sequence,
            effective_date=m.effective_date,
            annual_change=m.annual_value_change,
            lifetime_change=m.lifetime_value_change,
            new_end=m.new_end_date,
        )
        for m in sorted(contract.modifications.all(), key=lambda m: m.sequence)
    ]


def lifetime_change_of(contract, modification) -> Decimal:
    """The signed lifetime-value change ``modification`` (saved or not; valid, with an
    effective date) makes to ``contract``, given the contract's other modifications
    before it: rules.modification_lifetime_change with the contract's terms. One with
    no sequence yet comes after all the others. The variation form passes it to
    rules.psr_modification; a decision's ceiling counts it."""
    others = rule_modifications(contract)
    sequence = modification.sequence
    if sequence is None:
        sequence = max((m.sequence for m in others), default=0) + 1
    change = rules.Modification(
        sequence=sequence,
        effective_date=modification.effective_date,
        annual_change=modification.annual_value_change,
        lifetime_change=modification.lifetime_value_change,
        new_end=modification.new_end_date,
    )
    earlier = [m for m in others if m.sequence < sequence]
    return rules.modification_lifetime_change(
        change,
        start=contract.start_date,
        initial_end=contract.initial_end_date,
        annual_value=contract.annual_value,
        uplift_percent=contract.annual_uplift_percent,
        uplift_from_year=contract.uplift_from_year,
        options=rule_options(contract),
        earlier=earlier,
    )


@dataclass(frozen=True)
class AssessedModification:
    """A modification with the signed lifetime change it makes and its reg 13 test."""

    modification: object
    change: Decimal
    assessment: rules.ModificationAssessment


def original_value_of(contract) -> Decimal:
    """The lifetime value when the contract was entered into (reg 13's base), as stored
    with its figures (read with the contract as ``stored``); worked out if none is."""
    stored = getattr(contract, "stored", None) if contract.pk else None
    if stored is not None:
        return stored.original_whole_life_value
    return figures_for(contract).original_whole_life_value


def _tested(contract, modification, original: Decimal, earlier: list[Decimal], change: Decimal):
    return rules.psr_modification(
        original,
        earlier,
        change,
        ground=modification.ground,
        materially_different=modification.materially_different,
        awarded_by=contract.procurement_route,
    )


def assess_modification(contract, modification) -> AssessedModification:
    """rules.psr_modification of ``modification`` (saved, or not yet: then it comes after
    all the others), against the original value and the changes of the contract's
    modifications before it. The one place the variation form, the panels, the notices,
    the annual summary and a decision's ceiling read a modification's change and test.
    Reads the contract's options and modifications (``.all()``: prefetch them for a list)."""
    change = lifetime_change_of(contract, modification)
    saved = {m.pk: m for m in contract.modifications.all()}
    sequence = modification.sequence if modification.pk in saved else None
    earlier = [
        lifetime_change_of(contract, m)
        for m in sorted(saved.values(), key=lambda m: m.sequence)
        if sequence is None or m.sequence < sequence
    ]
    test = _tested(contract, modification, original_value_of(contract), earlier, change)
    return AssessedModification(modification, change, test)


def assessed_modifications(contract) -> list[AssessedModification]:
    """Each of the contract's modifications in order, with its change and its test (as
    :func:`assess_modification` gives them, each change worked out once)."""
    original = original_value_of(contract)
    ordered = sorted(contract.modifications.all(), key=lambda m: m.sequence)
    changes = [lifetime_change_of(contract, m) for m in ordered]
    return [
        AssessedModification(m, changes[i], _tested(contract, m, original, changes[:i], changes[i]))
        for i, m in enumerate(ordered)
    ]


def _share_figures(
    contract, years, whole_life: Decimal, annual_value: Decimal
) -> list[ShareFigure]:
    shares = list(contract.shares.all())
    if not shares:
        # No shares recorded: the lead authority pays it all.
        return [ShareFigure(contract.lead_authority, "100%", annual_value, whole_life)]
    # Keyed by position, so unsaved rows (an import preview) split the same way.
    if all(s.percentage is not None for s in shares):
        weights = {i: s.percentage for i, s in enumerate(shares)}
        labels = {i: f"{s.percentage.normalize():f}%" for i, s in enumerate(shares)}
    else:
        weights = {i: (s.fixed_amount or Decimal(0)) for i, s in enumerate(shares)}
        labels = {
            i: f"{rules.format_money(s.fixed_amount or Decimal(0))} a year"
            for i, s in enumerate(shares)
        }
    annual = rules.split_by_shares(annual_value, weights)
    whole = rules.split_by_shares(whole_life, weights)
    return [ShareFigure(s.authority, labels[i], annual[i], whole[i]) for i, s in enumerate(shares)]


@rules.wide_decimals
def schedule_of(contract) -> list[rules.ContractYear]:
    """The contract's year rows, its modifications' included, as ``figures_for`` gives
    them: from its options and modifications only, not its shares (a decision's
    ceiling reads an option's years without the shares of every contract it names)."""
    options = rule_options(contract)
    modifications = rule_modifications(contract)
    args = (
        contract.start_date,
        contract.initial_end_date,
        contract.annual_value,
        contract.annual_uplift_percent,
        contract.uplift_from_year,
    )
    if modifications:
        return rules.modified_schedule(*args, options=options, modifications=modifications).years
    return rules.contract_years(*args, options=options)


@rules.wide_decimals
def figures_for(
    contract, today: date | None = None, modifications: list[rules.Modification] | None = None
) -> ContractFigures:
    """The contract's figures on ``today``, from its options, shares and modifications
    (``modifications`` as rule_modifications gives them, when already read)."""
    today = today or timezone.localdate()
    options = rule_options(contract)
    if modifications is None:
        modifications = rule_modifications(contract)
    args = (
        contract.start_date,
        contract.initial_end_date,
        contract.annual_value,
        contract.annual_uplift_percent,
        contract.uplift_from_year,
    )
    annual_value = contract.annual_value
    if modifications:
        # docs/domain.md "Rules: Modifications": the modifications move the ends and add
        # their own rows; the original value is the schedule without them.
        schedule = rules.modified_schedule(*args, options=options, modifications=modifications)
        years, current_end, maximum_end = (
            schedule.years,
            schedule.current_end,
            schedule.maximum_end,
        )
        original = schedule.original_whole_life_value
        # The annual value as varied: what the shares split each year.
        annual_value += sum((m.annual_change or 0 for m in modifications), Decimal("0.00"))
    else:
        exercised = rules.exercised_option_months(options)
        current_end = rules.current_end(contract.initial_end_date, exercised)
        available = rules.available_option_months(options)
        maximum_end = rules.maximum_end(contract.initial_end_date, available)
        years = rules.contract_years(*args, options=options)
        original = None
    whole_life = sum((y.amount for y in years), Decimal("0.00"))
    if modifications or any(y.end == current_end for y in years):
        # The rows tile the term, so when one ends on the current end the rows up to
        # it are exactly the schedule rules.value_to_current_end would cut: sum them
        # rather than work the schedule out twice. A modification's rows are cut where
        # the term's are, and its term changes end rows on the ends they make.
        value_to_current = sum((y.amount for y in years if y.end <= current_end), Decimal("0.00"))
    else:
        value_to_current = rules.value_to_current_end(*args, options=options)
    at_award = whole_life if original is None else original
    # A stated whole-life value is the one a report printed when the contract was
    # entered into (or an import copied from it), so it is checked against the value at
    # award: a later variation does not make the report wrong.
    reconciliation = (
        rules.reconcile(contract.stated_whole_life_value, at_award)
        if contract.stated_whole_life_value
        else None
    )
    stage = contract.procurement_stage
    status = rules.derive_status(
        today,
        start=contract.start_date,
        initial_end=contract.initial_end_date,
        current_end=current_end,
        procurement_stage=stage if stage in rules.PROCUREMENT_STAGES else None,
        terminated=contract.terminated_on is not None and contract.terminated_on <= today,
    )
    notices = [
        rules.OptionNotice(number=o.sequence, deadline=o.notice_deadline, status=o.status)
        for o in contract.options.all()
        if o.notice_deadline
    ]
    return ContractFigures(
        today=today,
        current_end=current_end,
        maximum_end=maximum_end,
        status=status,
        years=years,
        whole_life_value=whole_life,
        value_to_current_end=value_to_current,
        reconciliation=reconciliation,
        original_whole_life_value=at_award,
        time_remaining=rules.time_remaining(today, current_end),
        next_option_deadline=rules.next_option_deadline(notices, today),
        shares=_share_figures(contract, years, whole_life, annual_value),
    )


@dataclass(frozen=True)
class ContractRow:
    """A register row: the contract and its figures, computed once."""

    contract: object
    figures: ContractFigures

    @property
    def reconciliation_label(self) -> str:
        """ "ok", "mismatch: stated X, computed Y", or "" when nothing was stated."""
        return self.figures.reconciliation.label if self.figures.reconciliation else ""


def rows_for(contracts, today: date | None = None, known: dict | None = None) -> list[ContractRow]:
    """A row per contract; ``known`` holds figures already worked out today, by id."""
    today = today or timezone.localdate()
    known = known or {}
    return [ContractRow(c, known.get(c.pk) or figures_for(c, today=today)) for c in contracts]


# --- Stored figures ---------------------------------------------------------------------

STORE_BATCH = 500
_pending = threading.local()


def _stored_models():
    from contracts.models import Contract, ContractFigures, CostShare, ShareFigures, YearFigures

    return Contract, ContractFigures, CostShare, ShareFigures, YearFigures


def _batches(ids: list, size: int = STORE_BATCH):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _computed_in_batches(contract_ids, stored_models, known=None):
    """(contract, figures) for each id that exists, in id order, prefetching a batch at
    a time: four queries a batch (the modifications' one whatever is known), none a
    contract. Contracts in ``known`` (by id) are
    not read: they are in memory with all their options and shares."""
    Contract, _, CostShare, _, _ = stored_models
    known = known or {}
    ids = sorted(set(contract_ids))
    for batch in _batches(ids):
        wanted = [pk for pk in batch if pk not in known]
        read = {}
        if wanted:
            contracts = (
                Contract._base_manager.filter(pk__in=wanted)
                .select_related("lead_authority")
                .prefetch_related(
                    "options",
                    models.Prefetch("shares", CostShare._base_manager.select_related("authority")),
                )
            )
            read = {contract.pk: contract for contract in contracts}
        modifications = _modifications_of(Contract, batch)
        for pk in batch:
            contract = known.get(pk) or read.get(pk)
            if contract is not None:
                yield contract, figures_for(contract, modifications=modifications.get(pk, []))


def _modifications_of(Contract, ids: list[int]) -> dict[int, list[rules.Modification]]:
    """The modifications of these contracts as the rules take them, by contract id, in
    one query (contracts read or known alike). A data migration's historical Contract
    from before modifications existed has none."""
    try:
        Modification = Contract._meta.get_field("modifications").related_model
    except FieldDoesNotExist:
        return {}
    found: dict[int, list[rules.Modification]] = {}
    rows = (
        Modification._base_manager.filter(contract_id__in=ids)
        .order_by("contract_id", "sequence")
        .values_list(
            "contract_id",
            "sequence",
            "effective_date",
            "annual_value_change",
            "lifetime_value_change",
            "new_end_date",
        )
    )
    for contract_id, sequence, effective, annual, lifetime, new_end in rows:
        found.setdefault(contract_id, []).append(
            rules.Modification(sequence, effective, annual, lifetime, new_end)
        )
    return found


@dataclass(frozen=True)
class StoredValues:
    """What the three tables hold for one contract, comparable with ==."""

    main: tuple
    shares: tuple
    years: tuple


MAIN_FIELDS = (
    "current_end",
    "maximum_end",
    "whole_life_value",
    "original_whole_life_value",
    "value_to_current_end",
    "reconciliation_state",
    "reconciliation_difference",
)
SHARE_FIELDS = ("position", "authority_id", "label", "annual", "whole_life")
YEAR_FIELDS = ("financial_year", "amount")


def _values_of(figures: ContractFigures) -> StoredValues:
    reconciliation = figures.reconciliation
    if reconciliation is None:
        state, difference = "", None
    else:
        state = "ok" if reconciliation.ok else "mismatch"
        difference = reconciliation.stated - reconciliation.computed
    main = (
        figures.current_end,
        figures.maximum_end,
        figures.whole_life_value,
        figures.original_whole_life_value,
        figures.value_to_current_end,
        state,
        difference,
    )
    shares = tuple(
        (position, share.authority.pk, share.label, share.annual, share.whole_life)
        for position, share in enumerate(figures.shares)
    )
    years = tuple(figures.financial_years.items())
    return StoredValues(main, shares, years)


def _insert(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert derived rows (``fields`` in order): COPY on PostgreSQL, where an import
    writes tens of thousands of year rows and building a model and a bound parameter
    for each cell is most of the cost; ``bulk_create`` elsewhere."""
    if not rows:
        return
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql":
        model.objects.using(using).bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows]
        )
        return
    columns = [model._meta.get_field(name).column for name in fields]
    copy_rows(connection, model, columns, rows)


def store_figures(contract_ids: Iterable[int], *, stored_models=None, known=None) -> int:
    """Compute the figures of these contracts with ``figures_for`` and write them.

    In bulk, a batch at a time: the one-to-one row is upserted, the share and year rows
    replaced. Ids of contracts that no longer exist are skipped (their rows went with
    them). Returns the number of contracts stored. ``stored_models`` is for the data
    migration, which passes its historical models; ``known`` maps ids to contracts
    already in memory with all their options and shares (see :func:`known_contracts`),
    which are not read again.
    """
    stored_models = stored_models or _stored_models()
    _, ContractFigures, _, ShareFigures, YearFigures = stored_models
    ids = sorted({pk for pk in contract_ids if pk is not None})
    count = 0
    for batch in _batches(ids):
        mains, shares, years = [], [], []
        for contract, figures in _computed_in_batches(batch, stored_models, known):
            values = _values_of(figures)
            main = dict(zip(MAIN_FIELDS, values.main, strict=True))
            mains.append(ContractFigures(contract_id=contract.pk, **main))
            shares += [(contract.pk, *row) for row in values.shares]
            years += [(contract.pk, *row) for row in values.years]
        with transaction.atomic(savepoint=False):
            if mains:
                now = timezone.now()
                for row in mains:
                    row.computed_at = now
                ContractFigures.objects.bulk_create(
                    mains,
                    update_conflicts=True,
                    unique_fields=["contract"],
                    update_fields=[*MAIN_FIELDS, "computed_at"],
                )
            ShareFigures.objects.filter(contract_id__in=batch).delete()
            YearFigures.objects.filter(contract_id__in=batch).delete()
            _insert(ShareFigures, ("contract_id", *SHARE_FIELDS), shares)
            _insert(YearFigures, ("contract_id", *YEAR_FIELDS), years)
        count += len(mains)
    return count


def _as_stored(value):
    """A value as the database gives it back: SQLite keeps 15 significant digits of a
    decimal (it stores a REAL), so far beyond the value bounds' usual sizes a
    whole-life value comes back rounded there; PostgreSQL keeps every digit."""
    if isinstance(value, Decimal) and connection.vendor == "sqlite":
        rounded = decimal.Context(prec=15).create_decimal_from_float(float(value))
        return rounded.quantize(rules.PENNY, context=decimal.Context(prec=rules.MONEY_PRECISION))
    return value


def _as_stored_values(values: StoredValues) -> StoredValues:
    def each(row):
        return tuple(_as_stored(v) for v in row)

    return StoredValues(
        each(values.main),
        tuple(each(r) for r in values.shares),
        tuple(each(r) for r in values.years),
    )


def _read_stored(batch: list[int], stored_models) -> dict[int, StoredValues]:
    _, ContractFigures, _, ShareFigures, YearFigures = stored_models
    mains = {
        row[0]: row[1:]
        for row in ContractFigures.objects.filter(contract_id__in=batch).values_list(
            "contract_id", *MAIN_FIELDS
        )
    }
    shares: dict[int, list] = {}
    for row in (
        ShareFigures.objects.filter(contract_id__in=batch)
        .order_by("contract_id", "position")
        .values_list("contract_id", *SHARE_FIELDS)
    ):
        shares.setdefault(row[0], []).append(row[1:])
    years: dict[int, list] = {}
    for row in (
        YearFigures.objects.filter(contract_id__in=batch)
        .order_by("contract_id", "financial_year")
        .values_list("contract_id", *YEAR_FIELDS)
    ):
        years.setdefault(row[0], []).append(row[1:])
    return {
        pk: StoredValues(main, tuple(shares.get(pk, ())), tuple(years.get(pk, ())))
        for pk, main in mains.items()
    }


def stale_figures(contract_ids: Iterable[int] | None = None) -> list[int]:
    """Ids of the contracts (all, or these) whose stored figures differ from what
    ``figures_for`` gives now, missing rows included, in id order."""
    stored_models = _stored_models()
    Contract = stored_models[0]
    if contract_ids is None:
        ids = list(Contract._base_manager.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(contract_ids))
    stale = []
    for batch in _batches(ids):
        stored = _read_stored(batch, stored_models)
        for contract, figures in _computed_in_batches(batch, stored_models):
            fresh = _as_stored_values(_values_of(figures))
            if stored.get(contract.pk) != fresh:
                stale.append(contract.pk)
    return stale


def figures_changed(contract_ids: Iterable[int]) -> None:
    """Something that feeds these contracts' figures was written: store them now, or
    at the end of the enclosing :func:`deferred` block."""
    pending = getattr(_pending, "ids", None)
    if pending is not None:
        pending.update(pk for pk in contract_ids if pk is not None)
    else:
        store_figures(contract_ids)


def known_contracts(contracts: Iterable) -> None:
    """Inside a :func:`deferred` block: these saved contracts are in memory with all
    their options and shares (``.options.all()``, ``.shares.all()`` with each share's
    authority, and the lead authority) exactly as written, and nothing else in the
    block will change them, so their figures are worked out from these objects at
    its end rather than read back (an import's new contracts). Their modifications
    are still read, in one query a batch. Outside one, nothing."""
    known = getattr(_pending, "known", None)
    if known is not None:
        known.update((contract.pk, contract) for contract in contracts)


@contextmanager
def deferred():
    """Batch the figures of every write in the block into one store at its end.

    The block runs in a transaction (a savepoint inside one), and the store is its
    last step, so the figures are written in the same transaction as the changes that
    fed them; an exception rolls the block back and stores nothing. Nested blocks
    store once, at the end of the outermost.
    """
    if getattr(_pending, "ids", None) is not None:
        yield
        return
    _pending.ids, _pending.known = set(), {}
    try:
        with transaction.atomic():
            yield
            ids, _pending.ids = _pending.ids, None
            store_figures(ids, known=_pending.known)
    finally:
        _pending.ids = _pending.known = None
