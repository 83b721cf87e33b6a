"""A contract as it stood on a date (contracts.asof): its options, shares and figures.

The history's timestamps are made real by travelling in time while writing: the
contract is entered on 10 January 2024, and later changes are made on the dates the
cases name. The report date is 2 July 2024 throughout.
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from contracts.asof import contract_as_of, contracts_as_of, option_status_on
from contracts.figures import figures_for
from tests.contracts.factories import AuthorityFactory, ShareFactory, kent_contract
from tests.decisions.factories import DecisionFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ENTERED = date(2024, 1, 10)
REPORT_DATE = date(2024, 7, 2)
BEFORE, AFTER = date(2024, 6, 1), date(2026, 12, 1)
# The Kent contract: 1 Feb 2025 to 31 Jan 2027, options of 24 and 12 months.
INITIAL_END, WITH_OPTION_1, MAXIMUM_END = date(2027, 1, 31), date(2029, 1, 31), date(2030, 1, 31)


def on(day: date):
    """Write as if on ``day`` (at noon, London time), so the history is dated then."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False
    )


def _contract(entered: date = ENTERED):
    with on(entered):
        contract = kent_contract()
        ShareFactory(contract=contract, authority=contract.lead_authority, percentage=Decimal("60"))
        ShareFactory(
            contract=contract, authority=AuthorityFactory(name="Medway"), percentage=Decimal("40")
        )
    return contract


def _option_1(contract):
    return contract.options.get(sequence=1)


def _decide(option, *, typed_on: date, status="exercised", decided_on=None, decision=None):
    with on(typed_on):
        option.status = status
        option.decided_on = decided_on
        option.authorising_decision = decision
        option.save()


@pytest.mark.parametrize(
    ("when", "status", "expected"),
    [
        (REPORT_DATE, "exercised", "exercised"),  # no date recorded: as it is
        (REPORT_DATE, "pending", "pending"),
        (REPORT_DATE, "declined", "declined"),
    ],
)
def test_an_option_decided_with_no_date_keeps_its_status(when, status, expected):
    assert option_status_on(when, status=status, decided_on=None) == expected


@pytest.mark.parametrize(
    ("decided_on", "status", "expected"),
    [
        (BEFORE, "exercised", "exercised"),
        (REPORT_DATE, "exercised", "exercised"),  # decided on the day: decided that day
        (AFTER, "exercised", "pending"),
        (BEFORE, "declined", "declined"),
        (AFTER, "declined", "pending"),
    ],
)
def test_an_option_decided_after_the_date_was_pending_on_it(decided_on, status, expected):
    assert option_status_on(REPORT_DATE, status=status, decided_on=decided_on) == expected


# Each case: what happens to the contract entered on ENTERED, then what the contract
# as it stood on REPORT_DATE shows: option 1's status, current end and maximum end.
def exercised_before(contract):
    _decide(_option_1(contract), typed_on=BEFORE, decided_on=BEFORE)


def exercised_on_the_date(contract):
    _decide(_option_1(contract), typed_on=REPORT_DATE, decided_on=REPORT_DATE)


def exercised_after(contract):
    _decide(_option_1(contract), typed_on=AFTER, decided_on=AFTER)


def exercised_before_but_typed_in_after(contract):
    # The option's own date wins over the history's timestamp.
    _decide(_option_1(contract), typed_on=AFTER, decided_on=BEFORE)


def exercised_after_by_a_decision_dated_after(contract):
    decision = DecisionFactory(decision_date=AFTER)
    _decide(_option_1(contract), typed_on=AFTER, decision=decision)


def exercised_by_a_decision_dated_before_with_no_date_of_its_own(contract):
    decision = DecisionFactory(decision_date=BEFORE)
    _decide(_option_1(contract), typed_on=AFTER, decision=decision)


def exercised_after_with_no_date_at_all(contract):
    # No own date: the history's timestamp says it was still pending.
    _decide(_option_1(contract), typed_on=AFTER)


def exercised_before_with_no_date_at_all(contract):
    _decide(_option_1(contract), typed_on=BEFORE)


def declined_after(contract):
    _decide(_option_1(contract), typed_on=AFTER, status="declined", decided_on=AFTER)


def declined_before(contract):
    _decide(_option_1(contract), typed_on=BEFORE, status="declined", decided_on=BEFORE)


@pytest.mark.parametrize(
    ("change", "status", "current_end", "maximum_end"),
    [
        (exercised_before, "exercised", WITH_OPTION_1, MAXIMUM_END),
        (exercised_on_the_date, "exercised", WITH_OPTION_1, MAXIMUM_END),
        (exercised_after, "pending", INITIAL_END, MAXIMUM_END),
        (exercised_before_but_typed_in_after, "exercised", WITH_OPTION_1, MAXIMUM_END),
        (exercised_after_by_a_decision_dated_after, "pending", INITIAL_END, MAXIMUM_END),
        (
            exercised_by_a_decision_dated_before_with_no_date_of_its_own,
            "exercised",
            WITH_OPTION_1,
            MAXIMUM_END,
        ),
        (exercised_after_with_no_date_at_all, "pending", INITIAL_END, MAXIMUM_END),
        (exercised_before_with_no_date_at_all, "exercised", WITH_OPTION_1, MAXIMUM_END),
        (declined_after, "pending", INITIAL_END, MAXIMUM_END),
        # Option 2 (12 months) then follows the initial end directly.
        (declined_before, "declined", INITIAL_END, date(2028, 1, 31)),
    ],
    ids=lambda value: value.__name__ if callable(value) else None,
)
def test_an_options_status_and_the_figures_are_as_they_stood(
    change, status, current_end, maximum_end
):
    contract = _contract()
    change(contract)
    stood = contract_as_of(contract, REPORT_DATE)
    figures = figures_for(stood, today=REPORT_DATE)
    option_1 = next(o for o in stood.options.all() if o.sequence == 1)
    assert option_1.status == status
    assert (figures.current_end, figures.maximum_end) == (current_end, maximum_end)
    assert stood.entered_later is False


def test_an_option_pending_on_the_date_shows_no_decision_date_or_reason():
    contract = _contract()
    option = _option_1(contract)
    option.reason = "Performance is good"
    _decide(option, typed_on=AFTER, decided_on=AFTER)
    stood = contract_as_of(contract, REPORT_DATE)
    option_1 = next(o for o in stood.options.all() if o.sequence == 1)
    assert (option_1.decided_on, option_1.reason) == (None, "")


def test_a_share_changed_after_the_date_is_as_it_stood_via_history():
    contract = _contract()
    medway = contract.shares.get(authority__name="Medway")
    lead = contract.shares.exclude(pk=medway.pk).get()
    with on(AFTER):
        lead.percentage, medway.percentage = Decimal("75"), Decimal("25")
        lead.save()
        medway.save()
    stood = figures_for(contract_as_of(contract, REPORT_DATE), today=REPORT_DATE)
    now = figures_for(contract, today=AFTER)
    assert [s.label for s in stood.shares] == ["60%", "40%"]
    assert [s.label for s in now.shares] == ["75%", "25%"]
    assert stood.shares[0].annual == Decimal("482203.08")  # 60% of £803,671.80


def test_a_share_added_after_the_date_is_left_out_and_one_deleted_after_is_kept():
    contract = _contract()
    with on(AFTER):
        contract.shares.get(authority__name="Medway").delete()
        ShareFactory(
            contract=contract, authority=AuthorityFactory(name="Swale"), percentage=Decimal("40")
        )
    stood = contract_as_of(contract, REPORT_DATE)
    assert sorted(s.authority.name for s in stood.shares.all()) == sorted(
        [contract.lead_authority.name, "Medway"]
    )


def test_an_option_added_after_the_date_is_left_out():
    contract = _contract()
    with on(AFTER):
        contract.options.create(sequence=3, months=6)
    stood = contract_as_of(contract, REPORT_DATE)
    assert [o.sequence for o in stood.options.all()] == [1, 2]
    assert figures_for(stood, today=REPORT_DATE).maximum_end == MAXIMUM_END


def test_the_contracts_terms_changed_after_the_date_are_as_they_stood():
    contract = _contract()
    with on(AFTER):
        contract.annual_value = Decimal("900000.00")
        contract.initial_end_date = date(2027, 3, 31)
        contract.save()
    stood = contract_as_of(contract, REPORT_DATE)
    assert (stood.annual_value, stood.initial_end_date) == (Decimal("803671.80"), INITIAL_END)
    assert figures_for(stood, today=REPORT_DATE).current_end == INITIAL_END


def test_a_contract_entered_after_the_date_is_taken_as_first_entered():
    contract = _contract(entered=date(2025, 3, 1))
    with on(date(2025, 6, 1)):
        contract.annual_value = Decimal("900000.00")
        contract.save()
    _decide(_option_1(contract), typed_on=AFTER, decided_on=AFTER)
    stood = contract_as_of(contract, REPORT_DATE)
    figures = figures_for(stood, today=REPORT_DATE)
    assert stood.entered_later is True
    assert stood.annual_value == Decimal("803671.80")  # as first entered
    assert [(o.sequence, o.status) for o in stood.options.all()] == [
        (1, "pending"),
        (2, "pending"),
    ]
    assert [s.label for s in figures.shares] == ["60%", "40%"]
    assert (figures.current_end, figures.maximum_end) == (INITIAL_END, MAXIMUM_END)
    assert figures.status == "pipeline"  # it had not started on 2 July 2024


def test_a_contract_deleted_since_is_rebuilt_from_its_id():
    contract = _contract()
    pk = contract.pk
    with on(AFTER):
        contract.delete()
    stood = contract_as_of(pk, REPORT_DATE)
    assert stood.reference == "KCC-TEST-YP"
    assert [o.sequence for o in stood.options.all()] == [1, 2]
    assert len(stood.shares.all()) == 2


def _queries(contracts) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        for stood in contracts_as_of(contracts, REPORT_DATE).values():
            figures_for(stood, today=REPORT_DATE)
    return len(queries)


def test_several_contracts_with_long_histories_are_rebuilt_in_the_same_few_queries():
    one = _contract()
    few = _queries([one.pk])
    others = []
    for n in range(4):
        with on(ENTERED):
            other = kent_contract(reference=f"KCC-TEST-{n}")
            ShareFactory(contract=other, percentage=Decimal("100"))
        for day in range(1, 10):
            with on(date(2024, 2, day)):
                other.notes = f"Note {day}"
                other.save()
        others.append(other.pk)
    assert _queries([one.pk, *others]) == few <= 6
