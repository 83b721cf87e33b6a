"""The reg 25 annual summary's pure rules (psr.rules, bottom section), as tables."""

from datetime import date
from decimal import Decimal

import pytest

from psr import rules

D = date


@pytest.mark.parametrize(
    ("year", "first", "last", "label"),
    [
        (2024, D(2024, 1, 1), D(2025, 3, 31), "1 January 2024 to 31 March 2025"),
        (2025, D(2025, 4, 1), D(2026, 3, 31), "2025/26"),
        (2026, D(2026, 4, 1), D(2027, 3, 31), "2026/27"),
        (2099, D(2099, 4, 1), D(2100, 3, 31), "2099/00"),
    ],
)
def test_a_reporting_year_is_a_financial_year_and_the_first_began_with_the_regime(
    year, first, last, label
):
    period = rules.reporting_year(year)
    assert (period.first, period.last, period.label) == (first, last, label)


def test_there_is_no_reporting_year_before_the_regime():
    with pytest.raises(ValueError):
        rules.reporting_year(2023)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (D(2023, 12, 31), None),
        (D(2024, 1, 1), 2024),
        (D(2024, 3, 31), 2024),
        (D(2024, 4, 1), 2024),
        (D(2025, 3, 31), 2024),
        (D(2025, 4, 1), 2025),
        (D(2026, 3, 31), 2025),
        (D(2026, 12, 7), 2026),
    ],
)
def test_the_reporting_year_of_a_day(day, year):
    assert rules.reporting_year_of(day) == year
    if year:
        assert day in rules.reporting_year(year)


@pytest.mark.parametrize(
    ("year", "since"), [(2024, D(2023, 4, 1)), (2025, D(2024, 1, 1)), (2026, D(2025, 4, 1))]
)
def test_the_previous_year_starts(year, since):
    assert rules.previous_year_start(year) == since


@pytest.mark.parametrize(
    ("recorded", "decided", "expected"),
    [
        (D(2025, 6, 1), D(2025, 5, 1), (D(2025, 6, 1), rules.FROM_AWARD_RECORD)),
        (None, D(2025, 5, 1), (D(2025, 5, 1), rules.FROM_DECISION)),
        (None, None, (D(2025, 9, 1), rules.FROM_START)),
    ],
)
def test_the_award_date_comes_from_the_record_else_the_decision_else_the_start(
    recorded, decided, expected
):
    assert rules.award_date(recorded, decided, D(2025, 9, 1)) == expected


M = Decimal


P, Q, R = "P", "Q", "R"


@pytest.mark.parametrize(
    ("awards", "held", "gained"),
    [
        # A provider with no other contract is new.
        ([(P, D(2025, 6, 1), "c1")], [(P, D(2025, 7, 1), D(2027, 6, 30), "c1")], {P: ["c1"]}),
        # The incumbent re-awarded while its contract runs is not new.
        (
            [(P, D(2025, 6, 1), "c2")],
            [(P, D(2020, 4, 1), D(2026, 3, 31), "c1"), (P, D(2026, 4, 1), D(2029, 3, 31), "c2")],
            {},
        ),
        # Nor one whose contract ended in the previous year.
        ([(P, D(2025, 6, 1), "c2")], [(P, D(2020, 4, 1), D(2024, 6, 30), "c1")], {}),
        # One whose contract ended before the previous year is new again.
        (
            [(P, D(2025, 6, 1), "c2")],
            [(P, D(2018, 4, 1), D(2023, 12, 31), "c1")],
            {P: ["c2"]},
        ),
        # A contract starting after the award does not make the provider old.
        ([(P, D(2025, 6, 1), "c2")], [(P, D(2025, 7, 1), D(2026, 6, 30), "c9")], {P: ["c2"]}),
        # Two awards in the year to one new provider: one provider, both contracts.
        (
            [(P, D(2025, 9, 1), "c2"), (P, D(2025, 6, 1), "c1")],
            [(P, D(2025, 7, 1), D(2026, 6, 30), "c1"), (P, D(2025, 10, 1), D(2026, 6, 30), "c2")],
            {P: ["c1", "c2"]},
        ),
        # Another provider's contract does not count.
        ([(P, D(2025, 6, 1), "c2")], [(Q, D(2020, 4, 1), D(2027, 3, 31), "c1")], {P: ["c2"]}),
    ],
)
def test_a_provider_is_new_when_it_held_nothing_since_the_previous_year_began(awards, held, gained):
    assert rules.providers_gained(awards, held, since=D(2024, 1, 1)) == gained


@pytest.mark.parametrize(
    ("held", "lost"),
    [
        ([(P, D(2020, 4, 1), D(2025, 9, 30), "c1")], {P: "c1"}),
        # Its last contract ends later: not lost.
        ([(P, D(2020, 4, 1), D(2025, 9, 30), "c1"), (P, D(2025, 10, 1), D(2028, 9, 30), "c2")], {}),
        # Both its contracts end in the year: lost once, with the last.
        (
            [(P, D(2020, 4, 1), D(2025, 5, 31), "c1"), (P, D(2021, 4, 1), D(2026, 3, 31), "c2")],
            {P: "c2"},
        ),
        # Ended the year before, or on the day after the year: not this year's.
        ([(Q, D(2020, 4, 1), D(2025, 3, 31), "c1"), (R, D(2020, 4, 1), D(2026, 4, 1), "c2")], {}),
        ([(Q, D(2020, 4, 1), D(2025, 4, 1), "c1")], {Q: "c1"}),
    ],
)
def test_a_provider_is_lost_in_the_year_its_last_contract_ends(held, lost):
    assert rules.providers_lost(held, rules.reporting_year(2025)) == lost
