"""The pure rules of award records and notices (psr.rules, top section), as tables."""

from datetime import date

import pytest

from psr import rules

# Friday 1 March 2024: 8 working days from Monday 4 March end on Wednesday 13 March.
NOTICE = date(2024, 3, 1)
END = date(2024, 3, 13)
FURTHER = date(2024, 3, 11)
FURTHER_END = date(2024, 3, 18)


@pytest.mark.parametrize(
    ("awarded_on", "standstill_end", "flagged"),
    [
        (date(2024, 3, 12), END, True),  # before the end
        (END, END, True),  # on the last day: "after it", so still too early
        (date(2024, 3, 14), END, False),  # the day after
        (date(2025, 1, 1), END, False),
        (None, END, False),  # not awarded yet
        (date(2024, 3, 12), None, False),  # no standstill known
        (None, None, False),
    ],
)
def test_an_award_on_or_before_the_standstill_end_is_flagged(awarded_on, standstill_end, flagged):
    assert rules.awarded_within_standstill(awarded_on, standstill_end) is flagged


@pytest.mark.parametrize(
    ("route", "notice", "further", "awarded", "applies", "ends_on", "too_early"),
    [
        ("psr_competitive", NOTICE, None, date(2024, 3, 13), True, END, True),
        ("psr_competitive", NOTICE, None, date(2024, 3, 14), True, END, False),
        ("psr_most_suitable", NOTICE, None, date(2024, 3, 5), True, END, True),
        ("psr_direct_c", NOTICE, None, None, True, END, False),
        # A further decision on Monday 11 March: 5 working days after it is Monday 18
        # March, later than the first end, so it counts (reg 12).
        ("psr_direct_c", NOTICE, FURTHER, date(2024, 3, 18), True, FURTHER_END, True),
        ("psr_direct_c", NOTICE, FURTHER, date(2024, 3, 19), True, FURTHER_END, False),
        # No notice yet: the end is not known and nothing is flagged.
        ("psr_competitive", None, None, date(2024, 3, 1), True, None, False),
        # Direct Award A and B, urgent awards: no intention notice, no standstill.
        ("psr_direct_a", NOTICE, None, date(2024, 3, 2), False, None, False),
        ("psr_direct_b", NOTICE, None, date(2024, 3, 2), False, None, False),
        ("psr_urgent", None, None, date(2024, 3, 2), False, None, False),
        ("open", NOTICE, None, date(2024, 3, 2), False, None, False),
    ],
)  # fmt: skip
def test_the_standstill_of_an_award_follows_its_process_and_dates(
    route, notice, further, awarded, applies, ends_on, too_early
):
    standstill = rules.standstill(
        route, intention_notice_on=notice, further_decision_on=further, awarded_on=awarded
    )
    assert (standstill.applies, standstill.ends_on, standstill.too_early) == (
        applies,
        ends_on,
        too_early,
    )


def test_the_standstill_message_says_the_award_came_too_early():
    standstill = rules.standstill(
        "psr_competitive", intention_notice_on=NOTICE, awarded_on=date(2024, 3, 13)
    )
    assert "on or before the end of the standstill period (13/03/2024)" in standstill.message


@pytest.mark.parametrize(
    ("route", "psr", "notice"),
    [
        ("psr_direct_a", True, False),
        ("psr_direct_b", True, False),
        ("psr_direct_c", True, True),
        ("psr_most_suitable", True, True),
        ("psr_competitive", True, True),
        ("psr_framework", True, False),
        ("psr_urgent", True, False),
        ("open", False, False),
        ("waiver", False, False),
    ],
)
def test_which_routes_keep_a_record_and_publish_an_intention_notice(route, psr, notice):
    assert rules.is_psr_route(route) is psr
    assert rules.needs_intention_notice(route) is notice


@pytest.mark.parametrize(
    ("effective", "due"),
    [
        (date(2025, 4, 1), date(2025, 5, 1)),
        (date(2025, 1, 31), date(2025, 3, 2)),
        (date(2024, 2, 1), date(2024, 3, 2)),  # a leap year
    ],
)
def test_a_modification_notice_is_due_within_30_days_of_its_effective_date(effective, due):
    assert rules.modification_notice_due(effective) == due


def test_schedule_3_lists_its_nine_paragraphs_in_order():
    assert [f.paragraph for f in rules.SCHEDULE_3_FIELDS] == list(range(1, 10))
    assert len({f.key for f in rules.SCHEDULE_3_FIELDS}) == 9
