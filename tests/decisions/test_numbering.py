"""Decision numbers: YY/NNNNN per authority and year, never duplicated, never skipped."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from decisions.models import Decision
from decisions.services import allocate_number, create_decision
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory

pytestmark = pytest.mark.django_db


def _new(authority, year):
    return create_decision(
        decision=Decision(authority=authority, title="A decision"), allocate=True, year=year
    )


def test_numbers_run_from_00001_per_authority_and_year():
    kent, west = AuthorityFactory(name="Kent"), AuthorityFactory(name="West")
    numbers = [
        _new(kent, 2024).number,
        _new(kent, 2024).number,
        _new(west, 2024).number,
        _new(kent, 2025).number,
    ]
    assert numbers == ["24/00001", "24/00002", "24/00001", "25/00001"]


def test_the_authority_prefix_is_printed_before_the_number():
    west = AuthorityFactory(name="West Northamptonshire", decision_number_prefix="WNC ")
    assert _new(west, 2023).number == "WNC 23/00001"


def test_a_historical_number_entered_by_hand_is_stepped_over_not_reused():
    kent = AuthorityFactory()
    DecisionFactory(authority=kent, number="24/00002")
    assert [_new(kent, 2024).number for _ in range(2)] == ["24/00001", "24/00003"]


def test_a_failed_save_gives_the_number_back():
    kent = AuthorityFactory()
    DecisionFactory(authority=kent, number="24/00001", title="Taken")
    with pytest.raises(IntegrityError), transaction.atomic():
        number = allocate_number(authority=kent, year=2024)
        Decision.objects.create(authority=kent, number="24/00001", title=number)
    assert _new(kent, 2024).number == "24/00002"


def test_the_database_refuses_a_duplicate_number_within_an_authority():
    kent = AuthorityFactory()
    DecisionFactory(authority=kent, number="24/00056")
    DecisionFactory(number="24/00056")  # another authority may use it
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionFactory(authority=kent, number="24/00056")


THREADS = 20


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_clerks_adding_decisions_at_once_get_twenty_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("Row locking needs PostgreSQL")
    kent = AuthorityFactory(name="Kent County Council")
    barrier = threading.Barrier(THREADS)
    errors: list[Exception] = []

    def add_one():
        try:
            barrier.wait()
            _new(kent, 2024)
        except Exception as exc:  # collected and reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add_one) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Decision.objects.filter(authority=kent).values_list("number", flat=True))
    assert numbers == [f"24/{n:05d}" for n in range(1, THREADS + 1)]
