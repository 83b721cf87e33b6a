"""Contract rules as tables of cases, without Django or a database.

Expected figures are worked out by hand (or from the Kent report, seeds/000), never
copied from the code's output.
"""

import math
from datetime import date
from decimal import Decimal as D
from decimal import localcontext
from fractions import Fraction

import pytest

from contracts import rules
from contracts.rules import (
    DECLINED,
    EXERCISED,
    PENDING,
    MoneyError,
    Option,
    OptionNotice,
)

# Kent Young Persons Drug and Alcohol Service, key decision 24/00056 (seeds/000).
KENT = {
    "start": date(2025, 2, 1),
    "initial_end": date(2027, 1, 31),
    "annual_value": D("803671.80"),
    "uplift_percent": D(1),
    "uplift_from_year": 2,
    "options": (Option(24), Option(12)),
}


def amounts(rows):
    return [row.amount for row in rows]


# --- Dates and terms -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 1, 31), 24, date(2027, 1, 31)),
        (date(2023, 2, 28), 12, date(2024, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2027, 2, 28), 12, date(2028, 2, 29)),
        (date(2024, 2, 28), 12, date(2025, 2, 28)),
        (date(2025, 4, 30), 1, date(2025, 5, 31)),
        (date(2024, 12, 31), 2, date(2025, 2, 28)),
        (date(2025, 1, 30), 1, date(2025, 2, 28)),
        (date(2025, 5, 30), 1, date(2025, 6, 30)),
        (date(2025, 3, 15), -1, date(2025, 2, 15)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2025, 1, 1), -1, date(2024, 12, 1)),
        (date(2025, 6, 17), 0, date(2025, 6, 17)),
    ],
)
def test_adding_months_keeps_month_ends_at_month_ends_and_clips_other_days(start, months, expected):
    assert rules.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2025, 2, 1), 24, date(2027, 1, 31)),
        (date(2024, 4, 1), 10, date(2025, 1, 31)),
        (date(2024, 3, 1), 12, date(2025, 2, 28)),
        (date(2023, 3, 1), 12, date(2024, 2, 29)),
        (date(2024, 8, 15), 6, date(2025, 2, 14)),
        (date(2025, 2, 1), 1, date(2025, 2, 28)),
    ],
)
def test_a_term_ends_the_day_before_the_same_date_that_many_months_on(start, months, expected):
    assert rules.term_end(start, months) == expected


@pytest.mark.parametrize("months", [0, -3])
def test_a_term_must_be_at_least_a_month(months):
    with pytest.raises(ValueError):
        rules.term_end(date(2025, 2, 1), months)


@pytest.mark.parametrize(
    ("end", "months", "expected"),
    [
        # Kent 23/00032: a 10-month extension from 1 Apr 2024 ran to 31 Jan 2025.
        (date(2024, 3, 31), 10, date(2025, 1, 31)),
        (date(2027, 1, 31), 24, date(2029, 1, 31)),
        (date(2023, 2, 28), 12, date(2024, 2, 29)),
        (date(2025, 2, 14), 6, date(2025, 8, 14)),
    ],
)
def test_an_extension_starts_the_day_after_the_current_end(end, months, expected):
    assert rules.extend_end(end, months) == expected


@pytest.mark.parametrize(
    ("months", "expected"),
    [
        ([], date(2027, 1, 31)),
        ([24], date(2029, 1, 31)),
        ([24, 12], date(2030, 1, 31)),
    ],
)
def test_end_dates_add_options_in_order(months, expected):
    assert rules.current_end(date(2027, 1, 31), months) == expected
    assert rules.maximum_end(date(2027, 1, 31), months) == expected


def test_option_lengths_for_current_and_maximum_end_follow_status():
    options = [Option(24, status=EXERCISED), Option(12), Option(6, status=DECLINED)]
    assert rules.exercised_option_months(options) == [24]
    assert rules.available_option_months(options) == [24, 12]


def test_an_option_with_an_unknown_status_is_refused():
    with pytest.raises(ValueError):
        Option(12, status="maybe")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 2, 1), date(2027, 1, 31), 24),
        (date(2024, 8, 15), date(2025, 2, 14), 6),
        (date(2025, 2, 1), date(2025, 2, 28), 1),
        (date(2025, 2, 1), date(2025, 2, 27), None),
        (date(2024, 4, 1), date(2024, 6, 15), None),
    ],
)
def test_whole_months_are_spans_that_are_exactly_a_term(start, end, expected):
    assert rules.whole_months(start, end) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2025, 1, 31), date(2025, 3, 1), (1, 1)),
        (date(2025, 1, 10), date(2025, 1, 25), (0, 15)),
        (date(2025, 2, 1), date(2027, 2, 1), (24, 0)),
        (date(2026, 12, 10), date(2027, 2, 1), (1, 22)),
    ],
)
def test_months_and_days_between_counts_whole_months_first(start, end, expected):
    assert rules.months_and_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2025, 2, 1), "2 years"),
        (date(2025, 12, 1), "1 year 2 months"),
        (date(2026, 1, 1), "1 year 1 month"),
        (date(2026, 12, 1), "2 months"),
        (date(2026, 12, 10), "1 month 22 days"),
        (date(2027, 1, 17), "15 days"),
        (date(2027, 1, 31), "1 day"),
        (date(2027, 2, 1), "ended"),
    ],
)
def test_time_remaining_counts_to_the_close_of_the_end_date(today, expected):
    assert rules.time_remaining(today, date(2027, 1, 31)) == expected


def test_the_next_option_deadline_is_the_earliest_pending_one_still_to_come():
    notices = [
        OptionNotice(1, date(2026, 7, 31), status=EXERCISED),
        OptionNotice(3, date(2028, 7, 31)),
        OptionNotice(2, date(2027, 7, 31)),
        OptionNotice(4, date(2026, 1, 31)),  # missed
    ]
    assert rules.next_option_deadline(notices, date(2026, 3, 1)).number == 2
    assert rules.next_option_deadline(notices, date(2027, 7, 31)).number == 2
    assert rules.next_option_deadline(notices, date(2027, 8, 1)).number == 3
    assert rules.next_option_deadline(notices, date(2028, 8, 1)) is None


# --- Contract value ----------------------------------------------------------------


def test_the_kent_schedule_matches_the_report_year_by_year():
    rows = rules.contract_years(**KENT)
    assert amounts(rows) == [
        D("803671.80"),
        D("811708.52"),
        D("819825.60"),
        D("828023.86"),
        D("836304.10"),
    ]
    assert [row.source for row in rows] == [
        "core",
        "core",
        "option 1",
        "option 1",
        "option 2",
    ]
    assert [(row.start, row.end) for row in rows][2] == (
        date(2027, 2, 1),
        date(2028, 1, 31),
    )
    assert all(row.fraction == 1 for row in rows)


def test_the_kent_whole_life_value_and_maximum_end_match_the_report():
    assert rules.whole_life_value(**KENT) == D("4099533.88")
    assert rules.contract_years(**KENT)[-1].end == date(2030, 1, 31)
    assert rules.maximum_end(KENT["initial_end"], [24, 12]) == date(2030, 1, 31)


def test_declined_options_are_left_out_of_the_whole_life_value():
    kent = KENT | {"options": (Option(24), Option(12, status=DECLINED))}
    assert rules.whole_life_value(**kent) == D("3263229.78")


def test_a_later_option_follows_on_from_the_last_option_that_can_still_run():
    kent = KENT | {"options": (Option(24, status=DECLINED), Option(12))}
    rows = rules.contract_years(**kent)
    assert [(row.end, row.source) for row in rows][-1] == (
        date(2028, 1, 31),
        "option 2",
    )


@pytest.mark.parametrize(
    ("uplift_percent", "from_year", "expected"),
    [
        (D(2), 2, ["100000.00", "102000.00", "104040.00", "106120.80"]),
        (D(2), 3, ["100000.00", "100000.00", "102000.00", "104040.00"]),
        (D(0), 2, ["100000.00", "100000.00", "100000.00", "100000.00"]),
        (D("2.5"), 4, ["100000.00", "100000.00", "100000.00", "102500.00"]),
    ],
)
def test_the_uplift_compounds_from_the_year_it_starts(uplift_percent, from_year, expected):
    rows = rules.contract_years(
        date(2024, 4, 1),
        date(2028, 3, 31),
        D(100000),
        uplift_percent=uplift_percent,
        uplift_from_year=from_year,
    )
    assert amounts(rows) == [D(value) for value in expected]


def test_zero_uplift_gives_the_annual_value_every_year():
    kent = KENT | {"uplift_percent": D(0)}
    assert rules.whole_life_value(**kent) == D("4018359.00")


@pytest.mark.parametrize(
    ("start", "initial_end", "annual", "expected"),
    [
        # whole months: 10/12 and 6/12 of the (uplifted) year
        (date(2024, 4, 1), date(2025, 1, 31), "120000", ["100000.00"]),
        (
            date(2024, 4, 1),
            date(2026, 9, 30),
            "120000",
            ["120000.00", "122400.00", "62424.00"],
        ),
        # not whole months: days / days in that contract year (366 with 29 Feb 2024),
        # uplifted 2% in year two: 366000 * 1.02 * 44/366 and 36500 * 1.02 * 16/365
        (date(2023, 2, 1), date(2024, 3, 15), "366000", ["366000.00", "44880.00"]),
        (date(2024, 3, 1), date(2025, 3, 16), "36500", ["36500.00", "1632.00"]),
        (date(2024, 4, 1), date(2024, 6, 15), "36500", ["7600.00"]),
    ],
)
def test_a_final_part_year_costs_its_share_of_a_full_year(start, initial_end, annual, expected):
    rows = rules.contract_years(
        start, initial_end, D(annual), uplift_percent=D(2), uplift_from_year=2
    )
    assert amounts(rows) == [D(value) for value in expected]


@pytest.mark.parametrize(
    ("initial_end", "expected"),
    [
        # 29 Feb is a month end, so 12 months on is 28 Feb 2025 and the first contract
        # year ends the day before it (docs/domain.md "Dates and terms", both rules literally).
        (date(2025, 2, 27), [(1, date(2024, 2, 29), date(2025, 2, 27), "36500.00")]),
        # An end of 28 Feb 2025 is twelve months and a day: a one-day second year,
        # 36500 * 1.02 * 1/365. Deliberate, not clamping gone wrong: we keep the rule.
        (
            date(2025, 2, 28),
            [
                (1, date(2024, 2, 29), date(2025, 2, 27), "36500.00"),
                (2, date(2025, 2, 28), date(2025, 2, 28), "102.00"),
            ],
        ),
    ],
)
def test_a_contract_starting_on_29_february_follows_the_month_end_rule(initial_end, expected):
    rows = rules.contract_years(
        date(2024, 2, 29), initial_end, D(36500), uplift_percent=D(2), uplift_from_year=2
    )
    assert [(r.number, r.start, r.end, r.amount) for r in rows] == [
        (number, start, end, D(amount)) for number, start, end, amount in expected
    ]
    assert rules.term_end(date(2024, 2, 29), 12) == date(2025, 2, 27)


def test_a_part_year_in_whole_months_records_its_fraction():
    (row,) = rules.contract_years(date(2024, 4, 1), date(2025, 1, 31), D(120000))
    assert round(row.fraction, 6) == D("0.833333")


def test_each_row_rounds_half_a_penny_up():
    # 100.01 * 6/12 = 50.005 exactly: half up gives 50.01 where half even gives 50.00.
    (row,) = rules.contract_years(date(2025, 1, 1), date(2025, 6, 30), D("100.01"))
    assert row.amount == D("50.01")


def test_the_ten_month_extension_costs_ten_twelfths_of_a_year():
    start = date(2024, 4, 1)
    end = rules.extend_end(date(2024, 3, 31), 10)
    assert end == date(2025, 1, 31)
    assert rules.whole_life_value(start, end, D("803671.80")) == D("669726.50")


def test_a_year_straddling_core_and_option_is_split_and_a_priced_option_costs_its_price():
    rows = rules.contract_years(
        date(2024, 4, 1),
        date(2025, 1, 31),
        D(100000),
        options=[Option(12, price=D(120000))],
    )
    assert [(r.number, r.start, r.end, r.source, r.amount) for r in rows] == [
        (1, date(2024, 4, 1), date(2025, 1, 31), "core", D("83333.33")),
        (1, date(2025, 2, 1), date(2025, 3, 31), "option 1", D("20000.00")),
        (2, date(2025, 4, 1), date(2026, 1, 31), "option 1", D("100000.00")),
    ]


def test_an_unpriced_option_is_costed_from_the_uplifted_annual_value():
    rows = rules.contract_years(
        date(2024, 4, 1),
        date(2025, 1, 31),
        D(100000),
        uplift_percent=D(1),
        options=[Option(12)],
    )
    assert amounts(rows) == [D("83333.33"), D("16666.67"), D("84166.67")]


def test_a_priced_option_not_in_whole_months_is_spread_by_days():
    # option 16 Jan 2025 - 15 Jan 2026 (365 days): 75 days, then 290 days
    rows = rules.contract_years(
        date(2024, 4, 1),
        date(2025, 1, 15),
        D(100000),
        options=[Option(12, price=D(73000))],
    )
    assert amounts(rows) == [D("79452.05"), D("15000.00"), D("58000.00")]


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        (date(2025, 1, 31), "0.00"),
        (date(2026, 1, 31), "803671.80"),
        (date(2026, 3, 31), "938956.55"),  # + 811708.518 * 2/12 = 135284.75
        (date(2035, 1, 1), "4099533.88"),
    ],
)
def test_value_to_a_date_stops_part_way_through_a_year(to, expected):
    assert rules.value_to(to, **KENT) == D(expected)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((PENDING, PENDING), "1615380.32"),
        ((EXERCISED, PENDING), "3263229.78"),
        ((EXERCISED, EXERCISED), "4099533.88"),
    ],
)
def test_value_to_current_end_counts_only_exercised_options(statuses, expected):
    options = tuple(Option(m, status=s) for m, s in zip((24, 12), statuses, strict=True))
    assert rules.value_to_current_end(**(KENT | {"options": options})) == D(expected)


def test_money_given_as_a_float_is_refused():
    with pytest.raises(TypeError):
        rules.contract_years(date(2025, 2, 1), date(2026, 1, 31), 803671.80)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(1, 200), "0.01"),  # half a penny rounds up
        (Fraction(-1, 200), "-0.01"),  # and away from zero
        (Fraction(1, 300), "0.00"),
        (Fraction(-1, 300), "0.00"),
        (Fraction(2, 3), "0.67"),
        (Fraction(80367180, 100) * Fraction(7, 12), "468808.55"),
        (Fraction(10**40 + 1, 3), "3333333333333333333333333333333333333333.67"),
    ],
)
def test_each_row_is_rounded_to_the_penny_half_away_from_zero(value, expected):
    rounded = rules._to_penny(value)
    assert rounded == D(expected)
    assert rounded.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("year", "month", "days"),
    [(2023, 2, 28), (2024, 2, 29), (1900, 2, 28), (2000, 2, 29), (2025, 1, 31), (2025, 4, 30)],
)
def test_days_in_month_know_leap_years(year, month, days):
    assert rules._days_in_month(year, month) == days


# --- Cost shares -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "weights", "expected"),
    [
        (
            "100.01",
            {"north": "48.6", "west": "51.4"},
            {"north": "48.60", "west": "51.41"},
        ),
        (
            "382000.01",
            {"north": "48.6", "west": "51.4"},
            {"north": "185652.00", "west": "196348.01"},
        ),
        (
            "2243000",
            {"north": "48.6", "west": "51.4"},
            {"north": "1090098.00", "west": "1152902.00"},
        ),
        (
            "1.00",
            {"a": "1", "b": "1", "c": "1"},
            {"a": "0.34", "b": "0.33", "c": "0.33"},
        ),
        (
            "1.00",
            {"c": "1", "b": "1", "a": "1"},
            {"c": "0.34", "b": "0.33", "a": "0.33"},
        ),
        ("0.01", {"a": "50", "b": "50"}, {"a": "0.01", "b": "0.00"}),
        (
            "-100.01",
            {"north": "48.6", "west": "51.4"},
            {"north": "-48.60", "west": "-51.41"},
        ),
        # fixed amounts are split in proportion
        (
            "100",
            {"kent": "1000000", "medway": "500000"},
            {"kent": "66.67", "medway": "33.33"},
        ),
        (
            "0.02",
            {"a": "1", "b": "2", "c": "2"},
            {"a": "0.00", "b": "0.01", "c": "0.01"},
        ),
    ],
)
def test_shares_add_up_exactly_to_the_whole_by_largest_remainder(amount, weights, expected):
    parts = rules.split_by_shares(D(amount), {k: D(v) for k, v in weights.items()})
    assert parts == {k: D(v) for k, v in expected.items()}
    assert list(parts) == list(weights)
    assert sum(parts.values()) == D(amount)


def _split_in_fractions(amount: D, weights: dict) -> dict:
    """split_by_shares as first written, in Fractions: the whole-pence version must
    give the same parts, exponent and all."""
    exact_weights = {k: Fraction(w) for k, w in weights.items()}
    total = sum(exact_weights.values())
    pence = Fraction(amount) * 100
    sign, whole = (-1 if pence < 0 else 1), abs(int(pence))
    exact = {k: whole * w / total for k, w in exact_weights.items()}
    parts = {k: math.floor(v) for k, v in exact.items()}
    keys = list(exact)
    order = sorted(range(len(keys)), key=lambda i: (-(exact[keys[i]] - parts[keys[i]]), i))
    for i in order[: whole - sum(parts.values())]:
        parts[keys[i]] += 1
    with localcontext() as context:
        context.prec = rules.MONEY_PRECISION
        return {k: (D(sign * parts[k]) / 100).quantize(rules.PENNY) for k in keys}


@pytest.mark.parametrize("amount", ["0", "0.01", "0.03", "1.00", "100.01", "-100.01", "99999.99"])
@pytest.mark.parametrize(
    "weights",
    [
        {"a": "48.6", "b": "51.4"},
        {"a": "1", "b": "1", "c": "1"},
        {"c": "1", "b": "1", "a": "1"},
        {"a": "33.333", "b": "33.333", "c": "33.334"},
        {"a": "1", "b": "2", "c": "2"},
        {"a": "1517000", "b": "4000000.01"},
        {"a": "0", "b": "7"},
        {"a": "31", "b": "30", "c": "31", "d": "28"},  # months of a profile row
        {"a": "100"},
    ],
)
def test_shares_split_in_whole_pence_as_in_fractions(amount, weights):
    weights = {k: D(v) for k, v in weights.items()}
    parts = rules.split_by_shares(D(amount), weights)
    expected = _split_in_fractions(D(amount), weights)
    assert parts == expected
    assert [p.as_tuple() for p in parts.values()] == [e.as_tuple() for e in expected.values()]


def test_a_split_beyond_the_default_precision_is_exact():
    amount = D("1234567890123456789012345678901.23")
    parts = rules.split_by_shares(amount, {"a": D("48.6"), "b": D("51.4")})
    assert parts == _split_in_fractions(amount, {"a": D("48.6"), "b": D("51.4")})
    with localcontext() as context:
        context.prec = rules.MONEY_PRECISION
        assert sum(parts.values()) == amount


def test_a_share_given_as_a_float_is_refused():
    with pytest.raises(TypeError):
        rules.split_by_shares(D("100"), {"a": 48.6, "b": D("51.4")})


@pytest.mark.parametrize(
    ("amount", "weights"),
    [
        ("100", {}),
        ("100", {"a": "0", "b": "0"}),
        ("100", {"a": "-1", "b": "2"}),
        ("100.005", {"a": "1"}),
    ],
)
def test_splits_that_cannot_be_made_are_refused(amount, weights):
    with pytest.raises(ValueError):
        rules.split_by_shares(D(amount), {k: D(v) for k, v in weights.items()})


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ({"North Northamptonshire": "48.6", "West Northamptonshire": "51.4"}, []),
        ({"Kent": "100"}, []),
        ({"Kent": "0", "Medway": "100"}, []),
        (
            {"North": "48.6", "West": "51.3"},
            ["The shares add up to 99.9%. They must add up to exactly 100%."],
        ),
        (
            {"North": "120", "West": "-20"},
            [
                "The share for North must be between 0% and 100%.",
                "The share for West must be between 0% and 100%.",
            ],
        ),
        (
            {"North": "60", "West": "60"},
            ["The shares add up to 120%. They must add up to exactly 100%."],
        ),
        ({}, ["Enter at least one share."]),
    ],
)
def test_percentage_shares_must_each_be_0_to_100_and_total_exactly_100(shares, expected):
    percentages = {name: D(value) for name, value in shares.items()}
    assert rules.validate_percentage_shares(percentages) == expected


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ({"Kent": "500000", "Medway": "303671.80"}, []),
        (
            {"Kent": "500000", "Medway": "303671.79"},
            [
                (
                    "The amounts add up to £803,671.79. They must add up to the annual "
                    "value of £803,671.80."
                )
            ],
        ),
        (
            {"Kent": "-1", "Medway": "803672.80"},
            ["The amount for Kent cannot be negative."],
        ),
        (
            {"Kent": "500000.005", "Medway": "303671.795"},
            [
                "The amount for Kent must be in pounds and pence.",
                "The amount for Medway must be in pounds and pence.",
            ],
        ),
        ({}, ["Enter at least one amount."]),
    ],
)
def test_fixed_shares_must_total_the_annual_value(shares, expected):
    amounts_ = {name: D(value) for name, value in shares.items()}
    assert rules.validate_fixed_shares(amounts_, D("803671.80")) == expected


# --- Money as written ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£1,234,567.89", "1234567.89"),
        ("1234567.89", "1234567.89"),
        ("1234567", "1234567.00"),
        ("1,234", "1234.00"),
        ("1,234.5", "1234.50"),
        ("£4,099,533.88", "4099533.88"),
        ("  £803,671.80  ", "803671.80"),
        ("0.5", "0.50"),
        ("£1.2m", "1200000.00"),
        ("£1.25m", "1250000.00"),
        ("£2.5M", "2500000.00"),
        ("£800k", "800000.00"),
        ("£2,243k", "2243000.00"),
        ("£1.5 m", "1500000.00"),
        ("£2bn", "2000000000.00"),
        ("£1.2BN", "1200000000.00"),
        ("£1.23456789m", "1234567.89"),
        ("-£1,234.50", "-1234.50"),
        ("-1234", "-1234.00"),
        ("£-500", "-500.00"),
        ("\u2212£5", "-5.00"),
        ("-0", "0.00"),
    ],
)
def test_money_in_the_formats_councils_use_is_read_exactly(text, expected):
    value = rules.parse_money(text)
    assert value == D(expected)
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "text",
    [
        "£35,368,00",
        "£2,45M",
        "1.234,56",
        "12,34",
        "1,2345",
        "12,345,67",
        ",123",
        "1,",
        "1.",
        "1.234",
        "£1,234.567",
        "1 234",
        "",
        "   ",
        "£",
        "abc",
        "£12x",
        "1.2.3",
        "£1.2mk",
        "£1.2345678901m",
        "--5",
        "-£-5",
        "£five",
        "1e6",
    ],
)
def test_money_that_cannot_be_read_without_guessing_is_refused_naming_the_value(text):
    with pytest.raises(MoneyError) as refused:
        rules.parse_money(text)
    assert f'"{text}"' in str(refused.value)
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "it is empty"),
        ("£35,368,00", "the commas do not mark thousands"),
        ("1.234", "more than two decimal places"),
        ("£1.2345678901m", "more precise than a penny"),
        ("£five", "write it like £1,234,567.89"),
    ],
)
def test_refused_money_says_why(text, reason):
    with pytest.raises(MoneyError, match=reason):
        rules.parse_money(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("£4.1m", "50000"),
        ("£12m", "500000"),
        ("£1.25m", "5000"),
        ("£800k", "500"),
        ("£2bn", "500000000"),
        ("£1,686,448", "0.5"),
        ("£4,099,533.88", "0.005"),
        ("1,234.5", "0.05"),
    ],
)
def test_stated_tolerance_is_half_a_unit_of_the_last_written_digit(text, expected):
    assert rules.stated_tolerance(text) == D(expected)


@pytest.mark.parametrize(
    ("stated", "computed", "ok", "label"),
    [
        ("£4.1m", "4099533.88", True, "ok"),
        ("£4,099,533.88", "4099533.88", True, "ok"),
        ("£800k", "800500.00", True, "ok"),
        ("£800k", "800500.01", False, "mismatch: stated 800000.00, computed 800500.01"),
        (
            "£4,100,000",
            "4099533.88",
            False,
            "mismatch: stated 4100000.00, computed 4099533.88",
        ),
        (
            "£4,099,533.87",
            "4099533.88",
            False,
            "mismatch: stated 4099533.87, computed 4099533.88",
        ),
        (
            "£4.2m",
            "4099533.88",
            False,
            "mismatch: stated 4200000.00, computed 4099533.88",
        ),
    ],
)
def test_reconciliation_allows_for_the_rounding_of_the_stated_figure(stated, computed, ok, label):
    result = rules.reconcile(stated, D(computed))
    assert (result.ok, result.label) == (ok, label)
    assert result.stated == rules.parse_money(stated)
    assert result.tolerance == rules.stated_tolerance(stated)


def test_reconciling_an_unreadable_figure_is_refused():
    with pytest.raises(MoneyError):
        rules.reconcile("£2,45M", D(245000))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4099533.88", "£4,099,533.88"),
        ("0", "£0.00"),
        ("-5", "\u2212£5.00"),
        ("0.005", "£0.01"),
    ],
)
def test_money_is_formatted_with_pound_sign_commas_and_pence(value, expected):
    assert rules.format_money(D(value)) == expected


# --- Status ------------------------------------------------------------------------

START, INITIAL_END = date(2025, 2, 1), date(2027, 1, 31)


@pytest.mark.parametrize(
    ("today", "start", "current", "stage", "expected"),
    [
        (date(2025, 1, 1), START, INITIAL_END, None, rules.PIPELINE),
        (date(2025, 1, 1), START, INITIAL_END, "in_procurement", rules.IN_PROCUREMENT),
        (date(2025, 1, 31), START, INITIAL_END, "standstill", rules.STANDSTILL),
        (date(2025, 1, 1), None, None, None, rules.PIPELINE),
        (date(2025, 2, 1), START, INITIAL_END, "standstill", rules.LIVE),
        (date(2027, 1, 31), START, INITIAL_END, None, rules.LIVE),
        (date(2027, 2, 1), START, INITIAL_END, None, rules.EXPIRED),
        (date(2027, 2, 1), START, None, None, rules.EXPIRED),
        (date(2027, 2, 1), START, date(2029, 1, 31), None, rules.IN_EXTENSION),
        (date(2029, 1, 31), START, date(2029, 1, 31), None, rules.IN_EXTENSION),
        (date(2029, 2, 1), START, date(2029, 1, 31), None, rules.EXPIRED),
    ],
)
def test_status_follows_the_dates_and_procurement_stage(today, start, current, stage, expected):
    initial_end = INITIAL_END if start else None
    status = rules.derive_status(
        today,
        start=start,
        initial_end=initial_end,
        current_end=current,
        procurement_stage=stage,
    )
    assert status == expected


def test_an_open_ended_contract_stays_live_once_started():
    status = rules.derive_status(date(2040, 1, 1), start=START, initial_end=None)
    assert status == rules.LIVE


@pytest.mark.parametrize(
    "today", [date(2024, 6, 1), date(2026, 1, 1), date(2028, 1, 1), date(2031, 1, 1)]
)
def test_termination_wins_whatever_the_dates(today):
    status = rules.derive_status(
        today,
        start=START,
        initial_end=INITIAL_END,
        current_end=date(2029, 1, 31),
        procurement_stage="standstill",
        terminated=True,
    )
    assert status == rules.TERMINATED


def test_an_unknown_procurement_stage_is_refused():
    with pytest.raises(ValueError):
        rules.derive_status(
            date(2025, 1, 1),
            start=START,
            initial_end=INITIAL_END,
            procurement_stage="tendering",
        )


# --- Financial years ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2024, 4, 1), "2024/25"),
        (date(2025, 3, 31), "2024/25"),
        (date(2025, 4, 1), "2025/26"),
        (date(2025, 1, 1), "2024/25"),
        (date(1999, 12, 31), "1999/00"),
    ],
)
def test_financial_years_run_from_1_april_to_31_march(day, label):
    assert rules.financial_year(day) == label
    first, last = rules.financial_year_bounds(label)
    assert first <= day <= last
    assert (first.month, first.day, last.month, last.day) == (4, 1, 3, 31)


@pytest.mark.parametrize("label", ["2024/26", "2024-25", "24/25", "2024/2025", ""])
def test_a_label_that_is_not_a_financial_year_is_refused(label):
    with pytest.raises(ValueError):
        rules.financial_year_bounds(label)


def row(start, end, amount, number=1):
    return rules.ContractYear(number, start, end, D(1), D(amount), "core")


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # 1 Feb start: 2 months in 2024/25, 10 in 2025/26
        (
            [row(date(2025, 2, 1), date(2026, 1, 31), "803671.80")],
            {"2024/25": "133945.30", "2025/26": "669726.50"},
        ),
        (
            [row(date(2026, 2, 1), date(2027, 1, 31), "811708.52")],
            {"2025/26": "135284.75", "2026/27": "676423.77"},
        ),
        # 15 Aug start: 229 days in 2024/25, 136 in 2025/26
        (
            [row(date(2024, 8, 15), date(2025, 8, 14), "36500")],
            {"2024/25": "22900.00", "2025/26": "13600.00"},
        ),
        (
            [row(date(2024, 8, 15), date(2025, 8, 14), "1000")],
            {"2024/25": "627.40", "2025/26": "372.60"},
        ),
        # starts on the 1st but ends mid-month: by days, 59 and 15
        (
            [row(date(2025, 2, 1), date(2025, 4, 15), "740")],
            {"2024/25": "590.00", "2025/26": "150.00"},
        ),
        # within one financial year; rows in the same year add up
        (
            [
                row(date(2025, 4, 1), date(2025, 9, 30), "60000"),
                row(date(2025, 10, 1), date(2026, 3, 31), "61000", 2),
            ],
            {"2025/26": "121000.00"},
        ),
    ],
)
def test_each_row_is_split_across_financial_years_adding_up_exactly(rows, expected):
    assert rules.financial_year_profile(rows) == {k: D(v) for k, v in expected.items()}


def test_the_kent_profile_runs_in_financial_year_order_and_totals_the_whole_life_value():
    profile = rules.financial_year_profile(rules.contract_years(**KENT))
    assert list(profile) == [
        "2024/25",
        "2025/26",
        "2026/27",
        "2027/28",
        "2028/29",
        "2029/30",
    ]
    assert profile["2024/25"] == D("133945.30")
    assert sum(profile.values()) == D("4099533.88")


def test_a_mid_month_profile_totals_the_whole_life_value():
    rows = rules.contract_years(
        date(2024, 8, 15),
        date(2026, 8, 14),
        D("100000.01"),
        uplift_percent=D(3),
        options=[Option(7, price=D("58333.33"))],
    )
    profile = rules.financial_year_profile(rows)
    assert list(profile) == ["2024/25", "2025/26", "2026/27"]
    assert sum(profile.values()) == sum(r.amount for r in rows)
