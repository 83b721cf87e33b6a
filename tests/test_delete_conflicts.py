"""No lost update by deletion: a record is deleted only as the person deleting saw it.

The race: A opens a record's delete page (or loads it in the shell); B corrects the
record and saves; A confirms. Without a check A deletes B's correction unseen, although
B's page said "updated". So a delete carries the version it was opened with, like a
save, and is refused (409, nothing deleted) when the record changed meanwhile.
"""

import pytest
from django.urls import reverse

from audit.versioning import EditConflict
from contracts.models import Contract
from decisions.models import Recommendation
from grants.models import ContractFunding, OutboundGrant
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import RecommendationFactory
from tests.grants.factories import FundingFactory, OutboundGrantFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def test_deleting_a_copy_loaded_before_someone_elses_save_is_refused():
    contract = ContractFactory()
    stale = Contract.objects.get(pk=contract.pk)
    contract.title = "Corrected title"
    contract.save()

    with pytest.raises(EditConflict):
        stale.delete()

    assert Contract.objects.filter(pk=contract.pk, title="Corrected title").exists()


def test_deleting_a_copy_loaded_after_the_last_save_deletes_it():
    contract = ContractFactory()
    Contract.objects.get(pk=contract.pk).delete()
    assert not Contract.objects.filter(pk=contract.pk).exists()


def _edit(record, field: str, value: str) -> None:
    fresh = type(record).objects.get(pk=record.pk)
    setattr(fresh, field, value)
    fresh.save()


# (who deletes, how the record is made, its delete URL, a text field someone else edits)
PAGES = {
    "contract": (
        "commissioner_client",
        ContractFactory,
        lambda r: reverse("contracts:delete", args=[r.pk]),
        "title",
    ),
    "recommendation": (
        "clerk_client",
        RecommendationFactory,
        lambda r: reverse("decisions:recommendation_delete", args=[r.decision_id, r.pk]),
        "text",
    ),
    "funding line": (
        "commissioner_client",
        FundingFactory,
        lambda r: reverse("grants:funding_delete", args=[r.pk]),
        "notes",
    ),
    "outbound grant": (
        "commissioner_client",
        OutboundGrantFactory,
        lambda r: reverse("grants:outbound_delete", args=[r.pk]),
        "title",
    ),
}
MODELS = {
    "contract": Contract,
    "recommendation": Recommendation,
    "funding line": ContractFunding,
    "outbound grant": OutboundGrant,
}


@pytest.mark.parametrize("kind", PAGES)
def test_a_delete_page_opened_before_someone_elses_save_deletes_nothing(kind, request):
    client_name, make, url_of, field = PAGES[kind]
    client = request.getfixturevalue(client_name)
    record = make()
    url = url_of(record)
    data = form_data(client.get(url).content.decode())

    _edit(record, field, "Corrected meanwhile")
    response = client.post(url, data)

    assert response.status_code == 409
    assert "meanwhile" in response.content.decode()
    assert MODELS[kind].objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("kind", PAGES)
def test_a_delete_page_opened_after_the_last_save_deletes(kind, request):
    client_name, make, url_of, _field = PAGES[kind]
    client = request.getfixturevalue(client_name)
    record = make()
    url = url_of(record)
    data = form_data(client.get(url).content.decode())

    response = client.post(url, data)

    assert response.status_code == 302
    assert not MODELS[kind].objects.filter(pk=record.pk).exists()
