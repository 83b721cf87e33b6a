"""Two clerks issuing the same document at once get versions 1 and 2, in real threads.

Needs PostgreSQL (the decision's row lock, SELECT ... FOR UPDATE); skipped on SQLite,
which serialises every write anyway.
"""

import threading
import time

import pytest
from django.db import connection, connections

from accounts.roles import CLERK
from decisions import issuing
from decisions.models import IssuedDocument
from tests.accounts.factories import UserFactory
from tests.decisions.factories import DecisionFactory
from tests.decisions.issued import tiny_pdf

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking needs PostgreSQL"),
]


def test_two_clerks_issuing_at_once_get_versions_1_and_2(roles, monkeypatch):
    decision = DecisionFactory()
    clerks = [UserFactory(username=f"clerk{n}", role=CLERK) for n in (1, 2)]

    def slow_render(*args, **kwargs) -> bytes:
        time.sleep(0.3)  # both requests are past their version read without the lock
        return tiny_pdf()

    monkeypatch.setattr(issuing.reports, "decision_pdf", slow_render)
    barrier = threading.Barrier(2)
    errors: list = []

    def issue(user):
        try:
            barrier.wait(timeout=10)
            issuing.issue_document(
                decision=decision,
                kind=IssuedDocument.Kind.REPORT,
                user=user,
                reason=f"Issued by {user.username}",
                base_url="http://testserver/",
            )
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(user,)) for user in clerks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    versions = sorted(decision.issued_documents.values_list("version", flat=True))
    assert versions == [1, 2]
