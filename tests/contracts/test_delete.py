"""Deleting a contract: confirmed first, history kept, refused while decisions cite it."""

import pytest
from django.urls import reverse

from accounts.roles import ADMINISTRATOR
from contracts.models import Contract, ExtensionOption
from tests.accounts.factories import UserFactory
from tests.contracts.factories import kent_contract
from tests.decisions.factories import DecisionContractLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, roles):
    """An administrator: may delete contracts."""
    client.force_login(UserFactory(username="deleter", role=ADMINISTRATOR))
    return client


def test_delete_asks_first_then_removes_the_contract_and_keeps_its_history(admin_client):
    client = admin_client
    contract = kent_contract(reference="KCC-DEL")
    url = reverse("contracts:delete", args=[contract.pk])

    page = client.get(url)
    assert page.status_code == 200
    assert "Delete contract KCC-DEL?" in page.content.decode()
    assert Contract.objects.filter(pk=contract.pk).exists()  # asking deletes nothing

    response = client.post(url, {"reason": "Entered twice"})
    assert response.status_code == 302
    assert not Contract.objects.filter(pk=contract.pk).exists()
    assert not ExtensionOption.objects.filter(contract_id=contract.pk).exists()
    last = Contract.history.filter(id=contract.pk).latest()
    assert (last.history_type, last.history_change_reason) == ("-", "Entered twice")


def test_a_contract_a_decision_cites_cannot_be_deleted(admin_client):
    client = admin_client
    contract = kent_contract(reference="KCC-LINKED")
    DecisionContractLinkFactory(contract=contract)
    response = client.post(reverse("contracts:delete", args=[contract.pk]), follow=True)
    assert "cannot be deleted because other records depend on it" in response.content.decode()
    assert Contract.objects.filter(pk=contract.pk).exists()


@pytest.mark.parametrize("client_name", ["auditor_client", "clerk_client"])
def test_readers_cannot_delete(request, client_name):
    contract = kent_contract(reference="KCC-KEEP")
    client = request.getfixturevalue(client_name)
    assert client.post(reverse("contracts:delete", args=[contract.pk])).status_code == 403
    assert Contract.objects.filter(pk=contract.pk).exists()


def test_a_reason_over_1000_characters_is_refused_at_the_field_and_nothing_is_deleted(
    admin_client,
):
    contract = kent_contract(reference="KCC-LONG")
    response = admin_client.post(
        reverse("contracts:delete", args=[contract.pk]), {"reason": "x" * 1001}
    )
    assert response.status_code == 200
    assert "at most 1000 characters" in response.context["form"].errors["reason"][0]
    page = response.content.decode()
    assert "<title>Error: " in page
    assert 'href="#id_reason"' in page  # the error summary links to the field
    assert Contract.objects.filter(pk=contract.pk).exists()
