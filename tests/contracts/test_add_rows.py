"""Any number of cost shares and options, without JavaScript: "Add another authority"
and "Add another option" post the form back with one more blank row, keeping what was
typed, and save nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import rules
from contracts.models import Contract, CostShare
from tests.contracts.factories import AuthorityFactory
from tests.contracts.forms_data import contract_post
from tests.html_forms import form_data
from ui.forms import MAX_FORMSET_ROWS

pytestmark = pytest.mark.django_db

SALFORD_SPLIT = [
    ("Bury Council", "", "1517000"),
    ("Salford City Council", "", "4000000"),
    ("Trafford Council", "", "1761800"),
]


@pytest.fixture
def greater_manchester():
    for name, _, _ in SALFORD_SPLIT:
        AuthorityFactory(name=name)


def _add(client, data, prefix):
    return client.post(reverse("contracts:create"), {**data, "_add": prefix})


def test_add_another_authority_shows_a_third_share_row_as_typed_and_saves_nothing(
    commissioner_client, greater_manchester
):
    data = contract_post(
        lead_authority="Salford City Council", title="Typed title", shares=SALFORD_SPLIT[:2]
    )
    response = _add(commissioner_client, data, "shares")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="shares-2-authority"' in page
    assert 'name="shares-3-authority"' not in page
    assert "Typed title" in page
    assert "There is a problem" not in page  # adding a row validates nothing
    assert not Contract.objects.exists()
    posted = form_data(page, containing="shares-TOTAL_FORMS")
    assert posted["shares-TOTAL_FORMS"] == "3"
    assert posted["shares-1-fixed_amount"] == "4000000"


def test_add_another_option_adds_one_option_row(commissioner_client, greater_manchester):
    data = contract_post(lead_authority="Salford City Council", options=[("12", "", "")])
    page = _add(commissioner_client, data, "options").content.decode()
    assert 'name="options-1-months"' in page
    assert not Contract.objects.exists()


def test_a_three_way_split_entered_through_added_rows_saves_every_share(
    commissioner_client, greater_manchester
):
    data = contract_post(
        lead_authority="Salford City Council",
        start_date="01/04/2026",
        initial_end_date="31/03/2031",
        annual_value="7278800",
        annual_uplift_percent="0",
        options=[("12", "", "")],
        shares=SALFORD_SPLIT[:2],
    )
    page = _add(commissioner_client, data, "shares").content.decode()
    posted = form_data(page, containing="shares-TOTAL_FORMS")
    posted |= {
        "shares-2-authority": "Trafford Council",
        "shares-2-fixed_amount": "1761800",
    }
    page = _add(commissioner_client, posted, "options").content.decode()
    posted = form_data(page, containing="options-TOTAL_FORMS")
    posted |= {"options-1-months": "12"}
    response = commissioner_client.post(reverse("contracts:create"), posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    contract = Contract.objects.get()
    amounts = sorted(CostShare.objects.values_list("fixed_amount", flat=True))
    assert amounts == [Decimal("1517000.00"), Decimal("1761800.00"), Decimal("4000000.00")]
    assert contract.stored.maximum_end.isoformat() == "2033-03-31"
    assert contract.stored.whole_life_value == Decimal("50951600.00")
    assert rules.format_money(contract.stored.whole_life_value) == "£50,951,600.00"


def test_adding_rows_stops_at_the_cap(commissioner_client, greater_manchester):
    data = contract_post(lead_authority="Salford City Council")
    data["shares-TOTAL_FORMS"] = str(MAX_FORMSET_ROWS)
    response = _add(commissioner_client, data, "shares")
    assert response.status_code == 200
    assert f'name="shares-{MAX_FORMSET_ROWS}-authority"' not in response.content.decode()


def test_an_unknown_add_value_is_an_ordinary_save(commissioner_client, greater_manchester):
    data = contract_post(lead_authority="Salford City Council")
    response = _add(commissioner_client, data, "nonsense")
    assert response.status_code == 302
    assert Contract.objects.count() == 1
