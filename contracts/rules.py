"""Pure domain rules for contracts: terms, values, shares, money and status.

No Django here. Forms, views, PDFs, exports and imports all call these functions so
each figure is worked out in one place (STYLE.md, "Where rules live"). "docs/domain.md"
below is the repository's copy of the domain rules; its section names are quoted.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from ui.money import (  # noqa: F401 (contracts.rules.* is how the apps name them)
    MONEY_PRECISION,
    PENNY,
    MoneyError,
    Reconciliation,
    format_money,
    parse_money,
    read_money,
    reconcile,
    stated_tolerance,
    wide_decimals,
)

K = TypeVar("K")

ONE_DAY = timedelta(days=1)
MONTHS_IN_YEAR = 12

# Extension option statuses (docs/domain.md "Contract": pending, exercised or declined).
PENDING = "pending"
EXERCISED = "exercised"
DECLINED = "declined"
OPTION_STATUSES = (PENDING, EXERCISED, DECLINED)

# Contract statuses, derived from dates by derive_status().
PIPELINE = "pipeline"
IN_PROCUREMENT = "in_procurement"
STANDSTILL = "standstill"  # PSR reg 12: no award until the standstill period ends.
LIVE = "live"
IN_EXTENSION = "in_extension"
EXPIRED = "expired"
TERMINATED = "terminated"
CONTRACT_STATUSES = (
    PIPELINE,
    IN_PROCUREMENT,
    STANDSTILL,
    LIVE,
    IN_EXTENSION,
    EXPIRED,
    TERMINATED,
)
PROCUREMENT_STAGES = (IN_PROCUREMENT, STANDSTILL)

CORE = "core"


# --- Dates and terms -------------------------------------------------------------


# Days in each month of a common year (index 1 is January); February gains a leap day.
_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(year: int, month: int) -> int:
    # Not calendar.monthrange, which works out the weekday too: the stored figures of
    # an import call this hundreds of thousands of times.
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_DAYS[month]


def is_month_end(d: date) -> bool:
    """Whether ``d`` is the last day of its month (docs/domain.md "Rules: Dates and terms")."""
    return d.day == _days_in_month(d.year, d.month)


def add_months(d: date, months: int) -> date:
    """``d`` moved by ``months`` calendar months (negative moves back).

    docs/domain.md "Rules: Dates and terms": a month-end date lands on the month end of the
    target month (31 Jan + 1 = 28 or 29 Feb; 28 Feb 2023 + 12 = 29 Feb 2024). Any other
    day keeps its number, clipped to the length of the target month.
    """
    year, month_index = divmod(d.year * 12 + d.month - 1 + months, 12)
    month = month_index + 1
    last = _days_in_month(year, month)
    return date(year, month, last if is_month_end(d) else min(d.day, last))


def term_end(start: date, months: int) -> date:
    """Last day of a term of ``months`` months from ``start``.

    docs/domain.md "Rules: Dates and terms": the term ends the day before the same date
    ``months`` on (1 Feb 2025 + 24 ends 31 Jan 2027; 1 Apr 2024 + 10 ends 31 Jan 2025).
    """
    if months < 1:
        raise ValueError("A term must be at least one month long.")
    return add_months(start, months) - ONE_DAY


def extend_end(end: date, months: int) -> date:
    """End date after an extension of ``months`` starting the day after ``end``.

    docs/domain.md "Contract: Term" and Kent decision 23/00032 (a contract ending 31 Mar 2024
    extended by 10 months runs 1 Apr 2024 to 31 Jan 2025).
    """
    return term_end(end + ONE_DAY, months)


def current_end(initial_end: date, exercised_months: Sequence[int]) -> date:
    """Current end date: initial end plus the exercised options, in order.

    docs/domain.md "Contract: Term" (*Current end date*).
    """
    end = initial_end
    for months in exercised_months:
        end = extend_end(end, months)
    return end


def maximum_end(initial_end: date, option_months: Sequence[int]) -> date:
    """Latest possible end: initial end plus every option given, in order.

    docs/domain.md "Contract: Term" (*Maximum end date*); OCDS 1.1.5
    ``contracts[].period.maxExtentDate``. Callers leave out declined options, which can
    no longer be taken (see :func:`available_option_months`).
    """
    return current_end(initial_end, option_months)


def whole_months(start: date, end: date) -> int | None:
    """Number of whole months from ``start`` to ``end`` inclusive, else None.

    A span is whole months when it is exactly a term (``term_end(start, n) == end``,
    docs/domain.md "Rules: Dates and terms"); used for part years (docs/domain.md "Rules: Money").
    """
    approx = (end.year - start.year) * 12 + end.month - start.month
    # term_end(start, n) falls in month n or n - 1 after start, so n is approx or +1.
    for n in (approx, approx + 1):
        if n >= 1 and term_end(start, n) == end:
            return n
    return None


def months_and_days_between(start: date, end: date) -> tuple[int, int]:
    """Whole months then days from ``start`` to ``end`` (``add_months`` rules).

    docs/domain.md "Rules: Dates and terms". Raises ValueError when ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError("The end date is before the start date.")
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months, (end - add_months(start, months)).days


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def time_remaining(today: date, end: date) -> str:
    """Time left on a term that ends at the close of ``end``, for people to read.

    "ended" once ``end`` has passed. The last day counts, so on the end date itself
    "1 day" is left. A year or more shows years and months ("1 year 2 months"); less
    shows months and days ("3 months 4 days") or days ("15 days"). docs/domain.md "Contract".
    """
    if today > end:
        return "ended"
    months, days = months_and_days_between(today, end + ONE_DAY)
    years, months = divmod(months, MONTHS_IN_YEAR)
    if years:
        parts = [_plural(years, "year")] + ([_plural(months, "month")] if months else [])
    elif months:
        parts = [_plural(months, "month")] + ([_plural(days, "day")] if days else [])
    else:
        parts = [_plural(days, "day")]
    return " ".join(parts)


# --- Extension options -------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """An extension option: its length, an optional price for the whole option period,
    and whether it is pending, exercised or declined (docs/domain.md "Contract: Term")."""

    months: int
    price: Decimal | None = None
    status: str = PENDING

    def __post_init__(self) -> None:
        if self.status not in OPTION_STATUSES:
            raise ValueError(f"Unknown option status {self.status!r}.")
        if self.months < 1:
            raise ValueError("An extension option must be at least one month long.")


def available_option_months(options: Sequence[Option]) -> list[int]:
    """Lengths of the options that can still run: all but the declined ones.

    docs/domain.md "Contract: Term"; these give the maximum end (OCDS ``maxExtentDate``).
    """
    return [option.months for option in options if option.status != DECLINED]


def exercised_option_months(options: Sequence[Option]) -> list[int]:
    """Lengths of the exercised options, which give the current end (docs/domain.md "Term")."""
    return [option.months for option in options if option.status == EXERCISED]


@dataclass(frozen=True)
class OptionNotice:
    """An option (numbered from 1, in contract order) and the last day to give notice
    of exercising it. Input to :func:`next_option_deadline`."""

    number: int
    deadline: date
    status: str = PENDING


def next_option_deadline(notices: Iterable[OptionNotice], today: date) -> OptionNotice | None:
    """The pending option whose notice deadline comes first on or after ``today``.

    Decided options and missed deadlines are skipped; None when nothing is due.
    docs/domain.md "Contract: Term" (exercising an option needs authority, so it needs notice).
    """
    due = [n for n in notices if n.status == PENDING and n.deadline >= today]
    return min(due, key=lambda n: (n.deadline, n.number), default=None)


# --- Contract value ----------------------------------------------------------------


def _exact(value: Decimal | int) -> Fraction:
    # Floats would carry binary error into money (docs/domain.md "Rules: Money").
    if isinstance(value, float):
        raise TypeError("Money must be a Decimal, never a float.")
    return Fraction(value)


def _to_penny(value: Fraction) -> Decimal:
    """``value`` rounded to the penny, half away from zero (ROUND_HALF_UP)."""
    # In whole numbers: floor(|n|/d × 100 + 1/2) is (200|n| + d) // 2d.
    numerator, denominator = value.numerator, value.denominator
    rounded = (200 * abs(numerator) + denominator) // (2 * denominator)
    # A string makes the Decimal exactly, at any size, whatever the context's precision.
    return Decimal(f"{-rounded if numerator < 0 else rounded}E-2")


def _to_decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


@dataclass(frozen=True)
class ContractYear:
    """One row of the value schedule: contract year ``number`` (from 1) or the part of
    it in one period. ``fraction`` is the share of a full contract year the row covers;
    ``amount`` is rounded to the penny; ``source`` is "core" or "option N"."""

    number: int
    start: date
    end: date
    fraction: Decimal
    amount: Decimal
    source: str


@dataclass(frozen=True)
class _Period:
    start: date
    end: date
    source: str
    price: Decimal | None
    months: int | None
    # What a priced period's price is spread over, when not the period itself (a term
    # change cuts an option short: see _Costed).
    price_start: date | None = None
    price_end: date | None = None


def _periods(start: date, initial_end: date, options: Sequence[Option]) -> list[_Period]:
    if initial_end < start:
        raise ValueError("The initial end date is before the start date.")
    periods = [_Period(start, initial_end, CORE, None, None)]
    end = initial_end
    for number, option in enumerate(options, start=1):
        if option.status == DECLINED:
            continue
        period_start, end = end + ONE_DAY, extend_end(end, option.months)
        periods.append(_Period(period_start, end, f"option {number}", option.price, option.months))
    return periods


def _share(start: date, end: date, whole: int, whole_days: int) -> Fraction:
    """Share of a span that is ``whole`` months or ``whole_days`` days long taken by
    ``start``..``end``: by months when ``start``..``end`` is whole months, else days."""
    months = whole_months(start, end)
    if months is not None:
        return Fraction(months, whole)
    return Fraction((end - start).days + 1, whole_days)


@wide_decimals
def contract_years(
    start: date,
    initial_end: date,
    annual_value: Decimal,
    uplift_percent: Decimal = Decimal(0),
    uplift_from_year: int = 2,
    options: Sequence[Option] = (),
    to: date | None = None,
) -> list[ContractYear]:
    """Year-by-year value schedule from ``start`` to ``to``.

    docs/domain.md "Rules: Money". Contract year k runs from ``add_months(start, 12(k-1))``.
    It costs ``annual_value`` before year ``uplift_from_year`` (f) and
    ``annual_value * (1 + uplift_percent/100) ** (k - f + 1)`` from then on, compounding
    (the Kent report's 1% a year from year two). A part year costs its share of the
    full year: whole months / 12, or else days / days in that contract year.

    Options run in order after the initial end. Declined options are left out: they can
    no longer be taken, and later options follow on from the last one that can. An
    option with a ``price`` is costed at that price for its whole period, spread pro
    rata by the same months-or-days rule over the option's own length rather than
    the annual value, so a contract year straddling two periods gives one row per
    period. Each row is rounded to the penny half up; totals are sums of rows.

    ``to`` defaults to the maximum end (all options except declined ones); a later
    date is cut back to it, and one before ``start`` gives no rows.
    """
    periods = _periods(start, initial_end, options)
    return _base_rows(start, annual_value, uplift_percent, uplift_from_year, periods, to=to)


def _total(rows: Iterable[ContractYear]) -> Decimal:
    return sum((row.amount for row in rows), Decimal("0.00"))


@wide_decimals
def whole_life_value(
    start: date,
    initial_end: date,
    annual_value: Decimal,
    uplift_percent: Decimal = Decimal(0),
    uplift_from_year: int = 2,
    options: Sequence[Option] = (),
) -> Decimal:
    """Whole-life value: the sum of the rounded rows to the maximum end.

    docs/domain.md "Contract: Value" and "Rules: Money" (Kent seed: £4,099,533.88). Takes the
    arguments of :func:`contract_years` except ``to``; declined options are left out.
    """
    return _total(
        contract_years(start, initial_end, annual_value, uplift_percent, uplift_from_year, options)
    )


@wide_decimals
def value_to(
    to: date,
    start: date,
    initial_end: date,
    annual_value: Decimal,
    uplift_percent: Decimal = Decimal(0),
    uplift_from_year: int = 2,
    options: Sequence[Option] = (),
) -> Decimal:
    """Value of the contract from its start to ``to`` inclusive (e.g. spent to date).

    docs/domain.md "Rules: Money"; ``to`` first, then the arguments of :func:`contract_years`.
    """
    rows = contract_years(
        start, initial_end, annual_value, uplift_percent, uplift_from_year, options, to
    )
    return _total(rows)


@wide_decimals
def value_to_current_end(
    start: date,
    initial_end: date,
    annual_value: Decimal,
    uplift_percent: Decimal = Decimal(0),
    uplift_from_year: int = 2,
    options: Sequence[Option] = (),
) -> Decimal:
    """Value to the current end: the core term plus exercised options only.

    docs/domain.md "Contract: Term" (*Current end date*) and "Rules: Money". Same arguments as
    :func:`whole_life_value`.
    """
    end = current_end(initial_end, exercised_option_months(options))
    return value_to(
        end, start, initial_end, annual_value, uplift_percent, uplift_from_year, options
    )


# --- Cost shares -------------------------------------------------------------------


def _ratio(value: Decimal | int) -> tuple[int, int]:
    """``value`` as an exact (numerator, denominator) of integers."""
    if isinstance(value, float):
        raise TypeError("Money must be a Decimal, never a float.")
    return value.as_integer_ratio()


def split_by_shares(amount: Decimal, weights: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Split ``amount`` in proportion to ``weights`` so the parts add up exactly.

    docs/domain.md "Rules: Money" (shares, largest remainder to the penny). Weights may be
    percentages (48.6 / 51.4) or fixed amounts. Each part gets its whole pence; the
    pence left over go one each to the largest remainders, ties going to the key given
    first. A negative amount is split as its size and negated.

    Worked in whole numbers (pence, and the weights over their common denominator), as
    the profile of every stored contract calls it for each schedule row: 100.01 split
    48.6 / 51.4 is 10001 × 486 // 1000 = 4860 and 10001 × 514 // 1000 = 5140 pence,
    remainders 486 and 514, so the one penny left goes to the second part.
    """
    if not weights:
        raise ValueError("There are no shares to split the amount between.")
    ratios = [_ratio(weight) for weight in weights.values()]
    if any(numerator < 0 for numerator, _ in ratios):
        raise ValueError("A share cannot be negative.")
    common = math.lcm(*(denominator for _, denominator in ratios))
    scaled = [numerator * (common // denominator) for numerator, denominator in ratios]
    total_weight = sum(scaled)
    if total_weight == 0:
        raise ValueError("The shares add up to nothing.")
    numerator, denominator = _ratio(amount)
    pence, inexact = divmod(numerator * 100, denominator)
    if inexact:
        raise ValueError(f"{amount} is not a whole number of pence.")
    sign, whole = (-1 if pence < 0 else 1), abs(pence)
    parts, remainders = [], []
    for weight in scaled:
        part, remainder = divmod(whole * weight, total_weight)
        parts.append(part)
        remainders.append(remainder)
    left_over = whole - sum(parts)
    by_remainder = sorted(range(len(parts)), key=lambda i: (-remainders[i], i))
    for i in by_remainder[:left_over]:
        parts[i] += 1
    # A string makes the Decimal exactly, at any size, whatever the context's precision.
    return {key: Decimal(f"{sign * part}E-2") for key, part in zip(weights, parts, strict=True)}


def _plain_number(value: Decimal) -> str:
    return f"{value.normalize():f}"  # 99.90 -> "99.9", 100.00 -> "100"


def validate_percentage_shares(percentages: Mapping[str, Decimal]) -> list[str]:
    """Errors in percentage cost shares, keyed by who pays (usually the authority).

    docs/domain.md "Rules: Money": percentages must total exactly 100; STYLE.md: each share is
    between 0 and 100. An empty list means the shares are valid.
    """
    if not percentages:
        return ["Enter at least one share."]
    errors = [
        f"The share for {name} must be between 0% and 100%."
        for name, percent in percentages.items()
        if not 0 <= percent <= 100
    ]
    total = sum(percentages.values(), Decimal(0))
    if total != 100:
        errors.append(
            f"The shares add up to {_plain_number(total)}%. They must add up to exactly 100%."
        )
    return errors


@wide_decimals
def validate_fixed_shares(amounts: Mapping[str, Decimal], annual_value: Decimal) -> list[str]:
    """Errors in fixed-amount cost shares, keyed by who pays.

    docs/domain.md "Rules: Money": fixed amounts must total the figure they share, here the
    annual value. An empty list means the shares are valid.
    """
    if not amounts:
        return ["Enter at least one amount."]
    errors = []
    for name, amount in amounts.items():
        if amount < 0:
            errors.append(f"The amount for {name} cannot be negative.")
        elif amount != amount.quantize(PENNY):
            errors.append(f"The amount for {name} must be in pounds and pence.")
    total = sum(amounts.values(), Decimal(0))
    if total != annual_value:
        errors.append(
            f"The amounts add up to {format_money(total)}. They must add up to "
            f"the annual value of {format_money(annual_value)}."
        )
    return errors


# --- Authorising an option --------------------------------------------------------


def authorisation_warnings(
    *,
    decided_on: date,
    decision_number: str,
    decision_taken: bool,
    decision_date: date | None,
) -> list[str]:
    """Why an option decision dated ``decided_on`` may not rest on the decision it cites.

    docs/domain.md "Decisions": a contract change is authorised by a decision already taken, on
    or before the change (Local Authorities (Executive Arrangements) (Meetings and Access
    to Information) (England) Regulations 2012, regs 12-13: the decision is recorded
    when it is made). A decision still planned, or one dated after the option decision,
    may be a mistake or a delegation recorded early: the user is warned, and must say
    why in the reason and confirm. (Another authority's decision is never offered.)
    """
    warnings = []
    if not decision_taken:
        warnings.append(f"Decision {decision_number} has not been taken yet.")
    if decision_date is not None and decision_date > decided_on:
        warnings.append(
            f"Decision {decision_number} is dated {decision_date.day} {decision_date:%B %Y}, "
            f"after this decision ({decided_on.day} {decided_on:%B %Y})."
        )
    return warnings


# --- Status ------------------------------------------------------------------------


def derive_status(
    today: date,
    *,
    start: date | None,
    initial_end: date | None,
    current_end: date | None = None,
    procurement_stage: str | None = None,
    terminated: bool = False,
) -> str:
    """The contract's status on ``today``, one of ``CONTRACT_STATUSES``.

    docs/domain.md "Contract: Term" and PSR 2023 reg 12 (standstill). Termination wins. Before
    the start (or with no start yet) the procurement stage if one is given, else
    pipeline. After the current end (which defaults to the initial end): expired. On
    or before it: in_extension when past the initial end, that is, in an exercised
    option, else live. With no end date at all (a rolling SLA) a started contract is
    live. An exercised option is implied by ``current_end`` being after
    ``initial_end``, so no separate flag is needed.
    """
    if terminated:
        return TERMINATED
    if start is None or today < start:
        if procurement_stage is None:
            return PIPELINE
        if procurement_stage not in PROCUREMENT_STAGES:
            raise ValueError(f"Unknown procurement stage {procurement_stage!r}.")
        return procurement_stage
    end = current_end or initial_end
    if end is not None and today > end:
        return EXPIRED
    if initial_end is not None and today > initial_end:
        return IN_EXTENSION
    return LIVE


# --- Financial years ---------------------------------------------------------------

_FINANCIAL_YEAR = re.compile(r"(?P<start>\d{4})/(?P<end>\d{2})")


def financial_year_label(first: int) -> str:
    """The financial year that starts on 1 April ``first``, written "2024/25": the one
    place a financial year's label is made. docs/domain.md "Rules: Dates and terms"."""
    return f"{first}/{(first + 1) % 100:02d}"


def financial_year(d: date) -> str:
    """Financial year of ``d``, written "2024/25" (1 April 2024 to 31 March 2025).

    docs/domain.md "Rules: Dates and terms".
    """
    return financial_year_label(d.year if d.month >= 4 else d.year - 1)


def financial_year_bounds(label: str) -> tuple[date, date]:
    """First and last day of the financial year written ``label`` ("2024/25").

    docs/domain.md "Rules: Dates and terms". Raises ValueError for a label that is not two
    consecutive years.
    """
    match = _FINANCIAL_YEAR.fullmatch(label.strip())
    if match is None or (int(match["start"]) + 1) % 100 != int(match["end"]):
        raise ValueError(f'"{label}" is not a financial year like 2024/25.')
    first = int(match["start"])
    return date(first, 4, 1), date(first + 1, 3, 31)


def _calendar_months(start: date, end: date) -> int | None:
    """Months in ``start``..``end`` when it runs from a 1st to a month end."""
    if start.day != 1 or not is_month_end(end):
        return None
    return (end.year - start.year) * 12 + end.month - start.month + 1


def _weights(pieces: Mapping[str, tuple[date, date]]) -> dict[str, Decimal]:
    """Whole calendar months of each piece if all are whole months, else days."""
    months = [_calendar_months(start, end) for start, end in pieces.values()]
    if None not in months:
        return {label: Decimal(count or 0) for label, count in zip(pieces, months, strict=True)}
    return {label: Decimal((end - start).days + 1) for label, (start, end) in pieces.items()}


@wide_decimals
def financial_year_profile(years: Sequence[ContractYear]) -> dict[str, Decimal]:
    """Value per financial year, in order, from contract-year rows.

    docs/domain.md "Rules: Dates and terms" and "Rules: Money". Each row is split across the
    financial years it touches: by whole months when every piece is whole calendar
    months (so the row starts on the 1st), otherwise by days. The pieces of each row add
    up exactly to the row (largest remainder), so the profile totals the schedule.
    """
    profile: dict[str, Decimal] = {}
    for row in years:
        pieces: dict[str, tuple[date, date]] = {}
        piece_start = row.start
        while piece_start <= row.end:
            label = financial_year(piece_start)
            piece_end = min(row.end, financial_year_bounds(label)[1])
            pieces[label] = (piece_start, piece_end)
            piece_start = piece_end + ONE_DAY
        for label, part in split_by_shares(row.amount, _weights(pieces)).items():
            profile[label] = profile.get(label, Decimal("0.00")) + part
    return dict(sorted(profile.items()))


# --- Open data (OCDS, the Transparency Code, 360Giving) ---------------------------------

CHARITY_SCHEME = "GB-CHC"
COMPANY_SCHEME = "GB-COH"


def organisation_identifier(*, charity_number: str = "", company_number: str = "") -> tuple:
    """An organisation's (scheme, id) in org-id.guide's lists, or None with neither number.

    org-id.guide: a registered charity in England and Wales is in the Charity
    Commission's list "GB-CHC", a company in Companies House's "GB-COH" (upper case,
    as Companies House writes "SC123456"). The charity number wins when there are both,
    as 360Giving and OCDS publishers in the UK use it first.

    >>> organisation_identifier(charity_number=" 1166577 ")
    ('GB-CHC', '1166577')
    >>> organisation_identifier(company_number="sc123456")
    ('GB-COH', 'SC123456')
    >>> organisation_identifier() is None
    True
    """
    if charity_number.strip():
        return CHARITY_SCHEME, charity_number.strip()
    if company_number.strip():
        return COMPANY_SCHEME, company_number.strip().upper()
    return None


def organisation_id(
    *, charity_number: str = "", company_number: str = "", fallback: str = ""
) -> str:
    """An organisation's identifier (org-id.guide, as 360Giving and OCDS ask).

    A registered charity in England and Wales is "GB-CHC-<number>", a company
    "GB-COH-<number>"; an organisation with neither gets the publisher's own identifier
    (``fallback``).
    """
    found = organisation_identifier(charity_number=charity_number, company_number=company_number)
    if found:
        return "-".join(found)
    if not fallback:
        raise ValueError("An organisation with no charity or company number needs an id.")
    return fallback


def amount_for_json(amount: Decimal) -> int | float:
    """A money amount as a JSON number (360Giving and OCDS): whole pounds as integers,
    else pounds and pence."""
    amount = amount.quantize(PENNY)
    return int(amount) if amount == amount.to_integral_value() else float(amount)


# The Local Government Transparency Code 2015, part 2: contracts above this value are
# published every quarter.
TRANSPARENCY_CONTRACT_THRESHOLD = Decimal("5000")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def quarter_bounds(label: str) -> tuple[date, date]:
    """First and last day of the calendar quarter written ``label`` ("2026-Q3").

    The Transparency Code asks for contracts every quarter; quarters here are calendar
    quarters (Q1 is January to March), so a label never depends on the financial year.
    Raises ValueError for any other text.

    >>> quarter_bounds("2026-Q3")
    (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    """
    match = _QUARTER.match(label.strip())
    if not match or not 1 <= int(match[1]) <= 9999:
        raise ValueError(f'"{label}" is not a quarter: write it as 2026-Q3.')
    year, quarter = int(match[1]), int(match[2])
    first_month = 3 * quarter - 2
    last_month = first_month + 2
    return date(year, first_month, 1), date(
        year, last_month, calendar.monthrange(year, last_month)[1]
    )


def quarter_of(day: date) -> str:
    """The calendar quarter ``day`` falls in: ``quarter_of(date(2026, 8, 1))`` is "2026-Q3"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


# --- Modifications (Provider Selection Regime, SI 2023/1348 reg 13) -----------------------

# The grounds of reg 13(1), by the codes the variation form stores.
PROVIDED_FOR = "provided_for"  # (a) provided for in the contract
PROVIDER_IDENTITY = "provider_identity"  # (b) the provider's identity after a corporate change
EXTERNAL = "external"  # (c) external factors beyond the authority's and provider's control
AUTHORITY = "authority"  # (d) attributable to a decision of the authority
MODIFICATION_GROUNDS = (PROVIDED_FOR, PROVIDER_IDENTITY, EXTERNAL, AUTHORITY)
# Reg 13(1)(d)(ii): the cumulative change in lifetime value since the contract was entered
# into must be under £500,000 or under 25% of the original lifetime value.
MODIFICATION_VALUE_LIMIT = Decimal("500000")
MODIFICATION_SHARE_LIMIT = Decimal("0.25")
# Reg 13(2)-(3): a permitted modification changing the lifetime value by £500,000 or more
# is published in a transparency notice within 30 days.
MODIFICATION_NOTICE_THRESHOLD = Decimal("500000")
MODIFICATION_NOTICE_DAYS = 30
# NHS England's PSR modification guidance: a contract awarded by Direct Award Process A
# or B may be modified if the change does not make it materially different in character.
DIRECT_AWARD_A_OR_B = ("psr_direct_a", "psr_direct_b")


@dataclass(frozen=True)
class ModificationAssessment:
    permitted: bool
    notice_required: bool
    reason: str


def _pounds(amount: Decimal) -> str:
    return format_money(amount)


def psr_modification(
    original_value: Decimal,
    earlier_changes: list[Decimal],
    change: Decimal,
    *,
    ground: str,
    materially_different: bool = False,
    awarded_by: str = "",
) -> ModificationAssessment:
    """Whether the Provider Selection Regime permits a modification, and whether it needs a
    transparency notice.

    The Health Care Services (Provider Selection Regime) Regulations 2023 (SI 2023/1348),
    reg 13(1): a contract may be modified during its term if the modification
    (a) is provided for in the contract in clear, precise and unambiguous terms;
    (b) solely changes the provider's identity after a corporate change (the authority
    being satisfied that the new provider meets the basic selection criteria);
    (c) is made necessary by external factors beyond the control of the authority and
    the provider, and does not make the contract materially different in character; or
    (d) is attributable to a decision of the authority, does not make the contract
    materially different in character, and the cumulative change in its lifetime value
    since it was entered into is below £500,000 or less than 25% of the original
    lifetime value. Reg 13(2)-(3): a modification changing the lifetime value by
    £500,000 or more is published in a transparency notice within 30 days.

    NHS England's PSR modification guidance adds that a contract awarded by Direct
    Award Process A or B may be modified where the change does not make it materially
    different in character (``awarded_by`` "psr_direct_a" or "psr_direct_b").

    ``original_value`` is the lifetime value when the contract was entered into,
    options included: exercising an option the contract provides for is not a
    modification, so it is never among ``earlier_changes``, which hold the signed
    lifetime-value changes of earlier modifications only. The cumulative change is
    their net sum with ``change``, compared by its size, so a reduction counts as well
    as an increase; "below" and "less than" are strict.

    Worked case: a £2m contract varied by the authority by £499,999.99 is permitted
    (below £500,000) with no notice; by £500,000 it is not (neither below £500,000 nor
    under 25%, which is also £500,000).
    """
    if ground not in MODIFICATION_GROUNDS:
        raise ValueError(f"Unknown modification ground {ground!r}.")
    cumulative = sum(earlier_changes, Decimal("0")) + change
    size = abs(cumulative)
    notice = abs(change) >= MODIFICATION_NOTICE_THRESHOLD
    share_limit = original_value * MODIFICATION_SHARE_LIMIT

    def permitted(reason: str) -> ModificationAssessment:
        if notice:
            reason += (
                f" Its change of {_pounds(abs(change))} is £500,000 or more, so publish a "
                f"transparency notice within {MODIFICATION_NOTICE_DAYS} days (reg 13)."
            )
        return ModificationAssessment(True, notice, reason)

    def refused(reason: str) -> ModificationAssessment:
        return ModificationAssessment(
            False,
            False,
            reason + " It is not a permitted modification: a new procurement is needed.",
        )

    if ground == PROVIDED_FOR:
        return permitted("Permitted under reg 13(1)(a): the contract provides for it.")
    if ground == PROVIDER_IDENTITY:
        return permitted(
            "Permitted under reg 13(1)(b): a change of the provider's identity after a "
            "corporate change, if the new provider meets the basic selection criteria."
        )
    if awarded_by in DIRECT_AWARD_A_OR_B and not materially_different:
        return permitted(
            "Permitted: the contract was awarded by Direct Award Process A or B and the "
            "change does not make it materially different in character."
        )
    if materially_different:
        return refused("It makes the contract materially different in character.")
    if ground == EXTERNAL:
        return permitted(
            "Permitted under reg 13(1)(c): made necessary by external factors and not "
            "materially different in character."
        )
    if size < MODIFICATION_VALUE_LIMIT or size < share_limit:
        return permitted(
            f"Permitted under reg 13(1)(d): the cumulative change since award, "
            f"{_pounds(size)}, is below £500,000 or less than {_pounds(share_limit)}, 25% "
            f"of the original value of {_pounds(original_value)}."
        )
    return refused(
        f"The cumulative change since award, {_pounds(size)}, is neither below £500,000 "
        f"nor less than {_pounds(share_limit)}, 25% of the original value of "
        f"{_pounds(original_value)}."
    )


# --- Modifications and the figures (docs/domain.md "Rules: Modifications") --------------


@dataclass(frozen=True)
class Modification:
    """What a modification changes in the figures: from ``effective_date``, the annual
    value by ``annual_change`` and/or the lifetime value by ``lifetime_change`` (both
    signed, None when not given), and the term to ``new_end`` (None when it stays).
    ``sequence`` orders the modifications of a contract and names their rows."""

    sequence: int
    effective_date: date
    annual_change: Decimal | None = None
    lifetime_change: Decimal | None = None
    new_end: date | None = None

    @property
    def source(self) -> str:
        return f"modification {self.sequence}"


@dataclass(frozen=True)
class _Block:
    """The core term or one option (declined ones left out), as laid out after the term
    changes: ``start``..``end``, where ``base_end`` is where it would end unchanged and
    ``moved_by`` names the modification that last moved its end."""

    index: int
    source: str
    start: date
    end: date
    base_end: date
    decided: bool  # the core, or an exercised option: part of the current term
    price: Decimal | None
    months: int | None
    moved_by: str


def _blocks(
    start: date, initial_end: date, options: Sequence[Option], moved: Mapping[int, tuple]
) -> list[_Block]:
    """The core and the options that can still run, in order, each following on from the
    last; ``moved`` maps a block's index to (new end, the modification's source)."""
    if initial_end < start:
        raise ValueError("The initial end date is before the start date.")
    chain = [(CORE, None, None, True)] + [
        (f"option {number}", option.months, option.price, option.status == EXERCISED)
        for number, option in enumerate(options, start=1)
        if option.status != DECLINED
    ]
    blocks, previous_end = [], None
    for index, (source, months, price, decided) in enumerate(chain):
        if previous_end is None:
            block_start, base_end = start, initial_end
        else:
            block_start, base_end = previous_end + ONE_DAY, extend_end(previous_end, months)
        end, moved_by = base_end, ""
        if index in moved:
            # A new end before the block starts would leave it no days: it keeps one
            # (the variation form refuses such an end; stored data never breaks a page).
            new_end, moved_by = moved[index]
            end = max(new_end, block_start)
        blocks.append(
            _Block(index, source, block_start, end, base_end, decided, price, months, moved_by)
        )
        previous_end = end
    return blocks


def _anchor(blocks: Sequence[_Block], effective_date: date) -> _Block:
    """The block a term change made on ``effective_date`` moves the end of: the last of
    the core and the exercised options to start on or before it (the core when it is
    before the start). An option still to come is never moved: it keeps its months."""
    decided = [block for block in blocks if block.decided]
    started = [block for block in decided if block.start <= effective_date]
    return started[-1] if started else decided[0]


def _laid_out(
    start: date,
    initial_end: date,
    options: Sequence[Option],
    modifications: Sequence[Modification],
) -> list[list[_Block]]:
    """The blocks before any term change, then after each modification in turn."""
    moved: dict[int, tuple] = {}
    layouts = [_blocks(start, initial_end, options, moved)]
    for modification in modifications:
        if modification.new_end is not None:
            anchor = _anchor(layouts[-1], modification.effective_date)
            moved[anchor.index] = (modification.new_end, modification.source)
        layouts.append(_blocks(start, initial_end, options, moved))
    return layouts


def _ordered(modifications: Iterable[Modification]) -> list[Modification]:
    return sorted(modifications, key=lambda m: m.sequence)


def modified_ends(
    start: date,
    initial_end: date,
    options: Sequence[Option] = (),
    modifications: Sequence[Modification] = (),
) -> tuple[date, date]:
    """(current end, maximum end) after the options and the modifications' term changes.

    docs/domain.md "Rules: Modifications". Modifications are taken in sequence. One with a
    ``new_end`` moves the end of the part of the term current on its effective date
    (the core term, or the last exercised option started by then) to that date; the
    options still to come follow on from it keeping their months, so the maximum end
    moves with the current end. With no term change these are :func:`current_end` and
    :func:`maximum_end`.

    >>> modified_ends(date(2025, 2, 1), date(2027, 1, 31), [Option(24), Option(12)],
    ...               [Modification(1, date(2026, 12, 1), new_end=date(2027, 7, 31))])
    (datetime.date(2027, 7, 31), datetime.date(2030, 7, 31))
    """
    blocks = _laid_out(start, initial_end, options, _ordered(modifications))[-1]
    return [block for block in blocks if block.decided][-1].end, blocks[-1].end


@dataclass(frozen=True)
class TermPart:
    """Where the core term ("core") or an option ("option N", N its place in sequence
    order) runs after the term changes."""

    source: str
    start: date
    end: date


def term_parts(
    start: date,
    initial_end: date,
    options: Sequence[Option] = (),
    modifications: Sequence[Modification] = (),
) -> list[TermPart]:
    """The core term and each option that can still run, laid out as
    :func:`modified_ends` lays them out (declined options are left out): for drawing
    the term as it now runs."""
    blocks = _laid_out(start, initial_end, options, _ordered(modifications))[-1]
    return [TermPart(block.source, block.start, block.end) for block in blocks]


@dataclass(frozen=True)
class _Costed(_Period):
    """A period to cost; a priced option is spread over its whole unchanged length
    (``price_start``..``price_end``) even where a term change cuts it short."""


def _periods_of(blocks: Sequence[_Block]) -> list[_Costed]:
    periods = []
    for block in blocks:
        own_end = min(block.end, block.base_end)
        periods.append(
            _Costed(
                block.start,
                own_end,
                block.source,
                block.price,
                block.months,
                block.start,
                block.base_end,
            )
        )
        if block.end > block.base_end:
            # Time a term change adds is costed at the annual value, like the core term.
            periods.append(_Costed(block.base_end + ONE_DAY, block.end, block.moved_by, None, None))
    return periods


def _base_rows(
    start: date,
    annual_value: Decimal,
    uplift_percent: Decimal,
    uplift_from_year: int,
    periods: Sequence[_Period],
    to: date | None = None,
) -> list[ContractYear]:
    """The rows of :func:`contract_years` for these periods, to ``to`` or the last
    period's end. A priced period is spread over its ``price_start``..``price_end``
    (a :class:`_Costed` period cut short by a term change), else over itself."""
    annual, uplift = _exact(annual_value), 1 + _exact(uplift_percent) / 100
    if uplift_from_year < 1:
        raise ValueError("The uplift must start from year one or later.")
    last = periods[-1].end if to is None else min(to, periods[-1].end)
    rows: list[ContractYear] = []
    number = 1
    while (year_start := add_months(start, 12 * (number - 1))) <= last:
        year_end = add_months(start, 12 * number) - ONE_DAY
        year_days = (year_end - year_start).days + 1
        exponent = number - uplift_from_year + 1
        year_cost = annual * uplift**exponent if exponent > 0 else annual
        for period in periods:
            row_start, row_end = max(year_start, period.start), min(year_end, period.end, last)
            if row_start > row_end:
                continue
            fraction = _share(row_start, row_end, MONTHS_IN_YEAR, year_days)
            if period.price is None or period.months is None:
                cost = year_cost * fraction
            else:
                price_start, price_end = period.price_start, period.price_end
                price_days = ((price_end or period.end) - (price_start or period.start)).days + 1
                cost = _exact(period.price) * _share(row_start, row_end, period.months, price_days)
            rows.append(
                ContractYear(
                    number=number,
                    start=row_start,
                    end=row_end,
                    fraction=_to_decimal(fraction),
                    amount=_to_penny(cost),
                    source=period.source,
                )
            )
        number += 1
    return rows


def _year_days(start: date, number: int) -> int:
    return (add_months(start, 12 * number) - add_months(start, 12 * (number - 1))).days


def _from(row: ContractYear, effective_date: date) -> tuple[date, int]:
    """The first day of ``row`` on or after ``effective_date``, and how many days of the
    row run from then (0 when the row ends before it)."""
    first = max(row.start, effective_date)
    return first, max((row.end - first).days + 1, 0)


def _annual_change_total(
    rows: Sequence[ContractYear], start: date, effective_date: date, annual_change: Decimal
) -> Decimal:
    """An annual change over ``rows`` from ``effective_date``: each day of a contract year
    is that year's share (1 / days in the year), rounded once to the penny."""
    total = sum(
        (Fraction(_from(row, effective_date)[1], _year_days(start, row.number)) for row in rows),
        Fraction(0),
    )
    return _to_penny(_exact(annual_change) * total)


def _spread(
    amount: Decimal,
    rows: Sequence[ContractYear],
    start: date,
    modification: Modification,
    *,
    by_year_share: bool,
) -> list[ContractYear]:
    """``amount`` spread over ``rows`` from the modification's effective date, pro rata
    by days (each day weighted by its contract year's length when ``by_year_share``),
    the pennies adding up exactly (largest remainder); a row of the modification for
    each row it touches. An effective date after the last row puts it all on the last
    day, so a modification's change is never lost."""
    if amount == 0 or not rows:
        return []
    effective_date = min(modification.effective_date, rows[-1].end)
    common = math.lcm(*(_year_days(start, row.number) for row in rows))
    touched = {}
    for position, row in enumerate(rows):
        first, days = _from(row, effective_date)
        if days:
            year_days = _year_days(start, row.number)
            weight = days * (common // year_days) if by_year_share else days
            touched[position] = (first, Fraction(days, year_days), Decimal(weight))
    parts = split_by_shares(amount, {p: weight for p, (_, _, weight) in touched.items()})
    return [
        ContractYear(
            rows[p].number,
            first,
            rows[p].end,
            _to_decimal(fraction),
            parts[p],
            modification.source,
        )
        for p, (first, fraction, _) in touched.items()
        if parts[p]
    ]


@dataclass(frozen=True)
class ModifiedSchedule:
    """The schedule with the modifications: its rows (the base rows, then each
    modification's rows), the ends, the original whole-life value (no modifications)
    and each modification's signed lifetime-value change, by sequence."""

    years: list[ContractYear]
    current_end: date
    maximum_end: date
    original_whole_life_value: Decimal
    lifetime_changes: dict[int, Decimal]


@wide_decimals
def modified_schedule(
    start: date,
    initial_end: date,
    annual_value: Decimal,
    uplift_percent: Decimal = Decimal(0),
    uplift_from_year: int = 2,
    options: Sequence[Option] = (),
    modifications: Sequence[Modification] = (),
) -> ModifiedSchedule:
    """The value schedule of :func:`contract_years` with the modifications applied.

    docs/domain.md "Rules: Modifications". In sequence order, each modification:

    - with a ``new_end``, moves the end of the term as :func:`modified_ends` says; time
      it adds is costed at the annual value (uplift as for any contract year), time it
      removes is no longer costed (a priced option cut short costs its share of the
      price). That difference is the term change's own effect on the value;
    - with a ``lifetime_change``, changes the whole-life value by exactly that: what the
      term change did not already account for is spread over the term from the
      effective date to the maximum end, pro rata by days;
    - else with an ``annual_change``, adds it for every day from the effective date to
      the maximum end, each day being its contract year's share (pro rata by days within
      the contract year), rounded once and spread so its rows add up to it exactly.

    Its lifetime-value change is what it adds to the whole-life value, so the whole-life
    value is always the original plus the modifications' lifetime changes. The annual
    change is not uplifted: the variation states the new price (a change of indexation
    is its own modification). Each modification's rows are cut where the base rows are,
    so the value to the current end and the financial years take them from their dates.

    With no modifications the rows are :func:`contract_years`' rows.
    """
    ordered = _ordered(modifications)
    layouts = _laid_out(start, initial_end, options, ordered)
    bases = [
        _base_rows(start, annual_value, uplift_percent, uplift_from_year, _periods_of(blocks))
        for blocks in layouts
    ]
    totals = [_total(rows) for rows in bases]
    final = bases[-1]
    extra: list[ContractYear] = []
    changes: dict[int, Decimal] = {}
    for position, modification in enumerate(ordered, start=1):
        term_effect = totals[position] - totals[position - 1]
        if modification.lifetime_change is not None:
            rest, by_year_share = modification.lifetime_change - term_effect, False
        elif modification.annual_change is not None:
            rest = _annual_change_total(
                final, start, modification.effective_date, modification.annual_change
            )
            by_year_share = True
        else:
            rest, by_year_share = Decimal("0.00"), False
        extra += _spread(rest, final, start, modification, by_year_share=by_year_share)
        changes[modification.sequence] = term_effect + rest
    decided = [block for block in layouts[-1] if block.decided]
    return ModifiedSchedule(
        years=sorted(final + extra, key=lambda row: row.number),
        current_end=decided[-1].end,
        maximum_end=layouts[-1][-1].end,
        original_whole_life_value=totals[0],
        lifetime_changes=changes,
    )


@wide_decimals
def modification_lifetime_change(
    modification: Modification,
    *,
    start: date,
    initial_end: date,
    annual_value: Decimal,
    uplift_percent: Decimal = Decimal(0),
    uplift_from_year: int = 2,
    options: Sequence[Option] = (),
    earlier: Sequence[Modification] = (),
) -> Decimal:
    """The signed change a modification makes to the contract's lifetime value.

    docs/domain.md "Rules: Modifications" (:func:`modified_schedule`): the lifetime change
    given, else what its term change and its annual change add over the rest of the
    term. This is the ``change`` that :func:`psr_modification` tests and a decision's
    ceiling counts; the whole-life value moves by exactly it. ``earlier`` are the
    contract's other modifications before this one (a later one can move the term an
    annual change runs over); the contract's terms are those of :func:`contract_years`.

    Worked case: £7,278,800 a year from 1 April 2026 to 31 March 2033, an annual change
    of £365,000 from 1 April 2032 adds £365,000 (the last contract year, 365 days).
    """
    schedule = modified_schedule(
        start,
        initial_end,
        annual_value,
        uplift_percent,
        uplift_from_year,
        options,
        [*earlier, modification],
    )
    return schedule.lifetime_changes[modification.sequence]
