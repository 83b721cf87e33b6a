"""A contract's computed figures: the one place models meet contracts.rules.

Pages, exports, imports, PDFs and the decisions and grants apps all call
``figures_for(contract)``, so every figure comes from the same rule. It reads the
contract's options and shares through ``.all()``, so callers that list many contracts
prefetch them (``Contract.objects.with_related()``) and pay no query per row.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.utils import timezone

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
    time_remaining: str
    next_option_deadline: rules.OptionNotice | None
    shares: list[ShareFigure] = field(default_factory=list)

    @cached_property
    def financial_years(self) -> dict[str, Decimal]:
        """Value per financial year ("2024/25"), worked out when first asked for: the
        register lists many contracts and never shows it."""
        return rules.financial_year_profile(self.years)

    @property
    def status_label(self) -> str:
        return self.status.replace("_", " ").capitalize()


def rule_options(contract) -> list[rules.Option]:
    return [
        rules.Option(months=o.months, price=o.price, status=o.status)
        for o in sorted(contract.options.all(), key=lambda o: o.sequence)
    ]


def _share_figures(contract, years, whole_life: Decimal) -> list[ShareFigure]:
    shares = list(contract.shares.all())
    if not shares:
        # No shares recorded: the lead authority pays it all.
        return [ShareFigure(contract.lead_authority, "100%", contract.annual_value, whole_life)]
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
    annual = rules.split_by_shares(contract.annual_value, weights)
    whole = rules.split_by_shares(whole_life, weights)
    return [ShareFigure(s.authority, labels[i], annual[i], whole[i]) for i, s in enumerate(shares)]


@rules.wide_decimals
def figures_for(contract, today: date | None = None) -> ContractFigures:
    today = today or timezone.localdate()
    options = rule_options(contract)
    exercised = rules.exercised_option_months(options)
    current_end = rules.current_end(contract.initial_end_date, exercised)
    available = rules.available_option_months(options)
    maximum_end = rules.maximum_end(contract.initial_end_date, available)
    args = (
        contract.start_date,
        contract.initial_end_date,
        contract.annual_value,
        contract.annual_uplift_percent,
        contract.uplift_from_year,
    )
    years = rules.contract_years(*args, options=options)
    whole_life = sum((y.amount for y in years), Decimal("0.00"))
    if any(y.end == current_end for y in years):
        # The rows tile the term, so when one ends on the current end the rows up to
        # it are exactly the schedule rules.value_to_current_end would cut: sum them
        # rather than work the schedule out twice.
        value_to_current = sum((y.amount for y in years if y.end <= current_end), Decimal("0.00"))
    else:
        value_to_current = rules.value_to_current_end(*args, options=options)
    reconciliation = (
        rules.reconcile(contract.stated_whole_life_value, whole_life)
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
        time_remaining=rules.time_remaining(today, current_end),
        next_option_deadline=rules.next_option_deadline(notices, today),
        shares=_share_figures(contract, years, whole_life),
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
