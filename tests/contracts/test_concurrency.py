"""No lost updates: two people saving the same contract at once, in real threads.

Needs PostgreSQL (row locks with SELECT ... FOR UPDATE); skipped on SQLite, which
serialises every write anyway. Run with DATABASE_URL=postgres://...
"""

import threading
from datetime import date

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from contracts.models import Contract, ExtensionOption
from tests.contracts.factories import AuthorityFactory, kent_contract
from tests.contracts.forms_data import contract_post

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking needs PostgreSQL"),
]


def _in_threads(*jobs):
    """Run each job in its own thread (and so its own database connection), released
    together by a barrier so that the saves really overlap. Returns their results."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list = []

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def _edit_job(user, contract, **changes):
    client = Client()
    client.force_login(user)
    option_ids = [o.pk for o in contract.options.order_by("sequence")]
    data = contract_post(
        reference=contract.reference,
        version=str(contract.version),
        existing_options=[(option_ids[0], 24, "", "", False), (option_ids[1], 12, "", "", False)],
        **changes,
    )
    return lambda: client.post(reverse("contracts:edit", args=[contract.pk]), data)


def test_of_two_simultaneous_saves_the_second_is_refused_with_what_changed(commissioner, roles):
    from accounts.roles import COMMISSIONER
    from tests.accounts.factories import UserFactory

    other = UserFactory(username="second-commissioner", role=COMMISSIONER)
    contract = kent_contract(
        reference="KCC-PH-0123", lead_authority=AuthorityFactory(name="Kent County Council")
    )

    first, second = _in_threads(
        _edit_job(commissioner, contract, title="Title from the first", annual_value="£810,000"),
        _edit_job(other, contract, title="Title from the second", annual_value="£820,000"),
    )

    statuses = sorted([first.status_code, second.status_code])
    assert statuses == [302, 409]
    winner, loser = (first, second) if first.status_code == 302 else (second, first)
    mine = "Title from the first" if loser is first else "Title from the second"
    theirs = "Title from the second" if loser is first else "Title from the first"
    contract.refresh_from_db()
    assert contract.title == theirs
    assert contract.version == 2
    changes = {c.label: (c.theirs, c.yours) for c in loser.context["conflict"].changes}
    assert changes["Title"] == (theirs, mine)
    assert "Annual value (£)" in changes
    html = loser.content.decode()
    assert "Changed by someone else" in html
    assert f'value="{mine}"' in html  # the loser's input is kept in the form
    assert loser.context["form"]["version"].value() == 2  # saving again keeps theirs


def test_two_people_deciding_the_same_option_at_once_decide_it_once(commissioner, roles):
    from accounts.roles import COMMISSIONER
    from tests.accounts.factories import UserFactory

    other = UserFactory(username="second-commissioner", role=COMMISSIONER)
    contract = kent_contract(reference="KCC-PH-0124")
    first_option = contract.options.get(sequence=1)

    def decide(user, outcome):
        client = Client()
        client.force_login(user)
        data = {
            "option": str(first_option.pk),
            "outcome": outcome,
            "decided_on": "15/05/2026",
            "reason": f"{user.username} says {outcome}",
            "authorising_decision": "",
        }
        return lambda: client.post(reverse("contracts:option_decide", args=[contract.pk]), data)

    _in_threads(decide(commissioner, "exercise"), decide(other, "decline"))

    options = list(ExtensionOption.objects.filter(contract=contract).order_by("sequence"))
    assert [o.status for o in options][1] == "pending"  # option 2 was not touched
    assert options[0].status in ("exercised", "declined")
    assert options[0].history.count() == 2  # created, then decided once
    assert Contract.objects.get(pk=contract.pk).version == 2
    assert options[0].decided_on == date(2026, 5, 15)
