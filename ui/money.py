"""Money as councils write it and read it: parsing, formatting and exact arithmetic.

Pure functions, standard library only, below every app (contracts, grants, decisions and
the shared form fields in ui.fields all read and show money through here), so that a
figure means the same in a form, an import, a table, an export and a document.
docs/domain.md "Rules: Money".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

PENNY = Decimal("0.01")
# Money is exact to the penny at every size the value bounds allow (ui.bounds: 60
# contract years of £10bn at 25% a year need 19 digits), and beyond them: the boundary
# record of 1990 to 2100 plus 90 years of options needs 32, past Decimal's default 28,
# where quantize would raise InvalidOperation. So money arithmetic runs with room.
MONEY_PRECISION = 60
MINUS = "\u2212"


def wide_decimals(function):
    """Run ``function`` with Decimal arithmetic at :data:`MONEY_PRECISION` digits."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with localcontext() as context:
            context.prec = MONEY_PRECISION
            return function(*args, **kwargs)

    return wrapper


@wide_decimals
def format_money(value: Decimal) -> str:
    """``value`` as people read it: "£1,234,567.89", and "−£5.00" when negative (the
    minus sign, U+2212, which screen readers read as "minus"; parse_money reads it
    back). The one money format: pages, tables, exports' text, messages and names."""
    rounded = Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)
    sign = MINUS if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.2f}"


# --- Money as written in council papers ---------------------------------------------


class MoneyError(ValueError):
    """A figure that cannot be read as money without guessing (docs/domain.md "Rules: Money")."""

    def __init__(self, value: str, reason: str) -> None:
        self.value = value
        super().__init__(f'Cannot read "{value}" as an amount of money: {reason}.')


MONEY_DIGITS = 20
MONEY_WHOLE_DIGITS = 15  # pounds: up to £999 trillion
MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
_EXAMPLES = "write it like £1,234,567.89, 1234567.89, £1.2m or £800k"
_MONEY = re.compile(
    r"(?P<minus>-)?\s*£?\s*(?P<minus_after>-)?\s*"
    r"(?P<whole>\d[\d,]*)(?:\.(?P<decimals>\d+))?"
    r"\s*(?P<suffix>bn|k|m)?",
    re.IGNORECASE,
)
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+")


def read_money(text: str) -> tuple[Decimal, Decimal]:
    """The value of ``text`` and the unit of its last written digit."""
    cleaned = text.strip().replace("\u2212", "-")  # a typographic minus sign
    if not cleaned:
        raise MoneyError(text, "it is empty")
    match = _MONEY.fullmatch(cleaned)
    if match is None or (match["minus"] and match["minus_after"]):
        raise MoneyError(text, _EXAMPLES)
    whole, decimals = match["whole"], match["decimals"] or ""
    # Decimal arithmetic holds 28 digits; refuse long before that, and far past any sum
    # of money a council writes (stored amounts are at most £10bn, see ui.bounds).
    if len(whole.replace(",", "")) + len(decimals) > MONEY_DIGITS:
        raise MoneyError(text, f"it has more than {MONEY_DIGITS} digits")
    suffix = (match["suffix"] or "").lower()
    if "," in whole and not _GROUPED.fullmatch(whole):
        raise MoneyError(text, "the commas do not mark thousands, so the amount is unclear")
    if not suffix and len(decimals) > 2:
        raise MoneyError(text, "it has more than two decimal places")
    multiplier = MULTIPLIERS[suffix]
    if len(whole.replace(",", "").lstrip("0")) + len(str(multiplier)) - 1 > MONEY_WHOLE_DIGITS:
        raise MoneyError(text, "it is too large to be an amount of money")
    value = Decimal(f"{whole.replace(',', '')}.{decimals or '0'}") * multiplier
    if value != value.quantize(PENNY):
        raise MoneyError(text, "it is more precise than a penny")
    if (match["minus"] or match["minus_after"]) and value:
        value = -value
    unit = Decimal(1).scaleb(-len(decimals)) * multiplier
    return value.quantize(PENNY), unit


def parse_money(text: str) -> Decimal:
    """Read an amount of money as written in council papers and spreadsheets.

    docs/domain.md "Rules: Money": accepts "£1,234,567.89", "1234567.89", "1,234", "£1.2m",
    "£800k", "£2.5bn" (k, m and bn in either case; decimals allowed with a suffix) and
    a leading minus. Refuses anything that needs a guess ("£35,368,00", "£2,45M",
    "1.234,56", "12,34", more than two decimal places) with a :class:`MoneyError`
    naming the value. Returns an exact Decimal in pence.
    """
    return read_money(text)[0]


@wide_decimals
def stated_tolerance(text: str) -> Decimal:
    """How far a stated figure may be from the true one: half its last written digit.

    "£4.1m" -> 50000; "£800k" -> 500; "£1,686,448" -> 0.5; "£4,099,533.88" -> 0.005.
    Used to reconcile figures in reports with computed ones (docs/domain.md "Rules: Money").
    """
    return read_money(text)[1] / 2


@dataclass(frozen=True)
class Reconciliation:
    """A figure stated in a report checked against the computed one."""

    stated: Decimal
    computed: Decimal
    tolerance: Decimal
    ok: bool

    @property
    def label(self) -> str:
        """ "ok", or "mismatch: stated 4100000.00, computed 4099533.88"."""
        if self.ok:
            return "ok"

        def plain(value: Decimal) -> str:
            return f"{value.quantize(PENNY, rounding=ROUND_HALF_UP):f}"

        return f"mismatch: stated {plain(self.stated)}, computed {plain(self.computed)}"


@wide_decimals
def reconcile(stated_text: str, computed: Decimal) -> Reconciliation:
    """Check a figure as written ("£4.1m") against a computed value.

    They agree when they differ by no more than :func:`stated_tolerance`, so a rounded
    figure in a report is not flagged for its rounding (docs/domain.md "Rules: Money", seed
    check). Raises :class:`MoneyError` when the stated figure cannot be read.
    """
    stated, unit = read_money(stated_text)
    tolerance = unit / 2
    return Reconciliation(
        stated=stated,
        computed=computed,
        tolerance=tolerance,
        ok=abs(stated - computed) <= tolerance,
    )
