"""Modifications in the figures (contracts.rules, docs/domain.md "Rules: Modifications"),
as tables of cases without Django or a database.

Expected figures are worked out by hand from the rule, never copied from the output.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from contracts import rules
from contracts.rules import DECLINED, EXERCISED, Modification, Option

# The Greater Manchester case of issue 14: £7,278,800 a year for five years and two
# options of a year, £50,951,600 in all.
SALFORD = {
    "start": date(2026, 4, 1),
    "initial_end": date(2031, 3, 31),
    "annual_value": D("7278800"),
    "options": (Option(12), Option(12)),
}
# Three contract years of 365, 366 (29 February 2028) and 365 days: £109,500.
PLAIN = {"start": date(2026, 4, 1), "initial_end": date(2029, 3, 31), "annual_value": D("36500")}
# Kent's seed check (docs/domain.md "Rules: Money"): £4,099,533.88 to 31 January 2030.
KENT = {
    "start": date(2025, 2, 1),
    "initial_end": date(2027, 1, 31),
    "annual_value": D("803671.80"),
    "uplift_percent": D(1),
    "options": (Option(24), Option(12)),
}
KENT_EXERCISED = {**KENT, "options": (Option(24, status=EXERCISED), Option(12))}
# A year at £12,000, then an option of a year priced at £24,000, exercised.
PRICED = {
    "start": date(2026, 4, 1),
    "initial_end": date(2027, 3, 31),
    "annual_value": D("12000"),
    "options": (Option(12, D("24000"), EXERCISED),),
}


def schedule(terms, *modifications):
    return rules.modified_schedule(**terms, modifications=modifications)


def total(rows):
    return sum((row.amount for row in rows), D("0.00"))


@pytest.mark.parametrize(
    "terms",
    [
        KENT,
        KENT_EXERCISED,
        PRICED,
        SALFORD,
        {**KENT, "options": (Option(24, status=DECLINED), Option(12, D("100000.01")))},
        {**PLAIN, "start": date(2026, 4, 15), "initial_end": date(2027, 6, 3)},
    ],
)
def test_with_no_modifications_the_schedule_is_the_contract_years(terms):
    result = schedule(terms)
    assert result.years == rules.contract_years(**terms)
    assert result.original_whole_life_value == rules.whole_life_value(**terms)
    options = terms.get("options", ())
    assert result.current_end == rules.current_end(
        terms["initial_end"], rules.exercised_option_months(options)
    )
    assert result.maximum_end == rules.maximum_end(
        terms["initial_end"], rules.available_option_months(options)
    )


# (terms, modifications, lifetime changes by sequence, current end, maximum end)
CASES = {
    "a £320,000 lifetime change on £50,951,600": (
        SALFORD,
        [Modification(1, date(2027, 6, 15), lifetime_change=D("320000"))],
        {1: D("320000")},
        date(2031, 3, 31),
        date(2033, 3, 31),
    ),
    "an annual change over the last full contract year": (
        SALFORD,
        [Modification(1, date(2032, 4, 1), annual_change=D("365000"))],
        {1: D("365000")},
        date(2031, 3, 31),
        date(2033, 3, 31),
    ),
    "an annual change from mid-year: 182 of 365 days, then two full years": (
        PLAIN,
        [Modification(1, date(2026, 10, 1), annual_change=D("3650"))],
        {1: D("1820") + D("3650") + D("3650")},
        date(2029, 3, 31),
        date(2029, 3, 31),
    ),
    "a reduction counts the same way, negative": (
        PLAIN,
        [Modification(1, date(2026, 10, 1), annual_change=D("-3650"))],
        {1: D("-9120")},
        date(2029, 3, 31),
        date(2029, 3, 31),
    ),
    "an annual change in a leap contract year: 31 of 366 days, rounded once": (
        PLAIN,
        # 1,000 × 31/366 = 84.699..., then a full year: 1,084.70.
        [Modification(1, date(2028, 3, 1), annual_change=D("1000"))],
        {1: D("1084.70")},
        date(2029, 3, 31),
        date(2029, 3, 31),
    ),
    "an effective date before the start runs from the start": (
        PLAIN,
        [Modification(1, date(2026, 1, 1), annual_change=D("3650"))],
        {1: D("10950")},
        date(2029, 3, 31),
        date(2029, 3, 31),
    ),
    "an effective date after the end puts the change on the last day": (
        PLAIN,
        [Modification(1, date(2035, 1, 1), lifetime_change=D("500"))],
        {1: D("500")},
        date(2029, 3, 31),
        date(2029, 3, 31),
    ),
    "a term extension is costed at the annual value: six months of year four": (
        PLAIN,
        [Modification(1, date(2029, 1, 1), new_end=date(2029, 9, 30))],
        {1: D("18250")},
        date(2029, 9, 30),
        date(2029, 9, 30),
    ),
    "a term reduction takes off the time it removes": (
        PLAIN,
        [Modification(1, date(2028, 7, 1), new_end=date(2028, 9, 30))],
        {1: D("-18250")},
        date(2028, 9, 30),
        date(2028, 9, 30),
    ),
    "a term change with a lifetime change moves the value by exactly that": (
        PLAIN,
        [Modification(1, date(2029, 1, 1), lifetime_change=D("20000"), new_end=date(2029, 9, 30))],
        {1: D("20000")},
        date(2029, 9, 30),
        date(2029, 9, 30),
    ),
    "Kent: six more months of the core term; the options follow, so half a year 6 more": (
        KENT,
        # Year 6 costs 803,671.80 × 1.01^5 = 844,667.141...; its first half 422,333.57.
        [Modification(1, date(2026, 12, 1), new_end=date(2027, 7, 31))],
        {1: D("422333.57")},
        date(2027, 7, 31),
        date(2030, 7, 31),
    ),
    "an exercised option running on the effective date is the one that ends later": (
        KENT_EXERCISED,
        [Modification(1, date(2028, 6, 1), new_end=date(2029, 7, 31))],
        {1: D("422333.57")},
        date(2029, 7, 31),
        date(2030, 7, 31),
    ),
    "an option still to come is never moved: the lapsed core term is extended": (
        KENT,
        # Two more months in year 3, at 819,825.60 a year; the options follow on, so
        # the schedule gains February and March 2030 of year 6 (844,667.14 / 6).
        [Modification(1, date(2027, 3, 1), new_end=date(2027, 3, 31))],
        {1: D("140777.86")},
        date(2027, 3, 31),
        date(2030, 3, 31),
    ),
    "a priced option cut short costs its share of the price": (
        PRICED,
        [Modification(1, date(2027, 6, 1), new_end=date(2027, 9, 30))],
        {1: D("-12000")},
        date(2027, 9, 30),
        date(2027, 9, 30),
    ),
    "a priced option run on keeps its price and adds time at the annual value": (
        PRICED,
        [Modification(1, date(2027, 6, 1), new_end=date(2028, 6, 30))],
        {1: D("3000")},
        date(2028, 6, 30),
        date(2028, 6, 30),
    ),
    "a new end before its part of the term starts leaves that part one day": (
        KENT_EXERCISED,
        [Modification(1, date(2028, 6, 1), new_end=date(2026, 1, 1))],
        None,
        date(2027, 2, 1),
        date(2028, 2, 1),
    ),
    "modifications apply in sequence whatever order they come in": (
        PLAIN,
        [
            Modification(2, date(2028, 7, 1), new_end=date(2028, 9, 30)),
            Modification(1, date(2029, 1, 1), new_end=date(2029, 9, 30)),
        ],
        # The second, later by sequence, takes the end back to 30 September 2028.
        {1: D("18250"), 2: D("-36500")},
        date(2028, 9, 30),
        date(2028, 9, 30),
    ),
    "a penny spread over three years stays a penny": (
        PLAIN,
        [Modification(1, date(2026, 4, 1), lifetime_change=D("0.01"))],
        {1: D("0.01")},
        date(2029, 3, 31),
        date(2029, 3, 31),
    ),
    "a modification that changes no value or term changes nothing": (
        PLAIN,
        [Modification(1, date(2027, 1, 1))],
        {1: D("0")},
        date(2029, 3, 31),
        date(2029, 3, 31),
    ),
}


@pytest.mark.parametrize(
    ("terms", "modifications", "changes", "current_end", "maximum_end"),
    CASES.values(),
    ids=CASES.keys(),
)
def test_modifications_change_the_schedule(terms, modifications, changes, current_end, maximum_end):
    result = schedule(terms, *modifications)
    original = rules.whole_life_value(**terms)
    assert result.original_whole_life_value == original
    if changes is not None:
        assert result.lifetime_changes == changes
    # The whole-life value is the original plus the changes, and everything adds up.
    whole_life = total(result.years)
    assert whole_life == original + sum(result.lifetime_changes.values())
    assert sum(rules.financial_year_profile(result.years).values()) == whole_life
    assert (result.current_end, result.maximum_end) == (current_end, maximum_end)
    assert rules.modified_ends(
        terms["start"], terms["initial_end"], terms.get("options", ()), modifications
    ) == (current_end, maximum_end)
    assert max(row.end for row in result.years) == maximum_end
    # Every row is in pennies, within its contract year, and a row ends on the current end.
    assert all(row.amount == row.amount.quantize(rules.PENNY) for row in result.years)
    assert all(row.start <= row.end for row in result.years)
    assert any(row.end == current_end for row in result.years)


def test_the_320000_variation_gives_51271600_and_is_spread_from_its_effective_date():
    result = schedule(SALFORD, Modification(1, date(2027, 6, 15), lifetime_change=D("320000")))
    assert result.original_whole_life_value == D("50951600.00")
    assert total(result.years) == D("51271600.00")
    varied = [row for row in result.years if row.source == "modification 1"]
    assert varied[0].start == date(2027, 6, 15)
    assert total(varied) == D("320000.00")
    # Pro rata by days: 291 of the 2,117 days from 15 June 2027 to 31 March 2033.
    assert varied[0].amount == D("43986.77")
    profile = rules.financial_year_profile(result.years)
    assert profile["2026/27"] == D("7278800.00")  # before the effective date: untouched
    assert profile["2027/28"] == D("7278800.00") + varied[0].amount


def test_an_annual_change_is_split_by_days_within_each_contract_year():
    result = schedule(PLAIN, Modification(1, date(2026, 10, 1), annual_change=D("3650")))
    varied = [(row.number, row.start, row.amount) for row in result.years if row.source != "core"]
    assert varied == [
        (1, date(2026, 10, 1), D("1820.00")),
        (2, date(2027, 4, 1), D("3650.00")),
        (3, date(2028, 4, 1), D("3650.00")),
    ]


def test_modification_lifetime_change_is_the_figure_the_schedule_adds():
    earlier = [Modification(1, date(2027, 6, 15), lifetime_change=D("320000"))]
    later = Modification(2, date(2032, 4, 1), annual_change=D("365000"))
    change = rules.modification_lifetime_change(later, **SALFORD, earlier=earlier)
    assert change == D("365000")
    given = Modification(3, date(2028, 1, 1), annual_change=D("1"), lifetime_change=D("-5"))
    assert rules.modification_lifetime_change(given, **SALFORD) == D("-5")
