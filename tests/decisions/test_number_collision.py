"""Two clerks typing the same decision number: a field error on the number, never a
500. The form checks the number is free; a clerk who saves between that check and
this save makes the database refuse it, which comes back as the same field error."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from decisions.forms import DecisionForm
from decisions.models import Decision
from tests.accounts.factories import UserFactory
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory
from tests.decisions.test_decision_views import decision_data
from tests.html_forms import form_data

TAKEN = "already has a decision KCC 22/00041"


@pytest.mark.django_db
def test_a_typed_number_already_taken_is_a_field_error(clerk_client):
    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    DecisionFactory(authority=kent, number="KCC 22/00041")
    response = clerk_client.post(
        reverse("decisions:create"), decision_data(kent, number="22/00041")
    )
    assert response.status_code == 200
    assert TAKEN in str(response.context["form"].errors["number"])


@pytest.mark.django_db
def test_a_number_taken_between_the_check_and_the_save_is_a_field_error(clerk_client, monkeypatch):
    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    checked = DecisionForm._post_clean
    rival = []

    def another_clerk_saves_after_the_check(form):
        checked(form)
        if not rival:  # once: the other clerk's save lands just after this check
            rival.append(DecisionFactory(authority=kent, number="KCC 22/00041"))

    monkeypatch.setattr(DecisionForm, "_post_clean", another_clerk_saves_after_the_check)
    response = clerk_client.post(
        reverse("decisions:create"), decision_data(kent, number="22/00041")
    )

    assert response.status_code == 200
    assert TAKEN in str(response.context["form"].errors["number"])
    assert Decision.objects.filter(authority=kent, number="KCC 22/00041").count() == 1


@pytest.mark.django_db
def test_a_number_taken_meanwhile_in_the_admin_is_an_error_not_a_500(admin_client, monkeypatch):
    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    decision = DecisionFactory(authority=kent, number="KCC 22/00040")
    url = reverse("admin:decisions_decision_change", args=[decision.pk])
    data = form_data(admin_client.get(url).content.decode())
    data["number"] = "22/00041"
    checked = Decision.validate_constraints
    rival = []

    def another_clerk_saves_after_the_check(self, *args, **kwargs):
        checked(self, *args, **kwargs)
        if not rival:
            rival.append(DecisionFactory(authority=kent, number="KCC 22/00041"))

    monkeypatch.setattr(Decision, "validate_constraints", another_clerk_saves_after_the_check)
    response = admin_client.post(url, data, follow=True)

    assert response.status_code == 200
    assert "Someone else saved a record with the same value" in response.content.decode()
    decision.refresh_from_db()
    assert decision.number == "KCC 22/00040"


CLERKS = 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_clerks_typing_the_same_number_at_once_get_one_decision_and_field_errors(roles):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent transactions need PostgreSQL")
    from accounts.roles import CLERK

    kent = AuthorityFactory(name="Kent County Council", decision_number_prefix="KCC ")
    clients = []
    for i in range(CLERKS):
        client = Client(raise_request_exception=False)  # a 500 is counted, not raised
        client.force_login(UserFactory(username=f"clerk{i}", role=CLERK))
        clients.append(client)
    data = decision_data(kent, number="22/00041")
    connections.close_all()
    barrier = threading.Barrier(CLERKS)
    responses: list = [None] * CLERKS

    def add(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            responses[i] = clients[i].post(reverse("decisions:create"), data)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(i,)) for i in range(CLERKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (CLERKS - 1) + [302]
    for response in responses:
        if response.status_code == 200:
            assert TAKEN in str(response.context["form"].errors["number"])
    assert Decision.objects.filter(authority=kent, number="KCC 22/00041").count() == 1
