"""The admin goes through the same version check as every page: a change form opened
before someone else saved the record is refused with an error (not a 500, and not a
silent overwrite), and an admin save gives the record a new version."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.contracts.factories import ProviderFactory, kent_contract
from tests.decisions.factories import DecisionFactory, RecommendationFactory
from tests.grants.factories import ProgrammeFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db


def _change_url(record) -> str:
    meta = record._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])


# (how the record is made, the field both people change)
RECORDS = {
    "contract": (kent_contract, "title"),
    "decision": (DecisionFactory, "title"),
    "recommendation": (RecommendationFactory, "text"),
    "provider": (ProviderFactory, "address"),
    "grant programme": (ProgrammeFactory, "name"),
    "user": (lambda: UserFactory(username="leaver"), "job_title"),
}


@pytest.mark.parametrize("kind", RECORDS)
def test_an_admin_form_opened_before_someone_else_saved_is_refused(admin_client, kind):
    make, field = RECORDS[kind]
    record = make()
    url = _change_url(record)
    data = form_data(admin_client.get(url).content.decode())
    assert data["version"] == str(record.version)

    theirs = type(record).objects.get(pk=record.pk)
    setattr(theirs, field, "Their words")
    theirs.save()
    data[field] = "My words"
    refused = admin_client.post(url, data)

    assert refused.status_code == 200  # the form again, with the error
    page = refused.content.decode()
    assert "Someone else saved this" in page
    assert "My words" in page
    record.refresh_from_db()
    assert getattr(record, field) == "Their words"

    again = admin_client.post(url, form_data(page))  # having seen theirs, keep mine
    assert again.status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "My words"


def test_an_inline_row_changed_meanwhile_refuses_the_admin_save(admin_client):
    recommendation = RecommendationFactory(text="As opened")
    url = _change_url(recommendation.decision)
    data = form_data(admin_client.get(url).content.decode())
    theirs = type(recommendation).objects.get(pk=recommendation.pk)
    theirs.text = "Their text"
    theirs.save()
    data["recommendations-0-text"] = "My text"

    refused = admin_client.post(url, data)

    assert refused.status_code == 200
    assert "Someone else saved this recommendation" in refused.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.text == "Their text"


def test_an_admin_edit_of_a_contract_refuses_a_page_form_opened_before_it(
    admin_client, commissioner_client
):
    contract = kent_contract(title="As opened")
    page_url = reverse("contracts:edit", args=[contract.pk])
    page_form = form_data(commissioner_client.get(page_url).content.decode())
    admin_form = form_data(admin_client.get(_change_url(contract)).content.decode())

    admin_form["title"] = "Changed in the admin"
    assert admin_client.post(_change_url(contract), admin_form).status_code == 302
    contract.refresh_from_db()
    assert contract.version == 2

    page_form["title"] = "Changed on the page"
    refused = commissioner_client.post(page_url, page_form)
    assert refused.status_code == 409
    contract.refresh_from_db()
    assert contract.title == "Changed in the admin"
