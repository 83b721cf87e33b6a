"""No lost update through the pages: 10 people open the same edit page, each changes
a different field, and all press Save at once. Each either sees "updated" (a
redirect) with their change in the record, or the conflict page (409); none is told
"updated" and then overwritten. PostgreSQL only (concurrent requests in threads).
"""

import os
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from accounts.roles import CLERK, COMMISSIONER
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ProviderFactory
from tests.decisions.factories import DecisionFactory
from tests.grants.factories import AllocationFactory
from tests.html_forms import form_data
from tests.psr.records_factories import AwardRecordFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EDITORS = 10
ROUNDS = int(os.environ.get("LOST_UPDATE_ROUNDS", "2"))

# (who edits, how the record is made, its edit page, free-text fields the editors change)
PAGES = {
    "decision": (
        CLERK,
        DecisionFactory,
        "decisions:edit",
        ["title", "decision_maker", "decision_maker_role", "report_from", "report_to"]
        + ["summary", "options_rejected", "reasons", "legal_implications", "contacts"],
    ),
    "provider": (COMMISSIONER, ProviderFactory, "contracts:provider_edit", ["address", "name"]),
    "allocation": (
        COMMISSIONER,
        AllocationFactory,
        "grants:allocation_edit",
        ["conditions", "notes"],
    ),
    "award record": (
        COMMISSIONER,
        AwardRecordFactory,
        "psr:awardrecord_edit",
        ["decision_makers", "quality_and_innovation", "value", "social_value"]
        + ["basic_selection_criteria", "integration_collaboration_sustainability"],
    ),
}


def _save(barrier, client, url, data, statuses, i) -> None:
    try:
        barrier.wait(timeout=30)
        statuses[i] = client.post(url, data).status_code
    finally:
        connections.close_all()


@pytest.mark.parametrize("kind", PAGES)
def test_ten_people_saving_one_edit_page_at_once_lose_no_edit(kind, roles):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent requests need PostgreSQL")
    role, make, url_name, fields = PAGES[kind]
    record = make()
    url = reverse(url_name, args=[record.pk])
    clients = []
    for i in range(EDITORS):
        client = Client(raise_request_exception=False)  # a 500 is counted, not raised
        client.force_login(UserFactory(username=f"editor{i}", role=role))
        clients.append(client)
    answered_updated = lost = 0
    other_answers: list[int] = []
    for round_no in range(ROUNDS):
        forms = [form_data(c.get(url).content.decode()) for c in clients]
        wrote = {i: (fields[i % len(fields)], f"r{round_no}e{i}") for i in range(EDITORS)}
        for i, data in enumerate(forms):
            name, value = wrote[i]
            data[name] = value
        connections.close_all()
        barrier = threading.Barrier(EDITORS)
        statuses: list = [None] * EDITORS

        threads = [
            threading.Thread(target=_save, args=(barrier, clients[i], url, forms[i], statuses, i))
            for i in range(EDITORS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        final = type(record).objects.get(pk=record.pk)
        for i, status in enumerate(statuses):
            name, value = wrote[i]
            if status == 302:
                answered_updated += 1
                lost += getattr(final, name) != value
            elif status != 409:  # neither saved nor refused: a 500, or a form error
                other_answers.append(status)
    print(f"{kind} page: lost {lost} of {answered_updated} saves that answered updated")
    assert other_answers == []
    assert answered_updated >= ROUNDS
    assert lost == 0
