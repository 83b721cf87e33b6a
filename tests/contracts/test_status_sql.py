"""A contract's status in SQL (contracts.models.status_expression and status_condition)
agrees with rules.derive_status on every boundary, run through the database."""

from datetime import date, timedelta

import pytest

from contracts import rules
from contracts.models import Contract
from tests.contracts.factories import ContractFactory, OptionFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
START = date(2025, 4, 1)
INITIAL_END = date(2026, 3, 31)
EXTENDED_END = date(2027, 3, 31)  # after a 12-month option is exercised
STAGES = ("pipeline", "in_procurement", "standstill", "awarded")


def _contracts() -> list[Contract]:
    """Every stage, with and without an exercised option, never terminated or
    terminated on each boundary (so before, on and after each day tested)."""
    made = []
    for stage in STAGES:
        for extended in (False, True):
            for terminated_on in (None, START, INITIAL_END + DAY, EXTENDED_END):
                contract = ContractFactory(
                    reference=f"{stage}-{extended}-{terminated_on}",
                    start_date=START,
                    initial_end_date=INITIAL_END,
                    procurement_stage=stage,
                    terminated_on=terminated_on,
                )
                OptionFactory(
                    contract=contract,
                    sequence=1,
                    months=12,
                    status="exercised" if extended else "pending",
                )
                made.append(contract)
    return made


def _expected(contract: Contract, today: date) -> str:
    stage = contract.procurement_stage
    current_end = EXTENDED_END if contract.options.get().status == "exercised" else INITIAL_END
    return rules.derive_status(
        today,
        start=contract.start_date,
        initial_end=contract.initial_end_date,
        current_end=current_end,
        procurement_stage=stage if stage in rules.PROCUREMENT_STAGES else None,
        terminated=contract.terminated_on is not None and contract.terminated_on <= today,
    )


TODAYS = {
    "the day before the start": START - DAY,
    "the start": START,
    "the initial end": INITIAL_END,
    "the day after the initial end": INITIAL_END + DAY,
    "the current end": EXTENDED_END,
    "the day after the current end": EXTENDED_END + DAY,
}


@pytest.mark.parametrize("today", TODAYS.values(), ids=TODAYS.keys())
def test_the_status_expression_and_each_status_condition_agree_with_derive_status(today):
    contracts = _contracts()
    expected = {c.pk: _expected(c, today) for c in contracts}
    annotated = dict(Contract.objects.with_status(today).values_list("pk", "status"))
    assert annotated == expected
    for status in rules.CONTRACT_STATUSES:
        found = set(Contract.objects.with_status_of(status, today).values_list("pk", flat=True))
        assert found == {pk for pk, s in expected.items() if s == status}, status


def test_every_status_occurs_in_the_table_of_cases():
    contracts = _contracts()
    seen = {_expected(c, today) for c in contracts for today in TODAYS.values()}
    assert seen == set(rules.CONTRACT_STATUSES)


def test_an_unknown_status_is_refused():
    with pytest.raises(ValueError, match="Unknown contract status"):
        Contract.objects.with_status_of("paused", START)


def test_ending_within_reads_the_stored_current_end():
    extended = ContractFactory(reference="EXT", start_date=START, initial_end_date=INITIAL_END)
    OptionFactory(contract=extended, sequence=1, months=12, status="exercised")
    ContractFactory(reference="ENDS", start_date=START, initial_end_date=INITIAL_END)
    ContractFactory(
        reference="GONE",
        start_date=START,
        initial_end_date=INITIAL_END,
        terminated_on=INITIAL_END - DAY,
    )

    def ending(today, days):
        return sorted(
            Contract.objects.ending_within(days=days, today=today).values_list(
                "reference", flat=True
            )
        )

    assert ending(INITIAL_END - 10 * DAY, 10) == ["ENDS"]
    assert ending(INITIAL_END - 10 * DAY, 9) == []
    assert ending(INITIAL_END, 0) == ["ENDS"]
    assert ending(INITIAL_END + DAY, 365) == ["EXT"]
    assert ending(EXTENDED_END + DAY, 365) == []
