"""Pure rules of the Provider Selection Regime (SI 2023/1348) for records, notices and
the annual summary. No Django here; each rule cites its regulation.

The modification test (reg 13) is ``contracts.rules.psr_modification``, since
modifications feed a contract's figures; the standstill period (reg 12) is
``decisions.rules.standstill_end``.
"""

from __future__ import annotations

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
