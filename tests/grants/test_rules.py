"""Grant rules as tables of cases, without the database."""

from datetime import date
from decimal import Decimal as D

import pytest

from contracts import rules as contract_rules
from grants import charts, rules


@pytest.mark.parametrize(
    ("label", "error"),
    [
        ("2024/25", False),
        ("1999/00", False),
        ("2024/26", True),
        ("2024-25", True),
        ("2024/2025", True),
        ("", True),
    ],
)
def test_a_financial_year_is_two_consecutive_years_written_2024_25(label, error):
    assert (rules.financial_year_error(label) is not None) is error


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("2024/25", "2024/25", ["2024/25"]),
        ("2022/23", "2024/25", ["2022/23", "2023/24", "2024/25"]),
        ("1998/99", "2000/01", ["1998/99", "1999/00", "2000/01"]),
    ],
)
def test_financial_years_between_run_in_order_inclusive(first, last, expected):
    assert rules.financial_years_between(first, last) == expected


@pytest.mark.parametrize(
    "today, count, expected",
    [
        (date(2026, 12, 7), 3, ("2026/27", "2028/29")),
        # 31 March is the last day of the year before; 1 April the first of the next.
        (date(2027, 3, 31), 3, ("2026/27", "2028/29")),
        (date(2027, 4, 1), 3, ("2027/28", "2029/30")),
        (date(2026, 12, 7), 1, ("2026/27", "2026/27")),
        # The century turns in the label's second half.
        (date(2098, 5, 1), 3, ("2098/99", "2100/01")),
    ],
)
def test_financial_years_ahead(today, count, expected):
    assert rules.financial_years_ahead(today, count) == expected


@pytest.mark.parametrize("first, label", [(2024, "2024/25"), (1999, "1999/00"), (2009, "2009/10")])
def test_financial_year_label(first, label):
    assert contract_rules.financial_year_label(first) == label


def test_financial_years_between_refuse_a_last_year_before_the_first():
    with pytest.raises(ValueError):
        rules.financial_years_between("2024/25", "2023/24")


@pytest.mark.parametrize(
    ("first", "last", "label"),
    [
        ("2024/25", "", "2024/25"),
        ("2024/25", "2024/25", "2024/25"),
        ("2022/23", "2024/25", "2022/23 to 2024/25"),
    ],
)
def test_a_period_is_one_year_or_a_range(first, last, label):
    assert rules.period_label(first, last) == label


@pytest.mark.parametrize(
    ("allocation", "others", "amount", "refused"),
    [
        # Kent: £382,000 of £11,424,253 fits.
        ("11424253.00", [], "382000.00", False),
        # Exactly the remainder fits; a penny more does not.
        ("1000.00", ["400.00", "100.00"], "500.00", False),
        ("1000.00", ["400.00", "100.00"], "500.01", True),
        ("0.00", [], "0.01", True),
        ("1000.00", [], "0.00", True),
        ("1000.00", [], "-5.00", True),
    ],
)
def test_commitments_can_never_add_up_to_more_than_the_allocation(
    allocation, others, amount, refused
):
    error = rules.commitment_error(D(allocation), [D(o) for o in others], D(amount))
    assert (error is not None) is refused


def test_an_over_commitment_message_names_the_uncommitted_balance():
    error = rules.commitment_error(D("1000.00"), [D("600.00")], D("500.00"))
    assert error == (
        "Only £400.00 of this allocation is uncommitted. "
        "This commitment is £100.00 more than that: enter £400.00 or less."
    )


@pytest.mark.parametrize(
    ("amount", "committed", "refused"),
    [("1000.00", "1000.00", False), ("999.99", "1000.00", True), ("5.00", "0.00", False)],
)
def test_an_allocation_cannot_be_reduced_below_what_is_committed(amount, committed, refused):
    assert (rules.allocation_amount_error(D(amount), D(committed)) is not None) is refused


def test_uncommitted_is_the_allocation_less_its_commitments():
    assert rules.uncommitted(D("11424253.00"), [D("382000.00")]) == D("11042253.00")


@pytest.mark.parametrize(
    ("cost", "funding", "expected"),
    [
        # Northamptonshire adult treatment 2023/24: PHG shares and the PCC's £239k.
        (
            {"2023/24": "5394000.00"},
            {"2023/24": "5394000.00"},
            [("2023/24", "covered", "Fully funded")],
        ),
        (
            {"2023/24": "100.00", "2024/25": "100.00"},
            {"2023/24": "60.00", "2024/25": "150.00"},
            [
                ("2023/24", "gap", "Gap of £40.00"),
                ("2024/25", "over", "Over-committed by £50.00"),
            ],
        ),
        # Funding in a year the contract does not run is over-commitment.
        ({}, {"2030/31": "1.00"}, [("2030/31", "over", "Over-committed by £1.00")]),
        # A year with cost and no funding at all is a gap.
        ({"2025/26": "10.00"}, {}, [("2025/26", "gap", "Gap of £10.00")]),
        # A contract with no value (Southend's £0) is not yet valued, never fully funded.
        ({"2025/26": "0.00"}, {}, [("2025/26", "not_valued", "Not yet valued")]),
        ({"2025/26": "0.00"}, {"2025/26": "0.00"}, [("2025/26", "not_valued", "Not yet valued")]),
        (
            {"2025/26": "0.00"},
            {"2025/26": "5.00"},
            [("2025/26", "over", "Over-committed by £5.00")],
        ),
    ],
)
def test_coverage_flags_gaps_and_over_commitment_year_by_year(cost, funding, expected):
    rows = rules.coverage({k: D(v) for k, v in cost.items()}, {k: D(v) for k, v in funding.items()})
    assert [(r.financial_year, r.status, r.label) for r in rows] == expected


NORTHANTS = {"NNC": D("48.6"), "WNC": D("51.4")}


def _split_contract(start, initial_end, annual, uplift="0", options=()):
    years = contract_rules.contract_years(
        start,
        initial_end,
        D(annual),
        D(uplift),
        options=[contract_rules.Option(m) for m in options],
    )
    profile = contract_rules.financial_year_profile(years)
    return years, profile, rules.split_profile(profile, NORTHANTS)


@pytest.mark.parametrize(
    ("start", "end", "annual", "uplift", "options", "expected_years"),
    [
        # Whole financial years (Northamptonshire, from 1 April).
        (
            date(2023, 4, 1),
            date(2026, 3, 31),
            "5394000.00",
            "0",
            (),
            ["2023/24", "2024/25", "2025/26"],
        ),
        # Kent: contract years from 1 February straddle two financial years each.
        (
            date(2025, 2, 1),
            date(2027, 1, 31),
            "803671.80",
            "1",
            (24, 12),
            ["2024/25", "2025/26", "2026/27", "2027/28", "2028/29", "2029/30"],
        ),
        # A part year from mid-month, split by days.
        (date(2024, 3, 15), date(2024, 9, 14), "100000.00", "0", (), ["2023/24", "2024/25"]),
        # Across 29 February 2024 (a leap year), by days.
        (date(2023, 11, 17), date(2024, 11, 16), "366000.00", "0", (), ["2023/24", "2024/25"]),
    ],
)
def test_each_years_split_between_authorities_adds_up_to_the_penny(
    start, end, annual, uplift, options, expected_years
):
    years, profile, split = _split_contract(start, end, annual, uplift, options)
    assert list(split) == expected_years
    for year, parts in split.items():
        assert sum(parts.values()) == profile[year]
        assert all(part == part.quantize(D("0.01")) for part in parts.values())
    total = sum(sum(parts.values()) for parts in split.values())
    assert total == sum(y.amount for y in years)


def test_the_kent_profile_split_totals_the_whole_life_value_in_the_report():
    _, _, split = _split_contract(date(2025, 2, 1), date(2027, 1, 31), "803671.80", "1", (24, 12))
    assert sum(sum(p.values()) for p in split.values()) == D("4099533.88")


def test_a_contract_year_over_29_february_is_split_by_its_366_days():
    # 15 Feb 2024 to 14 Feb 2025 has 366 days: 46 of them (15-29 Feb, all of March)
    # fall in 2023/24 and 320 in 2024/25.
    _, profile, _ = _split_contract(date(2024, 2, 15), date(2025, 2, 14), "366000.00")
    assert profile == {"2023/24": D("46000.00"), "2024/25": D("320000.00")}


@pytest.mark.parametrize(
    ("amount", "expected_nnc", "expected_wnc"),
    [
        # Table 2, £000s: SSMTRG 2023/24 and 2024/25, HSG, IPD.
        ("1366000", "664000.00", "702000.00"),
        ("2243000", "1090000.00", "1153000.00"),
        ("596000", "290000.00", "306000.00"),
        ("115000", "56000.00", "59000.00"),
        # Rounded to the nearest £1,000 first, half up.
        ("1365500", "664000.00", "702000.00"),
    ],
)
def test_a_table_in_thousands_splits_whole_thousands_that_add_up(
    amount, expected_nnc, expected_wnc
):
    parts = rules.split_in_units(D(amount), NORTHANTS, rules.THOUSAND)
    assert parts == {"NNC": D(expected_nnc), "WNC": D(expected_wnc)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NNC=48.6%;WNC=51.4%", [("NNC", D("48.6")), ("WNC", D("51.4"))]),
        (
            "North Northamptonshire Council 48.6%; WNC: 51.4%",
            [("North Northamptonshire Council", D("48.6")), ("WNC", D("51.4"))],
        ),
        ("KCC=100%", [("KCC", D("100"))]),
        ("", []),
    ],
)
def test_shares_are_read_in_the_contracts_import_format(text, expected):
    assert rules.parse_shares(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("NNC=48.6%;WNC=50%", "add up to 98.6%"),
        ("NNC=48.6", "cannot read the share"),
        ("NNC=50%;nnc=50%", "more than one share"),
    ],
)
def test_shares_that_cannot_be_used_are_refused_saying_why(text, message):
    with pytest.raises(ValueError, match=message):
        rules.parse_shares(text)


def test_shares_written_out_read_back_the_same():
    pairs = [("NNC", D("48.6000")), ("WNC", D("51.4000"))]
    assert rules.format_shares(pairs) == "NNC=48.6%;WNC=51.4%"
    assert rules.parse_shares(rules.format_shares(pairs)) == [
        ("NNC", D("48.6")),
        ("WNC", D("51.4")),
    ]


@pytest.mark.parametrize(
    ("prefix", "local", "expected"),
    [
        ("360G-kentcc", "LGP-001", "360G-kentcc-LGP-001"),
        ("kentcc", 17, "360G-kentcc-17"),
        ("360G-kentcc-", "A1", "360G-kentcc-A1"),
    ],
)
def test_a_360giving_id_is_360g_then_the_prefix_then_the_local_id(prefix, local, expected):
    assert rules.giving_id(prefix, local) == expected


def test_a_360giving_prefix_with_spaces_is_refused():
    with pytest.raises(ValueError):
        rules.giving_id("kent cc", "1")


@pytest.mark.parametrize(
    ("charity", "company", "expected"),
    [
        ("1166577", "06791380", "GB-CHC-1166577"),
        ("", "sc123456", "GB-COH-SC123456"),
        ("", "", "360G-kentcc-org-1"),
    ],
)
def test_a_recipient_is_identified_by_charity_then_company_number(charity, company, expected):
    assert (
        rules.organisation_id(
            charity_number=charity, company_number=company, fallback="360G-kentcc-org-1"
        )
        == expected
    )


@pytest.mark.parametrize(
    ("amount", "expected"), [("15000.00", 15000), ("1234.50", 1234.5), ("0.01", 0.01)]
)
def test_360giving_amounts_are_plain_numbers(amount, expected):
    value = rules.amount_for_json(D(amount))
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "1"),
        ("7", "10"),
        ("1366000", "2000000"),
        ("2077000", "2500000"),
        ("11424253", "20000000"),
    ],
)
def test_chart_axes_end_at_a_round_number_at_least_the_largest_bar(value, expected):
    assert charts.nice_maximum(D(value)) == D(expected)


def test_a_stacked_bar_is_as_tall_as_its_total():
    chart = charts.stacked_bars(
        chart_id="c",
        title="t",
        description="d",
        categories=["2023/24", "2024/25"],
        series={"A": {"2023/24": D("100"), "2024/25": D("50")}, "B": {"2023/24": D("100")}},
    )
    tallest = sum(s.height for s in chart.segments if s.category == "2023/24")
    shorter = sum(s.height for s in chart.segments if s.category == "2024/25")
    assert tallest == pytest.approx(shorter * 4)
    assert [item.pattern for item in chart.legend] == ["solid", "diagonal"]
    assert chart.rows == [
        ("2023/24", [D("100"), D("100")], D("200")),
        ("2024/25", [D("50"), 0], D("50")),
    ]


@pytest.mark.parametrize(
    ("start", "end", "annual", "expected"),
    [
        # Kent's 10-month extension (23/00032), 1 Apr 2024 to 31 Jan 2025: a part year
        # of whole months, all in 2024/25.
        (date(2024, 4, 1), date(2025, 1, 31), "800000", {"2024/25": "666666.67"}),
        # Half a year of whole months inside one financial year.
        (date(2023, 10, 1), date(2024, 3, 31), "100000", {"2023/24": "50000.00"}),
        # Twelve whole months ending on 29 February 2024: 1 month in 2022/23, 11 after.
        (
            date(2023, 3, 1),
            date(2024, 2, 29),
            "120000",
            {"2022/23": "10000.00", "2023/24": "110000.00"},
        ),
        # Three months from the 15th (a quarter of a year), split over 31 March 2024 by
        # days: 77 days (15 Jan to 31 Mar, in a leap year) and 14 days.
        (
            date(2024, 1, 15),
            date(2024, 4, 14),
            "91000",
            {"2023/24": "19250.00", "2024/25": "3500.00"},
        ),
        # The same dates a year earlier (no 29 February): 76 days and 14 days.
        (
            date(2023, 1, 15),
            date(2023, 4, 14),
            "90000",
            {"2022/23": "19000.00", "2023/24": "3500.00"},
        ),
    ],
)
def test_part_years_are_profiled_across_financial_years_to_the_penny(start, end, annual, expected):
    years, profile, split = _split_contract(start, end, annual)
    assert profile == {year: D(amount) for year, amount in expected.items()}
    assert sum(profile.values()) == sum(y.amount for y in years)
    for year, parts in split.items():
        assert sum(parts.values()) == profile[year]


@pytest.mark.parametrize(
    ("year", "allocation_years", "expected"),
    [
        ("2024/25", ["2024/25"], None),
        ("2025/26", ["2024/25", "2025/26", "2026/27"], None),
        ("2025/26", ["2024/25"], "Choose a financial year this allocation covers: 2024/25."),
        (
            "2023/24",
            ["2024/25", "2025/26"],
            "Choose a financial year this allocation covers: 2024/25 to 2025/26.",
        ),
    ],
)
def test_a_commitment_falls_in_a_year_its_allocation_covers(year, allocation_years, expected):
    assert rules.commitment_year_error(year, allocation_years) == expected
