"""Pure domain rules for grants and funding.

No Django here: forms, services, summaries, imports and exports call these so each
figure is worked out once (STYLE.md, "Where rules live"). "docs/domain.md" is the
repository's copy of the domain rules. Money arithmetic reuses contracts.rules
(split_by_shares, financial years, money parsing) so contracts and grants always agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from contracts.rules import (  # noqa: F401 (organisation_id, amount_for_json: used via grants.rules)
    PENNY,
    MoneyError,
    amount_for_json,
    financial_year,
    financial_year_bounds,
    financial_year_label,
    format_money,
    organisation_id,
    parse_money,
    split_by_shares,
    validate_percentage_shares,
)
from ui.bounds import DATE_MAX, DATE_MIN

K = TypeVar("K")
A = TypeVar("A")

ZERO = Decimal("0.00")
THOUSAND = Decimal("1000")
HUNDRED = Decimal("100")

# 360Giving Data Standard 1.4: every grant identifier starts with this prefix.
GIVING_PREFIX = "360G-"


# --- Financial years -------------------------------------------------------------


def financial_year_error(label: str) -> str | None:
    """Why ``label`` is not a financial year written like "2024/25", or None.

    docs/domain.md "Rules: Dates and terms": financial years run 1 April to 31 March. Like
    every date, a financial year lies between 1990 and 2100 (ui.bounds).
    """
    try:
        start, end = financial_year_bounds(label)
    except ValueError:
        return "Enter a financial year like 2024/25 (two consecutive years)."
    if start < DATE_MIN or end > DATE_MAX:
        return "Enter a financial year from 1990/91 to 2099/00."
    return None


def financial_years_between(first: str, last: str) -> list[str]:
    """Every financial year from ``first`` to ``last`` inclusive, in order.

    docs/domain.md "Rules: Dates and terms". Raises ValueError for a bad label, or when
    ``last`` comes before ``first``.
    """
    start = financial_year_bounds(first)[0].year
    end = financial_year_bounds(last)[0].year
    if end < start:
        raise ValueError("The last financial year is before the first.")
    return [financial_year_label(year) for year in range(start, end + 1)]


def financial_years_ahead(today: date, count: int = 3) -> tuple[str, str]:
    """The first and last of ``count`` financial years from the one ``today`` is in: the
    summaries' default period (2026/27 to 2028/29 on 7 December 2026)."""
    start = financial_year_bounds(financial_year(today))[0].year
    return financial_year_label(start), financial_year_label(start + count - 1)


def period_label(first: str, last: str = "") -> str:
    """ "2024/25" for one year, "2022/23 to 2024/25" for several (Kent's OHID grants)."""
    return first if not last or last == first else f"{first} to {last}"


# --- Commitments -------------------------------------------------------------------


def uncommitted(allocation_amount: Decimal, commitments: Iterable[Decimal]) -> Decimal:
    """What is left of an allocation after its commitments (negative if over-committed).

    docs/domain.md "Grant allocation": part of a grant is committed to contracts (£382,000 of
    Kent's £11,424,253), the rest is uncommitted.
    """
    return allocation_amount - sum(commitments, ZERO)


def commitment_error(
    allocation_amount: Decimal, other_commitments: Iterable[Decimal], amount: Decimal
) -> str | None:
    """Why committing ``amount`` from an allocation is refused, or None if it fits.

    Issue 5, "Commitments": the sum of an allocation's commitments can never exceed the
    allocation. ``other_commitments`` are the allocation's other commitments (leave out
    the one being edited).
    """
    if amount <= 0:
        return "Enter an amount greater than £0."
    headroom = uncommitted(allocation_amount, other_commitments)
    if amount > headroom:
        left = format_money(max(headroom, ZERO))
        over = format_money(amount - headroom)
        return (
            f"Only {left} of this allocation is uncommitted. "
            f"This commitment is {over} more than that: enter {left} or less."
        )
    return None


def commitment_year_error(year: str, allocation_years: Sequence[str]) -> str | None:
    """Why a commitment in financial year ``year`` is refused, or None if it fits.

    Issue 5, "Commitments": money is committed in a financial year the allocation covers
    (``allocation_years``, in order); a grant for 2024/25 cannot pay for 2025/26.
    """
    if year in allocation_years:
        return None
    first, last = allocation_years[0], allocation_years[-1]
    covered = first if first == last else f"{first} to {last}"
    return f"Choose a financial year this allocation covers: {covered}."


def allocation_amount_error(amount: Decimal, committed: Decimal) -> str | None:
    """Why an allocation cannot be set to ``amount`` given what is committed, or None."""
    if amount < committed:
        return (
            f"{format_money(committed)} of this allocation is already committed. "
            "Enter an amount at least that large, or reduce the commitments first."
        )
    return None


# --- Coverage of a contract's cost by its funding ----------------------------------

COVERED = "covered"
GAP = "gap"
OVER = "over"
NOT_VALUED = "not_valued"


@dataclass(frozen=True)
class YearCoverage:
    """One financial year of a contract: its cost, its funding and the difference."""

    financial_year: str
    cost: Decimal
    funded: Decimal

    @property
    def difference(self) -> Decimal:
        """Funding minus cost: negative is a gap, positive is over-commitment."""
        return self.funded - self.cost

    @property
    def status(self) -> str:
        # A year with no cost and no funding is a contract not yet valued (Southend's
        # £0 lines): nothing is funded, so it is never "fully funded".
        if self.cost == 0 and self.funded == 0:
            return NOT_VALUED
        if self.difference < 0:
            return GAP
        if self.difference > 0:
            return OVER
        return COVERED

    @property
    def label(self) -> str:
        if self.status == GAP:
            return f"Gap of {format_money(-self.difference)}"
        if self.status == OVER:
            return f"Over-committed by {format_money(self.difference)}"
        if self.status == NOT_VALUED:
            return "Not yet valued"
        return "Fully funded"


def coverage(
    cost_by_year: Mapping[str, Decimal], funding_by_year: Mapping[str, Decimal]
) -> list[YearCoverage]:
    """Each financial year's funding compared with the contract's value in that year.

    Issue 5, "Funding sources on contracts": a coverage check flags gaps (funding short
    of the cost) and over-commitment (funding beyond it, including funding in a year the
    contract does not run). Years come from both sides, in order.
    """
    years = sorted(set(cost_by_year) | set(funding_by_year))
    return [
        YearCoverage(year, cost_by_year.get(year, ZERO), funding_by_year.get(year, ZERO))
        for year in years
    ]


def add_by_year(rows: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """(financial year, amount) pairs summed per year, in year order."""
    totals: dict[str, Decimal] = {}
    for year, amount in rows:
        totals[year] = totals.get(year, ZERO) + amount
    return dict(sorted(totals.items()))


# --- Splits by authority and financial year ------------------------------------------


def split_profile(
    profile: Mapping[str, Decimal], weights: Mapping[A, Decimal]
) -> dict[str, dict[A, Decimal]]:
    """Each financial year's amount split between authorities by their shares.

    docs/domain.md "Rules: Money": shares split a figure so the parts add up exactly to the
    whole (largest remainder to the penny), so each year's parts add up to that year,
    and all the parts add up to the profile's total.
    """
    return {year: split_by_shares(amount, weights) for year, amount in profile.items()}


def round_to_unit(amount: Decimal, unit: Decimal) -> Decimal:
    """``amount`` to the nearest ``unit`` (£1,000 for "£000s" tables), half up."""
    return ((amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP) * unit).quantize(PENNY)


def split_in_units(
    amount: Decimal, weights: Mapping[K, Decimal], unit: Decimal
) -> dict[K, Decimal]:
    """``amount`` rounded to ``unit``, then split by ``weights`` in whole units.

    How council tables in £000s are built (Northamptonshire's Table 2: SSMTRG 2023/24
    £1,366k shared 48.6/51.4 is printed 664 + 702): each cell is whole units, the
    cells of a row add up to its rounded total, and a totals row adds the printed
    cells, so what is printed adds up (docs/domain.md "Rules: Money").
    """
    units = (amount / unit).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    # split_by_shares splits whole pence by largest remainder; treating each unit as a
    # penny gives the same rule at the coarser grain.
    parts = split_by_shares(units * PENNY, weights)
    return {key: (part / PENNY * unit).quantize(PENNY) for key, part in parts.items()}


# --- Shares as written in a CSV cell -------------------------------------------------

_SHARE = re.compile(r"^(?P<who>.+?)\s*[:=]?\s*(?P<percent>\d+(?:\.\d+)?)\s*%$")


def parse_shares(text: str) -> list[tuple[str, Decimal]]:
    """Read shares written "NNC=48.6%;WNC=51.4%" into (authority, percentage) pairs.

    The contracts import's format (contracts/csv_format.py, cost_shares); the authority
    may be written by name or short name, and "NNC 48.6%" or "NNC: 48.6%" are read
    too. Blank means no shares (the recipient keeps it all). Raises ValueError naming
    the problem; percentages must total 100 (docs/domain.md "Rules: Money").
    """
    text = text.strip()
    if not text:
        return []
    pairs: list[tuple[str, Decimal]] = []
    for piece in (p.strip() for p in text.split(";")):
        match = _SHARE.match(piece)
        if not match:
            raise ValueError(
                f'cannot read the share "{piece}": write shares like "NNC=48.6%;WNC=51.4%"'
            )
        pairs.append((match["who"].strip(), Decimal(match["percent"])))
    names = [who.casefold() for who, _ in pairs]
    if len(set(names)) != len(names):
        raise ValueError("an authority is given more than one share")
    errors = validate_percentage_shares(dict(pairs))
    if errors:
        raise ValueError(errors[0][0].lower() + errors[0][1:].rstrip("."))
    return pairs


def format_shares(pairs: Iterable[tuple[str, Decimal]]) -> str:
    """The inverse of :func:`parse_shares`: "NNC=48.6%;WNC=51.4%"."""
    return ";".join(f"{who}={percent.normalize():f}%" for who, percent in pairs)


def parse_amount(text: str) -> Decimal:
    """An allocation amount as councils write it (contracts.rules.parse_money), never
    negative. Raises MoneyError naming the value."""
    amount = parse_money(text)
    if amount < 0:
        raise MoneyError(text, "an allocation cannot be negative")
    return amount


# --- 360Giving -------------------------------------------------------------------------

_PREFIX = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")


def giving_id(prefix: str, local_id: str | int) -> str:
    """A grant's 360Giving identifier: "360G-" + the publisher's prefix + a local id.

    360Giving Data Standard 1.4, "Grant identifier": the registered prefix (which
    already starts "360G-" once registered, e.g. "360G-kentcc") followed by an
    identifier from the funder's own records, unique and never reused.
    """
    prefix = prefix.strip().removeprefix(GIVING_PREFIX)
    if not _PREFIX.match(prefix):
        raise ValueError(f'"{prefix}" is not a 360Giving prefix: use letters, digits and "-".')
    return f"{GIVING_PREFIX}{prefix.rstrip('-')}-{local_id}"
