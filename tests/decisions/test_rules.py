"""Tests for decisions.rules: pure functions, no database, real calendars.

Every expected date below was worked out by hand against the published bank
holiday calendars (gov.uk/bank-holidays), not by calling the code under test.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine

from decisions import rules
from decisions.rules import (
    ENGLAND_AND_WALES,
    EXEMPT_PARAGRAPHS,
    FORWARD_PLAN_CLEAR_DAYS,
    GENERAL_EXCEPTION_CLEAR_DAYS,
    NATIONS,
    NORTHERN_IRELAND,
    NOTICE_GENERAL_EXCEPTION,
    NOTICE_NOT_PUBLISHED,
    NOTICE_ON_TIME,
    NOTICE_SPECIAL_URGENCY,
    SCOTLAND,
    call_in_deadline,
    exempt_label,
    format_decision_number,
    forward_plan_deadline,
    general_exception_deadline,
    is_key_decision,
    is_working_day,
    key_decision_reasons,
    notice_status,
    number_paragraphs,
    parse_decision_number,
    standstill_end,
    takes_effect,
    working_days_after,
)

# --- Working days ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "nation", "expected"),
    [
        # Christmas 2025: Thu 25 and Fri 26 on their own dates.
        (date(2025, 12, 25), ENGLAND_AND_WALES, False),
        (date(2025, 12, 26), ENGLAND_AND_WALES, False),
        (date(2025, 12, 29), ENGLAND_AND_WALES, True),
        # 2026: Boxing Day is a Saturday, so Monday 28 Dec is the substitute.
        (date(2026, 12, 25), ENGLAND_AND_WALES, False),
        (date(2026, 12, 28), ENGLAND_AND_WALES, False),
        (date(2026, 12, 29), ENGLAND_AND_WALES, True),
        # 2027: Christmas on Saturday, substitutes Mon 27 and Tue 28 Dec.
        (date(2027, 12, 27), ENGLAND_AND_WALES, False),
        (date(2027, 12, 28), ENGLAND_AND_WALES, False),
        (date(2027, 12, 29), ENGLAND_AND_WALES, True),
        # Easter 2025 and 2030.
        (date(2025, 4, 18), ENGLAND_AND_WALES, False),
        (date(2025, 4, 21), ENGLAND_AND_WALES, False),
        (date(2025, 4, 22), ENGLAND_AND_WALES, True),
        (date(2030, 4, 19), ENGLAND_AND_WALES, False),
        (date(2030, 4, 22), ENGLAND_AND_WALES, False),
        (date(2030, 4, 23), ENGLAND_AND_WALES, True),
        # Early May bank holiday 2025.
        (date(2025, 5, 5), ENGLAND_AND_WALES, False),
        # One-offs: they happen once and do not repeat the next year.
        (date(2022, 9, 19), ENGLAND_AND_WALES, False),
        (date(2023, 9, 19), ENGLAND_AND_WALES, True),
        (date(2023, 5, 8), ENGLAND_AND_WALES, False),
        (date(2024, 5, 8), ENGLAND_AND_WALES, True),
        # Weekends are never working days; an ordinary Monday is.
        (date(2025, 6, 7), ENGLAND_AND_WALES, False),
        (date(2025, 6, 8), ENGLAND_AND_WALES, False),
        (date(2025, 6, 9), ENGLAND_AND_WALES, True),
        # The nation matters: 2 January is a holiday in Scotland only ...
        (date(2025, 1, 2), ENGLAND_AND_WALES, True),
        (date(2025, 1, 2), SCOTLAND, False),
        (date(2025, 1, 2), NORTHERN_IRELAND, True),
        # ... Easter Monday is not a bank holiday in Scotland ...
        (date(2025, 4, 21), SCOTLAND, True),
        # ... and St Patrick's Day is one in Northern Ireland only.
        (date(2025, 3, 17), ENGLAND_AND_WALES, True),
        (date(2025, 3, 17), NORTHERN_IRELAND, False),
    ],
)
def test_is_working_day_follows_the_nations_real_calendar(day, nation, expected):
    assert is_working_day(day, nation=nation) is expected


def test_is_working_day_defaults_to_england_and_wales():
    assert is_working_day(date(2025, 1, 2)) is True


def test_nations_lists_the_three_calendars():
    assert NATIONS == ("england_and_wales", "scotland", "northern_ireland")


def test_an_unknown_nation_is_refused_with_the_choices_named():
    with pytest.raises(ValueError, match="england_and_wales, scotland"):
        is_working_day(date(2025, 1, 2), nation="wales")


def test_a_datetime_is_refused_because_it_never_equals_a_bank_holiday():
    with pytest.raises(TypeError, match="must be a date"):
        is_working_day(datetime(2025, 12, 25, 9, 0))


@pytest.mark.parametrize(
    ("start", "n", "nation", "expected"),
    [
        # Ordinary weeks: Mon + 5 is the next Monday.
        (date(2025, 6, 2), 5, ENGLAND_AND_WALES, date(2025, 6, 9)),
        # Starting on a Saturday: the first working day is Monday.
        (date(2025, 6, 7), 1, ENGLAND_AND_WALES, date(2025, 6, 9)),
        # Christmas 2025: Wed 24 -> skip Thu 25, Fri 26, weekend -> Mon 29.
        (date(2025, 12, 24), 1, ENGLAND_AND_WALES, date(2025, 12, 29)),
        # Christmas 2026: Thu 24 -> skip Fri 25, weekend, Mon 28 -> Tue 29.
        (date(2026, 12, 24), 1, ENGLAND_AND_WALES, date(2026, 12, 29)),
        # Christmas 2027: Fri 24 -> skip weekend, Mon 27, Tue 28 -> Wed 29.
        (date(2027, 12, 24), 1, ENGLAND_AND_WALES, date(2027, 12, 29)),
        # Easter 2025: Thu 17 Apr -> skip Good Friday to Easter Monday.
        (date(2025, 4, 17), 1, ENGLAND_AND_WALES, date(2025, 4, 22)),
        (date(2025, 4, 17), 3, ENGLAND_AND_WALES, date(2025, 4, 24)),
        # Easter 2030: Thu 18 Apr -> Tue 23 Apr.
        (date(2030, 4, 18), 1, ENGLAND_AND_WALES, date(2030, 4, 23)),
        # Early May 2025: Fri 2 May -> skip Mon 5 May -> Tue 6 May.
        (date(2025, 5, 2), 1, ENGLAND_AND_WALES, date(2025, 5, 6)),
        # The Queen's funeral: Fri 16 Sep 2022 -> skip Mon 19 -> Tue 20.
        (date(2022, 9, 16), 1, ENGLAND_AND_WALES, date(2022, 9, 20)),
        # The coronation: Fri 5 May 2023 -> skip Mon 8 May -> Tue 9 May.
        (date(2023, 5, 5), 1, ENGLAND_AND_WALES, date(2023, 5, 9)),
        # Two bank holiday Mondays a week apart: early May, then the coronation.
        # Fri 28 Apr 2023: Tue 2, Wed 3, Thu 4, Fri 5, Tue 9 May.
        (date(2023, 4, 28), 5, ENGLAND_AND_WALES, date(2023, 5, 9)),
        # New Year 2026: Wed 31 Dec -> Thu 1 Jan is a holiday everywhere,
        # Fri 2 Jan only in Scotland.
        (date(2025, 12, 31), 1, ENGLAND_AND_WALES, date(2026, 1, 2)),
        (date(2025, 12, 31), 1, SCOTLAND, date(2026, 1, 5)),
        # St Patrick's Day 2025 is Monday 17 March.
        (date(2025, 3, 14), 1, ENGLAND_AND_WALES, date(2025, 3, 17)),
        (date(2025, 3, 14), 1, NORTHERN_IRELAND, date(2025, 3, 18)),
    ],
)
def test_working_days_after_skips_weekends_and_bank_holidays(start, n, nation, expected):
    assert working_days_after(start, n, nation=nation) == expected


@pytest.mark.parametrize("start", [date(2025, 6, 2), date(2025, 12, 25), date(2025, 6, 7)])
def test_zero_working_days_after_is_the_start_itself_even_on_a_holiday(start):
    assert working_days_after(start, 0) == start


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError, match="zero or more"):
        working_days_after(date(2025, 6, 2), -1)


def test_working_days_are_counted_for_far_future_years_too():
    # Christmas 2099 falls on a Friday, so Boxing Day (Sat) moves to Mon 28.
    assert date(2099, 12, 25).weekday() == 4
    assert working_days_after(date(2099, 12, 24), 1) == date(2099, 12, 29)


def test_answers_do_not_depend_on_todays_date():
    with time_machine.travel(date(2019, 1, 1), tick=False):
        early = (
            working_days_after(date(2027, 12, 24), 1),
            forward_plan_deadline(date(2024, 7, 30)),
            notice_status(date(2024, 7, 2), date(2024, 7, 30)),
        )
    with time_machine.travel(date(2031, 6, 1), tick=False):
        late = (
            working_days_after(date(2027, 12, 24), 1),
            forward_plan_deadline(date(2024, 7, 30)),
            notice_status(date(2024, 7, 2), date(2024, 7, 30)),
        )
    assert early == late == (date(2027, 12, 29), date(2024, 7, 1), "general_exception")


# --- Call-in --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "working_days", "nation", "deadline", "effective"),
    [
        # Mon 8 Jul 2024, 5 working days: Tue 9 .. Mon 15; in effect Tue 16.
        (date(2024, 7, 8), 5, ENGLAND_AND_WALES, date(2024, 7, 15), date(2024, 7, 16)),
        # Mon 22 Dec 2025, 3 working days: Tue 23, Wed 24, Mon 29.
        (
            date(2025, 12, 22),
            3,
            ENGLAND_AND_WALES,
            date(2025, 12, 29),
            date(2025, 12, 30),
        ),
        # Wed 31 Dec 2025, 3 working days: Scotland also loses Fri 2 Jan.
        (
            date(2025, 12, 31),
            3,
            ENGLAND_AND_WALES,
            date(2026, 1, 6),
            date(2026, 1, 7),
        ),
        (date(2025, 12, 31), 3, SCOTLAND, date(2026, 1, 7), date(2026, 1, 8)),
    ],
)
def test_a_decision_takes_effect_the_day_after_the_call_in_period_ends(
    published, working_days, nation, deadline, effective
):
    assert call_in_deadline(published, working_days, nation=nation) == deadline
    assert takes_effect(published, working_days, urgent=False, nation=nation) == effective


def test_an_urgent_decision_exempt_from_call_in_takes_effect_on_publication():
    assert takes_effect(date(2025, 12, 22), 5, urgent=True) == date(2025, 12, 22)


# --- PSR standstill -------------------------------------------------------------


@pytest.mark.parametrize(
    ("notice", "further_decision", "expected"),
    [
        # Mon 2 Jun 2025: eight working days Tue 3 .. Thu 12 Jun.
        (date(2025, 6, 2), None, date(2025, 6, 12)),
        # Mon 15 Dec 2025: Tue 16 .. Wed 24 is seven, then Mon 29 is the eighth.
        (date(2025, 12, 15), None, date(2025, 12, 29)),
        # Further decision on Thu 12 Jun: five more, Fri 13 .. Thu 19 Jun.
        (date(2025, 6, 2), date(2025, 6, 12), date(2025, 6, 19)),
        # An early further decision (Tue 3 Jun + 5 = Tue 10 Jun) cannot
        # shorten the original standstill.
        (date(2025, 6, 2), date(2025, 6, 3), date(2025, 6, 12)),
        # Further decision Fri 16 Sep 2022: the Queen's funeral on Mon 19
        # pushes the fifth working day to Mon 26 Sep.
        (date(2022, 9, 5), date(2022, 9, 16), date(2022, 9, 26)),
    ],
)
def test_standstill_ends_after_eight_working_days_or_five_after_a_further_decision(
    notice, further_decision, expected
):
    assert standstill_end(notice, further_decision) == expected


def test_standstill_counts_the_nations_bank_holidays():
    # Mon 29 Dec 2025: E&W counts Tue 30, Wed 31, Fri 2, Mon 5 .. Fri 9 Jan;
    # Scotland also loses Fri 2 Jan, so its eighth day is Mon 12 Jan.
    assert standstill_end(date(2025, 12, 29)) == date(2026, 1, 9)
    assert standstill_end(date(2025, 12, 29), nation=SCOTLAND) == date(2026, 1, 12)


def test_a_further_decision_before_the_notice_is_refused():
    with pytest.raises(ValueError, match="cannot come before"):
        standstill_end(date(2025, 6, 2), date(2025, 6, 1))


# --- Forward plan and notice ----------------------------------------------------


@pytest.mark.parametrize(
    ("decision_date", "expected"),
    [
        (date(2024, 7, 30), date(2024, 7, 1)),
        # Leap year: 2 Feb .. 29 Feb 2024 are the 28 clear days.
        (date(2024, 3, 1), date(2024, 2, 1)),
        # Not a leap year: 1 Feb .. 28 Feb 2025.
        (date(2025, 3, 1), date(2025, 1, 31)),
        # Calendar days, not working days: Christmas does not move it.
        (date(2026, 1, 20), date(2025, 12, 22)),
    ],
)
def test_forward_plan_deadline_leaves_28_clear_days(decision_date, expected):
    deadline = forward_plan_deadline(decision_date)
    assert deadline == expected
    assert (decision_date - deadline).days - 1 == FORWARD_PLAN_CLEAR_DAYS == 28


@pytest.mark.parametrize(
    ("decision_date", "expected"),
    [
        (date(2024, 7, 30), date(2024, 7, 24)),
        # 27, 28, 29 Feb, 1 and 2 Mar 2024 are the five clear days.
        (date(2024, 3, 3), date(2024, 2, 26)),
    ],
)
def test_general_exception_deadline_leaves_5_clear_days(decision_date, expected):
    deadline = general_exception_deadline(decision_date)
    assert deadline == expected
    assert (decision_date - deadline).days - 1 == GENERAL_EXCEPTION_CLEAR_DAYS == 5


@pytest.mark.parametrize(
    ("first_published", "expected"),
    [
        (None, NOTICE_NOT_PUBLISHED),
        (date(2024, 6, 1), NOTICE_ON_TIME),
        # Forward plan boundary: 1 Jul is on time, 2 Jul is a day late.
        (date(2024, 6, 30), NOTICE_ON_TIME),
        (date(2024, 7, 1), NOTICE_ON_TIME),
        (date(2024, 7, 2), NOTICE_GENERAL_EXCEPTION),
        # General exception boundary: 24 Jul still allows five clear days.
        (date(2024, 7, 23), NOTICE_GENERAL_EXCEPTION),
        (date(2024, 7, 24), NOTICE_GENERAL_EXCEPTION),
        (date(2024, 7, 25), NOTICE_SPECIAL_URGENCY),
        (date(2024, 7, 30), NOTICE_SPECIAL_URGENCY),
    ],
)
def test_notice_status_for_a_decision_on_30_july_2024(first_published, expected):
    assert notice_status(first_published, date(2024, 7, 30)) == expected


def test_notice_status_values_are_stable_strings():
    assert (
        NOTICE_ON_TIME,
        NOTICE_GENERAL_EXCEPTION,
        NOTICE_SPECIAL_URGENCY,
        NOTICE_NOT_PUBLISHED,
    ) == ("on_time", "general_exception", "special_urgency", "not_published")


# --- Key decisions ----------------------------------------------------------------

KENT = Decimal(1000000)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # The Kent young people's service: whole-life value over the threshold.
        (
            {"amount": Decimal("4099533.88"), "wards_affected": None},
            ["Expenditure of £4,099,533.88 is above the £1,000,000.00 threshold"],
        ),
        # Equal to the threshold is not above it.
        ({"amount": Decimal("1000000.00"), "wards_affected": None}, []),
        ({"amount": Decimal("999999.99"), "wards_affected": 1}, []),
        (
            {"amount": Decimal("1000000.01"), "wards_affected": None},
            ["Expenditure of £1,000,000.01 is above the £1,000,000.00 threshold"],
        ),
        (
            {"amount": Decimal(2500000), "wards_affected": None, "savings": True},
            ["Savings of £2,500,000.00 are above the £1,000,000.00 threshold"],
        ),
        # Wards: one is not enough, two is.
        ({"amount": None, "wards_affected": 1}, []),
        (
            {"amount": None, "wards_affected": 2},
            ["Significant effect on communities in 2 electoral divisions"],
        ),
        (
            {"amount": None, "wards_affected": None, "all_wards": True},
            ["Significant effect on communities in all electoral divisions"],
        ),
        # Both tests met: both reasons, and "all" is not repeated as a count.
        (
            {"amount": Decimal("4099533.88"), "wards_affected": 81, "all_wards": True},
            [
                "Expenditure of £4,099,533.88 is above the £1,000,000.00 threshold",
                "Significant effect on communities in all electoral divisions",
            ],
        ),
        ({"amount": None, "wards_affected": None}, []),
    ],
)
def test_key_decision_reasons_against_kents_threshold(kwargs, expected):
    assert key_decision_reasons(threshold=KENT, **kwargs) == expected
    assert is_key_decision(threshold=KENT, **kwargs) is bool(expected)


def test_a_whole_pound_threshold_may_be_given_as_an_int():
    assert key_decision_reasons(
        amount=Decimal("1000000.01"), threshold=1000000, wards_affected=None
    ) == ["Expenditure of £1,000,000.01 is above the £1,000,000.00 threshold"]


def test_key_decision_threshold_is_the_authoritys_own():
    assert key_decision_reasons(
        amount=Decimal("50000.01"), threshold=Decimal(50000), wards_affected=None
    ) == ["Expenditure of £50,000.01 is above the £50,000.00 threshold"]
    assert not is_key_decision(amount=Decimal("50000.01"), threshold=KENT, wards_affected=None)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"amount": 4099533.88}, TypeError, "amount must be a Decimal"),
        ({"amount": Decimal(-1)}, ValueError, "amount cannot be negative"),
        ({"threshold": 1000000.0}, TypeError, "threshold must be a Decimal"),
        ({"threshold": Decimal(-1)}, ValueError, "threshold cannot be negative"),
        ({"wards_affected": -1}, ValueError, "wards_affected cannot be negative"),
    ],
)
def test_key_decision_inputs_that_cannot_be_right_are_refused(kwargs, error, message):
    arguments = {"amount": Decimal(1), "threshold": KENT, "wards_affected": 0}
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        key_decision_reasons(**arguments)


# --- Decision numbers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "sequence", "prefix", "expected"),
    [
        (2024, 56, "", "24/00056"),
        (2022, 41, "", "22/00041"),
        (2023, 32, "", "23/00032"),
        (2000, 1, "", "00/00001"),
        (2030, 99999, "", "30/99999"),
        (2024, 56, "MD-", "MD-24/00056"),
        (2024, 56, "KCC ", "KCC 24/00056"),
    ],
)
def test_decision_numbers_are_formatted_and_parsed_back(year, sequence, prefix, expected):
    assert format_decision_number(year, sequence, prefix) == expected
    assert parse_decision_number(expected) == (prefix, year % 100, sequence)


def test_surrounding_whitespace_is_ignored_when_parsing():
    assert parse_decision_number("  24/00056\n") == ("", 24, 56)


@pytest.mark.parametrize(
    ("year", "sequence", "prefix", "message"),
    [
        (24, 56, "", "four-digit year"),
        (2024, 0, "", "between 1 and 99999"),
        (2024, 100000, "", "between 1 and 99999"),
        (2024, -5, "", "between 1 and 99999"),
        (2024, 56, "A/B", "must start with a letter"),
        (2024, 56, "X1", "not end with a digit"),
        (2024, 56, "1X-", "must start with a letter"),
    ],
)
def test_impossible_decision_numbers_are_refused(year, sequence, prefix, message):
    with pytest.raises(ValueError, match=message):
        format_decision_number(year, sequence, prefix)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "24/56",
        "24/000056",
        "2024/00056",
        "24-00056",
        "24 / 00056",
        "MD24/0005A",
        "X124/00056",
        "24/00000",
    ],
)
def test_malformed_decision_numbers_are_refused_with_the_text_quoted(text):
    with pytest.raises(ValueError, match=f"{text.strip()!r} is not a decision number"):
        parse_decision_number(text)


# --- Schedule 12A -------------------------------------------------------------------


def test_schedule_12a_has_paragraphs_one_to_seven():
    assert sorted(EXEMPT_PARAGRAPHS) == [1, 2, 3, 4, 5, 6, 7]


@pytest.mark.parametrize(
    ("paragraph", "words"),
    [
        (1, "relating to any individual"),
        (2, "likely to reveal the identity of an individual"),
        (3, "(including the authority holding that information)"),
        (4, "labour relations matter"),
        (5, "legal professional privilege"),
        (6, "to make an order or direction under any enactment"),
        (7, "prevention, investigation or prosecution of crime"),
    ],
)
def test_each_exempt_paragraph_carries_its_statutory_words(paragraph, words):
    assert words in EXEMPT_PARAGRAPHS[paragraph]


def test_exempt_label_names_the_paragraph_and_the_act():
    assert (
        exempt_label(3)
        == "Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972"
    )


@pytest.mark.parametrize("paragraph", [0, 8, -1, True])
def test_exempt_label_refuses_a_paragraph_that_does_not_exist(paragraph):
    with pytest.raises(ValueError, match="no exempt paragraph"):
        exempt_label(paragraph)


# --- Report paragraphs ---------------------------------------------------------------


def test_report_sections_and_paragraphs_are_numbered_in_council_style():
    sections = [
        ("Introduction", ["The service ends on 31 January 2025.", "It is funded."]),
        ("Background", []),
        ("Recommendations", ["APPROVE the award."]),
    ]
    assert number_paragraphs(sections) == [
        (
            "1",
            "Introduction",
            [
                ("1.1", "The service ends on 31 January 2025."),
                ("1.2", "It is funded."),
            ],
        ),
        ("2", "Background", []),
        ("3", "Recommendations", [("3.1", "APPROVE the award.")]),
    ]


def test_paragraph_numbers_reach_double_figures_without_padding():
    numbered = number_paragraphs([("Heading", [f"p{i}" for i in range(1, 12)])])
    assert [number for number, _ in numbered[0][2]][-3:] == ["1.9", "1.10", "1.11"]


def test_no_sections_give_no_numbers():
    assert number_paragraphs([]) == []


# --- Appendix letters ----------------------------------------------------------------


@pytest.mark.parametrize(
    "listed, taken",
    [
        # Nothing listed: the proposed record of decision is Appendix A.
        ([], 1),
        # Kent's 24/00056 (seed 000): A to C listed, attached files start at D.
        (
            [
                "A: Proposed Record of Decision",
                "B: Proposed changes to the specification",
                "C: Equalities Impact Assessment",
            ],
            3,
        ),
        # Kent's 23/00021 numbers its appendices: they take no letter.
        (["1: Kent Drug and Alcohol Strategy", "3: EQIA"], 1),
        (["Appendix D - Price schedule"], 4),
        (["appendix b. Map"], 2),
        (["E – Plan", "B) Map"], 5),
        (["AA: Twenty-seventh"], 27),
        # Words that begin with capitals are not letters.
        (["EQIA", "An overview", "Appendix", "Annex: terms"], 1),
    ],
)
def test_appendix_letters_taken(listed, taken):
    assert rules.appendix_letters_taken(listed) == taken


# --- Policy constants ----------------------------------------------------------------


def test_policy_numbers_are_the_statutory_ones():
    assert rules.FORWARD_PLAN_CLEAR_DAYS == 28
    assert rules.GENERAL_EXCEPTION_CLEAR_DAYS == 5
    assert rules.STANDSTILL_WORKING_DAYS == 8
    assert rules.STANDSTILL_FURTHER_WORKING_DAYS == 5
    assert rules.KEY_DECISION_MIN_WARDS == 2


def test_one_day_before_each_deadline_is_not_the_deadline():
    # Guards against an off-by-one that the clear-days arithmetic invites.
    decision = date(2024, 7, 30)
    assert forward_plan_deadline(decision) + timedelta(days=1) == date(2024, 7, 2)
    assert notice_status(date(2024, 7, 2), decision) != NOTICE_ON_TIME
