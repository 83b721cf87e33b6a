"""Pure rules of the Provider Selection Regime (SI 2023/1348) for records, notices and
the annual summary. No Django here; each rule cites its regulation.

The modification test (reg 13) is ``contracts.rules.psr_modification``, since
modifications feed a contract's figures; the standstill period (reg 12) is
``decisions.rules.standstill_end``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, timedelta

from contracts.rules import MODIFICATION_NOTICE_DAYS
from decisions.rules import standstill_end

# --- Records and notices (reg 24, Schedule 3) ------------------------------------------

# Reg 24 asks for a record of every award under the regime; every process that awards
# a contract (Direct Award A, B and C, Most Suitable Provider, Competitive Process, a
# framework call-off, an urgent award) keeps one.
PSR_ROUTE_PREFIX = "psr_"
# Reg 9(4), 10(6) and 11(10): Direct Award Process C, the Most Suitable Provider Process
# and the Competitive Process publish a notice of intention to award, which opens the
# standstill period (reg 12). Direct Award A and B do not.
INTENTION_NOTICE_ROUTES = ("psr_direct_c", "psr_most_suitable", "psr_competitive")


@dataclass(frozen=True)
class NoticeField:
    """One paragraph of a notice's required content."""

    paragraph: int
    key: str
    label: str


# Schedule 3 to SI 2023/1348, "Content of notice of intention to award" (regulation
# 9(4)); the Most Suitable Provider Process and the Competitive Process notices
# (reg 10(6), Schedule 10) ask for the same, and the contract award and modification
# notices draw on the same facts. Every notice the app drafts carries each of these.
SCHEDULE_3_FIELDS: tuple[NoticeField, ...] = (
    NoticeField(1, "statement", "Statement"),
    NoticeField(2, "title_reference", "Contract title and reference"),
    NoticeField(
        3,
        "provider",
        "Provider's name and address (registered office or principal place of business)",
    ),
    NoticeField(4, "services", "Relevant health care services and the most relevant CPV code"),
    NoticeField(5, "lifetime_value", "Approximate lifetime value of the contract"),
    NoticeField(6, "decision_makers", "Award decision-makers"),
    NoticeField(
        7,
        "reasons",
        "Reasons for selecting the chosen provider, with reference to the key criteria",
    ),
    NoticeField(8, "conflicts", "Declared conflicts or potential conflicts of interest"),
    NoticeField(9, "conflicts_management", "How the conflicts of interest were managed"),
)


def is_psr_route(route: str) -> bool:
    """Whether a contract awarded by ``route`` was awarded under the Provider Selection
    Regime, and so keeps a reg 24 record: ``is_psr_route("psr_competitive")`` is True,
    ``is_psr_route("open")`` False."""
    return route.startswith(PSR_ROUTE_PREFIX)


def needs_intention_notice(route: str) -> bool:
    """Whether an award by ``route`` is preceded by a notice of intention to award and a
    standstill period: Direct Award C, Most Suitable Provider and Competitive Process
    (SI 2023/1348 regs 9(4), 10(6), 11(10) and 12)."""
    return route in INTENTION_NOTICE_ROUTES


def awarded_within_standstill(awarded_on: date | None, standstill_end: date | None) -> bool:
    """Whether an award dated ``awarded_on`` breaks the standstill ending ``standstill_end``.

    SI 2023/1348 reg 12: the contract may be awarded only after the standstill period
    ends, so an award dated on or before its last day is flagged; an award the day
    after is not. Nothing to flag without both dates.

    Worked case: standstill ends Thursday 14 March 2024; an award dated 14 March is
    flagged, one dated 15 March is not.
    """
    if awarded_on is None or standstill_end is None:
        return False
    return awarded_on <= standstill_end


@dataclass(frozen=True)
class Standstill:
    """The standstill of one award, as its record and notices show it."""

    applies: bool
    ends_on: date | None
    awarded_on: date | None
    too_early: bool

    @property
    def message(self) -> str:
        if not self.applies:
            return "No standstill period: this process does not publish an intention to award."
        if self.ends_on is None:
            return "The standstill end is worked out once the intention notice is published."
        if self.too_early:
            return (
                f"Awarded on {self.awarded_on:%d/%m/%Y}, on or before the end of the "
                f"standstill period ({self.ends_on:%d/%m/%Y}): the contract may be awarded "
                "only after it ends (reg 12)."
            )
        return f"The standstill period ends on {self.ends_on:%d/%m/%Y}."


def standstill(
    route: str,
    *,
    intention_notice_on: date | None,
    further_decision_on: date | None = None,
    awarded_on: date | None = None,
) -> Standstill:
    """The standstill of an award by ``route``: its end (decisions.rules.standstill_end,
    reg 12) from the intention notice's date and any further decision after
    representations, and whether the award date falls on or before it."""
    if not needs_intention_notice(route):
        return Standstill(False, None, awarded_on, False)
    if intention_notice_on is None:
        return Standstill(True, None, awarded_on, False)
    if further_decision_on is not None and further_decision_on < intention_notice_on:
        further_decision_on = None  # the record's own validation reports this
    ends_on = standstill_end(intention_notice_on, further_decision_on)
    return Standstill(True, ends_on, awarded_on, awarded_within_standstill(awarded_on, ends_on))


def modification_notice_due(effective_date: date) -> date:
    """The last day to publish a modification's transparency notice: within
    MODIFICATION_NOTICE_DAYS (30) days of the modification (SI 2023/1348 reg 13(3)),
    counted from its effective date. 1 April 2025 → 1 May 2025."""
    return effective_date + timedelta(days=MODIFICATION_NOTICE_DAYS)


# --- The annual summary (reg 25) --------------------------------------------------------
#
# Regulation 25 of SI 2023/1348 asks each relevant authority to publish, online and free
# of charge, an annual summary of its contracting for relevant health care services:
# (a) the number of contracts awarded in the year by Direct Award Process A, B or C;
# (b) by the Most Suitable Provider Process; (c) by the Competitive Process; (d) the
# framework agreements concluded; (e) the contracts awarded under a framework; (f) the
# contracts awarded and modifications made under reg 14 (urgency); (g) the new providers
# awarded a contract; (h) the providers who held a contract in the previous year but hold
# none in this one; (i) the written representations received during standstill periods
# that ended in the year, with the nature and impact of them.
# https://www.legislation.gov.uk/uksi/2023/1348/regulation/25/made
#
# The year. The regulations do not define it. NHS England's statutory guidance, and the
# summaries authorities have published (NHS England's own; Dorset Council's "Regulation
# 25 and 26 reports - 1 January 2024 to 31 March 2025"; Pennine Care NHS FT, which says
# later summaries follow financial years, published by 30 September), use the financial
# year, 1 April to 31 March, the first running from the regime's start on 1 January 2024
# to 31 March 2025 (Hempsons, "Provider Selection Regime – are you preparing your annual
# summary?", 2024). So year 2024 here is 1 January 2024 to 31 March 2025 and year N
# after it is 1 April N to 31 March N+1.

REGIME_START = date(2024, 1, 1)
FIRST_REPORTING_YEAR = 2024

# The processes reg 25(2)(a)-(c) counts, in its order, as Contract.Route codes.
DIRECT_AWARD_A = "psr_direct_a"
DIRECT_AWARD_B = "psr_direct_b"
DIRECT_AWARD_C = "psr_direct_c"
MOST_SUITABLE = "psr_most_suitable"
COMPETITIVE = "psr_competitive"
FRAMEWORK_CALL_OFF = "psr_framework"
URGENT_AWARD = "psr_urgent"
AWARD_PROCESSES = (DIRECT_AWARD_A, DIRECT_AWARD_B, DIRECT_AWARD_C, MOST_SUITABLE, COMPETITIVE)
DIRECT_AWARDS = (DIRECT_AWARD_A, DIRECT_AWARD_B, DIRECT_AWARD_C)
PSR_ROUTES = (*AWARD_PROCESSES, FRAMEWORK_CALL_OFF, URGENT_AWARD)

# Where an award's date comes from (award_date), best first.
FROM_AWARD_RECORD = "award record"
FROM_DECISION = "awarding decision"
FROM_START = "start date"


@dataclass(frozen=True)
class ReportingYear:
    year: int
    first: date
    last: date

    @property
    def label(self) -> str:
        """ "2025/26"; the first, longer year says its dates."""
        if self.year == FIRST_REPORTING_YEAR:
            return "1 January 2024 to 31 March 2025"
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last


def reporting_year(year: int) -> ReportingYear:
    """The reg 25 reporting year called ``year`` (see above): 2024 is 1 January 2024 to
    31 March 2025; 2025 is 1 April 2025 to 31 March 2026. Before 2024 there is none.

    >>> reporting_year(2025).first, reporting_year(2025).last
    (datetime.date(2025, 4, 1), datetime.date(2026, 3, 31))
    """
    if year < FIRST_REPORTING_YEAR:
        raise ValueError(f"The Provider Selection Regime began in {FIRST_REPORTING_YEAR}.")
    first = REGIME_START if year == FIRST_REPORTING_YEAR else date(year, 4, 1)
    return ReportingYear(year, first, date(year + 1, 3, 31))


def reporting_year_of(day: date) -> int | None:
    """The reporting year ``day`` falls in; None before the regime began.

    >>> reporting_year_of(date(2024, 2, 1)), reporting_year_of(date(2025, 3, 31))
    (2024, 2024)
    >>> reporting_year_of(date(2025, 4, 1)), reporting_year_of(date(2023, 12, 31))
    (2025, None)
    """
    if day < REGIME_START:
        return None
    year = day.year if day.month >= 4 else day.year - 1
    return max(year, FIRST_REPORTING_YEAR)


def previous_year_start(year: int) -> date:
    """The first day of the year before reporting year ``year``; before the first, the
    financial year before it (1 April 2023), as the regime's first year began mid-year.

    >>> previous_year_start(2025), previous_year_start(2024)
    (datetime.date(2024, 1, 1), datetime.date(2023, 4, 1))
    """
    if year > FIRST_REPORTING_YEAR:
        return reporting_year(year - 1).first
    return date(year - 1, 4, 1)


def award_date(recorded: date | None, decided: date | None, start: date) -> tuple[date, str]:
    """The day a contract was awarded, and where that day comes from.

    The reg 24 record's award date where it is recorded; else the date of the decision
    that awarded it (a taken, non-exempt decision's "Awards" link); else the contract's
    start date, the latest day it can have been awarded.
    """
    if recorded:
        return recorded, FROM_AWARD_RECORD
    if decided:
        return decided, FROM_DECISION
    return start, FROM_START


def held_on_range(start: date, end: date, first: date, last: date) -> bool:
    """Whether a contract running ``start`` to ``end`` is held on any day of
    ``first``..``last``."""
    return start <= last and end >= first


def providers_gained(
    awards: list[tuple[Hashable, date, Hashable]],
    held: list[tuple[Hashable, date, date, Hashable]],
    *,
    since: date,
) -> dict[Hashable, list[Hashable]]:
    """Reg 25(2)(g), the new providers awarded a contract in the year: each provider of
    ``awards`` (provider, award date, contract) that held none of its other contracts
    with the authority (``held``: provider, start, end, contract) on any day from
    ``since`` (the start of the previous reporting year) to the day before its first
    award in the year. Returns each such provider's contracts awarded in the year.

    So an incumbent re-awarded its service is not new, nor is a provider whose contract
    ended last year; one whose last contract ended before then is new again.
    """
    awarded: dict[Hashable, list[tuple[date, Hashable]]] = {}
    for provider, day, contract in awards:
        awarded.setdefault(provider, []).append((day, contract))
    this_years = {contract for _, _, contract in awards}
    gained = {}
    for provider, days in awarded.items():
        first_award = min(day for day, _ in days)
        held_before = any(
            other == provider
            and contract not in this_years
            and held_on_range(start, end, since, first_award - timedelta(days=1))
            for other, start, end, contract in held
        )
        if not held_before:
            gained[provider] = [contract for _, contract in sorted(days, key=lambda d: d[0])]
    return gained


def providers_lost(
    held: list[tuple[Hashable, date, date, Hashable]], year: ReportingYear
) -> dict[Hashable, Hashable]:
    """Reg 25(2)(h), the providers the authority lost in the year: those whose last
    contract with it (``held``: provider, start, end, contract; the end is the current
    end, or the termination date where earlier) ended in the year. Returns each one's
    last contract.

    Reg 25(2)(h) counts providers "who held a contract in the previous year but no longer
    hold any contracts in the year"; read literally, a provider leaving in June would be
    counted a year later. Published summaries count those who left during the year, and
    so does this.
    """
    last: dict[Hashable, tuple[date, Hashable]] = {}
    for provider, _start, end, contract in held:
        if provider not in last or end > last[provider][0]:
            last[provider] = (end, contract)
    return {provider: contract for provider, (end, contract) in last.items() if end in year}
