"""Recording a variation: "Check" shows the reg 13 assessment, "Save" records it with
its authorising decision; the contract page lists the variations.

Commissioners (contracts.change_contract) record variations; every role reads them.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Modification
from decisions.models import DecisionContractLink
from psr.variations import record_modification
from tests.contracts.factories import AuthorityFactory, ProviderFactory
from tests.decisions.factories import DecisionFactory
from tests.html_forms import form_data
from tests.psr.variations_data import modification, salford_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return salford_contract(reference="SCC-DA-2026")


def _url(contract) -> str:
    return reverse("psr:variation_new", args=[contract.pk])


def _data(**fields) -> dict:
    return {
        "kind": "value",
        "description": "More treatment places.",
        "effective_date": "01/04/2027",
        "lifetime_value_change": "£320,000",
        "ground": "authority",
        "materially_different_reason": "",
        **fields,
    }


def _check_then_save(client, contract, data):
    checked = client.post(_url(contract), {**data, "_check": "1"})
    assert checked.status_code == 200, checked.context["form"].errors
    # What the browser posts back: the page as shown, the assessment's mark included.
    posted = form_data(checked.content.decode(), containing="assessed")
    assert posted["assessed"] == checked.context["form"].data["assessed"]
    return checked, client.post(_url(contract), {**posted, "_save": "1"})


def test_a_commissioner_checks_a_variation_then_saves_it_with_its_decision(
    commissioner_client, contract
):
    decision = DecisionFactory(authority=contract.lead_authority, number="SCC 26/00001")
    checked, saved = _check_then_save(commissioner_client, contract, _data(decision="SCC 26/00001"))
    html = checked.content.decode()
    assert "Permitted" in html and "Permitted under reg 13(1)(d)" in html
    assert "Save the variation" in html
    variation = Modification.objects.get()
    assert saved.status_code == 302
    assert saved.url == reverse("psr:variation_detail", args=[variation.pk])
    assert (variation.sequence, variation.lifetime_value_change) == (1, Decimal("320000.00"))
    link = DecisionContractLink.objects.get()
    assert (link.decision, link.contract, link.kind, link.modification) == (
        decision,
        contract,
        "vary",
        variation,
    )
    page = commissioner_client.get(saved.url).content.decode()
    assert "Variation 1: value" in page and "SCC 26/00001" in page


def test_checking_saves_nothing_and_a_save_without_a_check_is_shown_again(
    commissioner_client, contract
):
    response = commissioner_client.post(_url(contract), {**_data(), "_check": "1"})
    assert response.status_code == 200
    assert not Modification.objects.exists()
    response = commissioner_client.post(_url(contract), {**_data(), "_save": "1"})
    assert response.status_code == 200
    assert "check it, then save" in response.content.decode()
    assert not Modification.objects.exists()


def test_a_variation_that_is_not_permitted_needs_a_reason_and_a_decision_to_be_recorded(
    commissioner_client, contract
):
    data = _data(lifetime_value_change="£20m")  # 39% of £50,951,600 and over £500,000
    checked, refused = _check_then_save(commissioner_client, contract, data)
    assert "Not permitted" in checked.content.decode()
    assert "a new procurement is needed" in checked.content.decode()
    assert refused.status_code == 400
    errors = refused.context["form"].errors
    assert "recorded_anyway_reason" in errors and "decision" in errors
    # The warning stays on the page, and so does "Save": the assessment was seen.
    assert "Not permitted" in refused.content.decode()
    assert "Save the variation" in refused.content.decode()
    assert not Modification.objects.exists()
    DecisionFactory(authority=contract.lead_authority, number="SCC 26/00002")
    data |= {"recorded_anyway_reason": "Made before the regime applied.", "decision": "26/00002"}
    _, saved = _check_then_save(commissioner_client, contract, data)
    assert saved.status_code == 302
    assert Modification.objects.get().recorded_anyway_reason.startswith("Made before")
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "1 variation of this contract is not permitted" in html
    assert "govuk-tag--red" in html


def test_bad_input_is_shown_again_with_a_message_at_the_field(commissioner_client, contract):
    response = commissioner_client.post(
        _url(contract),
        {**_data(lifetime_value_change="lots", kind="term"), "_check": "1"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "lifetime_value_change" in errors
    assert errors["new_end_date"] == ["Enter the new end date: the term changes."]
    assert 'href="#id_lifetime_value_change"' in response.content.decode()


def test_a_change_of_provider_names_the_provider_who_meets_the_basic_criteria(
    commissioner_client, contract
):
    data = _data(kind="provider", ground="provider_identity", lifetime_value_change="")
    response = commissioner_client.post(_url(contract), {**data, "_check": "1"})
    errors = response.context["form"].errors
    assert "new_provider" in errors and "new_provider_meets_basic_criteria" in errors
    ProviderFactory(name="Change Grow Live")
    data |= {"new_provider": "Change Grow Live", "new_provider_meets_basic_criteria": "on"}
    _, saved = _check_then_save(commissioner_client, contract, data)
    assert saved.status_code == 302
    assert Modification.objects.get().new_provider.name == "Change Grow Live"


def test_only_the_contracts_own_councils_decisions_may_authorise_it(commissioner_client, contract):
    DecisionFactory(authority=AuthorityFactory(name="Kent County Council"), number="KCC 26/9")
    response = commissioner_client.post(
        _url(contract), {**_data(decision="KCC 26/9"), "_check": "1"}
    )
    assert response.status_code == 400
    assert "decision" in response.context["form"].errors


def test_clerks_and_auditors_cannot_record_a_variation_but_may_read_one(
    clerk_client, auditor_client, contract
):
    variation = modification(contract)
    for client in (clerk_client, auditor_client):
        assert client.get(_url(contract)).status_code == 403
        assert client.post(_url(contract), {**_data(), "_save": "1"}).status_code == 403
        detail = client.get(reverse("psr:variation_detail", args=[variation.pk]))
        assert detail.status_code == 200
    assert Modification.objects.count() == 1


def test_variations_take_the_next_sequence_number(commissioner, contract):
    data = {
        "kind": "value",
        "description": "More places.",
        "effective_date": contract.start_date,
        "lifetime_value_change": Decimal("1000.00"),
        "ground": "authority",
    }
    first = record_modification(contract=contract, data=data, decision=None, user=commissioner)
    second = record_modification(contract=contract, data=data, decision=None, user=commissioner)
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.history.get().history_user == commissioner


def test_the_service_assesses_again_against_the_variations_recorded_meanwhile(
    commissioner, contract
):
    data = {
        "kind": "value",
        "description": "More places.",
        "effective_date": contract.start_date,
        "lifetime_value_change": Decimal("8000000.00"),
        "ground": "authority",
    }
    # Permitted alone (under 25% of £50,951,600); someone else's £5m meanwhile is not.
    modification(contract, lifetime_value_change=Decimal("5000000.00"))
    with pytest.raises(ValidationError) as error:
        record_modification(contract=contract, data=data, decision=None, user=commissioner)
    assert set(error.value.message_dict) == {"recorded_anyway_reason", "decision"}
    assert Modification.objects.count() == 1


def test_the_contract_page_lists_variations_with_a_record_button_for_commissioners(
    commissioner_client, auditor_client, contract
):
    modification(contract, lifetime_value_change=Decimal("320000.00"))
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "Variations" in html and "£320,000.00" in html and "Permitted" in html
    assert "Record a variation" in html
    html = auditor_client.get(contract.get_absolute_url()).content.decode()
    assert "£320,000.00" in html
    assert "Record a variation" not in html


def test_the_variations_panel_runs_the_same_queries_for_2_or_50_variations(
    commissioner_client, contract
):
    counts = []
    for variations in (2, 48):
        for _ in range(variations):
            m = modification(contract, lifetime_value_change=Decimal("1000.00"))
            DecisionContractLink.objects.create(
                decision=DecisionFactory(authority=contract.lead_authority),
                contract=contract,
                kind="vary",
                modification=m,
            )
        with CaptureQueriesContext(connection) as queries:
            response = commissioner_client.get(contract.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert response.content.decode().count("govuk-tag--green") >= 50


def _edit_url(variation) -> str:
    return reverse("psr:variation_edit", args=[variation.pk])


def test_a_commissioner_changes_a_variation_and_its_decision(commissioner_client, contract):
    first = DecisionFactory(authority=contract.lead_authority, number="SCC 26/00001")
    DecisionFactory(authority=contract.lead_authority, number="SCC 26/00002")
    variation = modification(contract)
    DecisionContractLink.objects.create(
        decision=first, contract=contract, kind="vary", modification=variation
    )
    page = commissioner_client.get(_edit_url(variation))
    assert page.status_code == 200
    assert 'value="SCC 26/00001' in page.content.decode()
    data = _data(lifetime_value_change="£400,000", decision="SCC 26/00002", version="1")
    checked = commissioner_client.post(_edit_url(variation), {**data, "_check": "1"})
    assert checked.status_code == 200, checked.context["form"].errors
    assessed = checked.context["form"].data["assessed"]
    saved = commissioner_client.post(
        _edit_url(variation), {**data, "assessed": assessed, "_save": "1"}
    )
    assert saved.status_code == 302
    variation.refresh_from_db()
    assert variation.lifetime_value_change == Decimal("400000.00")
    assert variation.version == 2
    link = DecisionContractLink.objects.get()
    assert (link.decision.number, link.modification) == ("SCC 26/00002", variation)
    assert variation.history.latest().history_change_reason == "Variation 1 changed"


def test_a_change_saved_by_someone_else_meanwhile_is_not_overwritten(commissioner_client, contract):
    variation = modification(contract)
    data = _data(lifetime_value_change="£400,000", version="1")
    checked = commissioner_client.post(_edit_url(variation), {**data, "_check": "1"})
    assessed = checked.context["form"].data["assessed"]
    variation.description = "Someone else's words."
    variation.save()
    refused = commissioner_client.post(
        _edit_url(variation), {**data, "assessed": assessed, "_save": "1"}
    )
    assert refused.status_code == 409
    variation.refresh_from_db()
    assert variation.lifetime_value_change == Decimal("320000.00")
    assert variation.description == "Someone else's words."


def test_a_change_is_assessed_against_the_variations_before_it_only(commissioner_client, contract):
    first = modification(contract, lifetime_value_change=Decimal("1000.00"))
    modification(contract, lifetime_value_change=Decimal("20000000.00"))  # a later one
    response = commissioner_client.post(
        _edit_url(first), {**_data(lifetime_value_change="£2,000", version="1"), "_check": "1"}
    )
    assert response.status_code == 200
    assert response.context["assessment"].permitted
