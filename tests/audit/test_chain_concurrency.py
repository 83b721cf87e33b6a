"""The chain stays one line when many writers append at once (PostgreSQL, real threads).

Each append takes the table's advisory lock, so ids rise in chain order and no two rows
link to the same predecessor. Without the lock, writers that read the same last row
would fork the chain and verify_history would report them. SQLite serialises writers.
"""

import threading

import pytest
from django.db import connection, connections, transaction

from audit.chain import verify
from contracts.models import Provider

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's locks"),
]

THREADS = 10
ROUNDS = 5


def test_ten_writers_at_once_leave_one_unbroken_chain():
    barrier = threading.Barrier(THREADS)
    errors: list = []

    def writer(n: int):
        try:
            barrier.wait(timeout=30)
            for round_ in range(ROUNDS):
                with transaction.atomic():
                    provider = Provider.objects.create(name=f"Writer {n} round {round_}")
                    provider.postcode = "B1 1AA"
                    provider.save()
        except Exception as error:  # reported in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    history = Provider.history.model
    assert history.objects.count() == THREADS * ROUNDS * 2
    links = list(history.objects.values_list("history_prev_hmac", flat=True))
    assert len(set(links)) == len(links)  # no row shares a predecessor: no fork
    assert verify(history) == []
