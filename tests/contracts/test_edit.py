from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Contract, CostShare, ExtensionOption
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ProviderFactory,
    ShareFactory,
)
from tests.contracts.forms_data import contract_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def kent(db):
    return AuthorityFactory(name="Kent County Council")


@pytest.fixture
def northants(db):
    return (
        AuthorityFactory(name="North Northamptonshire Council"),
        AuthorityFactory(name="West Northamptonshire Council"),
    )


def test_a_commissioner_adds_a_contract_with_its_options_and_shares(commissioner_client, northants):
    ProviderFactory(name="Change Grow Live")
    data = contract_post(
        provider="change grow live",
        lead_authority="West Northamptonshire Council",
        options=[(24, "", "31/07/2026"), (12, "£680,353", "")],
        shares=[
            ("North Northamptonshire Council", "48.6", ""),
            ("West Northamptonshire Council", "51.4", ""),
        ],
        reason="New contract from the tender",
    )
    response = commissioner_client.post(reverse("contracts:create"), data)
    contract = Contract.objects.get(reference="KCC-PH-0123")
    assert response.status_code == 302
    assert response.url == contract.get_absolute_url()
    assert contract.provider.name == "Change Grow Live"
    assert contract.annual_value == Decimal("803671.80")
    options = list(contract.options.order_by("sequence"))
    assert [(o.sequence, o.months, o.price) for o in options] == [
        (1, 24, None),
        (2, 12, Decimal("680353.00")),
    ]
    assert options[0].notice_deadline == date(2026, 7, 31)
    assert sorted(s.percentage for s in contract.shares.all()) == [Decimal("48.6"), Decimal("51.4")]
    assert contract.history.first().history_change_reason == "New contract from the tender"


def test_editing_changes_the_contract_and_bumps_its_version(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-1")
    option = OptionFactory(contract=contract, sequence=1, months=24)
    data = contract_post(
        reference="KCC-1",
        title="Renamed service",
        version=str(contract.version),
        existing_options=[(option.pk, 18, "", "", False)],
    )
    response = commissioner_client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 302
    contract.refresh_from_db()
    option.refresh_from_db()
    assert contract.title == "Renamed service"
    assert contract.version == 2
    assert option.months == 18


def test_removing_a_pending_option_renumbers_the_later_ones(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-2")
    first = OptionFactory(contract=contract, sequence=1, months=24)
    second = OptionFactory(contract=contract, sequence=2, months=12)
    data = contract_post(
        reference="KCC-2",
        version="1",
        existing_options=[(first.pk, 24, "", "", True), (second.pk, 12, "", "", False)],
    )
    commissioner_client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert [(o.sequence, o.months) for o in contract.options.all()] == [(1, 12)]


def test_an_exercised_option_cannot_be_removed(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-3")
    option = OptionFactory(contract=contract, sequence=1, months=24, status="exercised")
    data = contract_post(
        reference="KCC-3", version="1", existing_options=[(option.pk, 24, "", "", True)]
    )
    response = commissioner_client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 200
    assert "Option 1 has been exercised, so it cannot be removed." in response.content.decode()
    assert contract.options.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"initial_end_date": "31/01/2024"}, "Enter an end date on or after the start date."),
        ({"start_date": "31/02/2025"}, "Enter a real date. For example 01/02/2025."),
        ({"annual_value": "-5"}, "Annual value must be £0 or more."),
        ({"annual_value": "£35,368,00"}, "“£35,368,00” is unclear"),
        ({"annual_uplift_percent": "-1"}, "Enter an uplift of 0% or more."),
        ({"uplift_from_year": "1"}, "Enter year 2 or later: the uplift cannot apply to year 1."),
        ({"lead_authority": "Essex Council"}, "No lead authority matches “Essex Council”."),
        ({"provider": "Nobody Ltd"}, "No provider matches “Nobody Ltd”."),
        ({"stated_whole_life_value": "£2,45M"}, "“£2,45M” is unclear"),
        ({"reference": ""}, "Enter the contract reference."),
    ],
)
def test_invalid_contract_fields_are_shown_at_the_field(
    commissioner_client, kent, changes, message
):
    response = commissioner_client.post(reverse("contracts:create"), contract_post(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("options", "shares", "message"),
    [
        ([(0, "", "")], [], "Enter an option length of at least 1 month."),
        ([(-3, "", "")], [], "Enter an option length of at least 1 month."),
        ([(12, "-100", "")], [], "Price for the whole option period must be £0 or more."),
        (
            [],
            [("Kent County Council", "60", ""), ("Medway Council", "40", "")],
            "No authority matches “Medway Council”.",
        ),
        (
            [],
            [("Kent County Council", "60", ""), ("Essex County Council", "30", "")],
            "The shares add up to 90%. They must add up to exactly 100%.",
        ),
        (
            [],
            [("Kent County Council", "", "500000"), ("Essex County Council", "", "1000")],
            "They must add up to the annual value of £803,671.80.",
        ),
        (
            [],
            [("Kent County Council", "50", ""), ("Essex County Council", "", "401835.90")],
            "Use percentages for every share, or fixed annual amounts for every share.",
        ),
        ([], [("Kent County Council", "", "")], "Enter a percentage or a fixed annual amount."),
        (
            [],
            [("Kent County Council", "50", ""), ("Kent County Council", "50", "")],
            "Enter one share per authority.",
        ),
    ],
)
def test_invalid_options_and_shares_save_nothing(
    commissioner_client, kent, options, shares, message
):
    AuthorityFactory(name="Essex County Council")
    data = contract_post(options=options, shares=shares)
    response = commissioner_client.post(reverse("contracts:create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contract.objects.exists()
    assert not ExtensionOption.objects.exists()
    assert not CostShare.objects.exists()


def test_fixed_amount_shares_totalling_the_annual_value_are_accepted(commissioner_client, kent):
    AuthorityFactory(name="Essex County Council")
    data = contract_post(
        annual_value="5517000",
        shares=[("Kent County Council", "", "1517000"), ("Essex County Council", "", "£4m")],
    )
    response = commissioner_client.post(reverse("contracts:create"), data)
    assert response.status_code == 302
    amounts = sorted(s.fixed_amount for s in CostShare.objects.all())
    assert amounts == [Decimal("1517000.00"), Decimal("4000000.00")]


def test_an_invalid_edit_keeps_the_saved_contract_as_it_was(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-4", title="Original")
    share = ShareFactory(contract=contract, authority=kent, percentage=Decimal("100"))
    data = contract_post(
        reference="KCC-4",
        title="Changed",
        version="1",
        existing_shares=[(share.pk, "Kent County Council", "90", "")],
    )
    response = commissioner_client.post(reverse("contracts:edit", args=[contract.pk]), data)
    assert response.status_code == 200
    contract.refresh_from_db()
    share.refresh_from_db()
    assert contract.title == "Original"
    assert share.percentage == Decimal("100")
    assert 'value="Changed"' in response.content.decode()


@pytest.mark.parametrize("client_name", ["auditor_client", "clerk_client", "outsider_client"])
def test_only_commissioners_may_add_or_edit_contracts(request, client_name, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-5", title="Original")
    client = request.getfixturevalue(client_name)
    data = contract_post(reference="KCC-5", title="Changed", version="1")
    assert client.post(reverse("contracts:edit", args=[contract.pk]), data).status_code == 403
    assert client.post(reverse("contracts:create"), contract_post()).status_code == 403
    contract.refresh_from_db()
    assert contract.title == "Original"
    assert Contract.objects.count() == 1


def test_a_stale_save_is_refused_and_lists_what_changed_meanwhile(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-6", title="Original")
    url = reverse("contracts:edit", args=[contract.pk])
    # Someone else saves first, from the same version 1.
    other = contract_post(
        reference="KCC-6", title="Their title", annual_value="900000", version="1"
    )
    assert commissioner_client.post(url, other).status_code == 302
    mine = contract_post(reference="KCC-6", title="My title", version="1")
    response = commissioner_client.post(url, mine)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this contract while you were editing it." in page
    assert "Their title" in page and "My title" in page
    assert "900,000.00" in page  # their annual value → mine
    assert 'value="My title"' in page  # the user's input is kept
    assert 'name="version" value="2"' in page
    contract.refresh_from_db()
    assert contract.title == "Their title"
    assert contract.version == 2


def test_saving_again_after_a_conflict_keeps_the_second_users_input(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-7")
    url = reverse("contracts:edit", args=[contract.pk])
    commissioner_client.post(url, contract_post(reference="KCC-7", title="Theirs", version="1"))
    commissioner_client.post(url, contract_post(reference="KCC-7", title="Mine", version="1"))
    response = commissioner_client.post(
        url, contract_post(reference="KCC-7", title="Mine", version="2")
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "Mine"
    assert contract.version == 3


def test_the_form_page_shows_the_contract_with_its_options_and_shares(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-8")
    OptionFactory(contract=contract, sequence=1, months=24, price=Decimal("1000.00"))
    ShareFactory(contract=contract, authority=kent)
    page = commissioner_client.get(reverse("contracts:edit", args=[contract.pk])).content.decode()
    assert 'value="01/02/2025"' in page
    assert 'value="24"' in page and 'value="1,000.00"' in page
    assert 'value="Kent County Council"' in page
    assert "<select" not in page.split('name="provider"')[0][-200:]


def test_each_saved_option_and_share_has_a_labelled_remove_box(commissioner_client, kent):
    contract = ContractFactory(lead_authority=kent, reference="KCC-9")
    OptionFactory(contract=contract, sequence=1, months=24)
    ShareFactory(contract=contract, authority=kent)
    page = commissioner_client.get(reverse("contracts:edit", args=[contract.pk])).content.decode()
    for prefix, noun in (("options-0", "option"), ("shares-0", "share")):
        box = f'id="id_{prefix}-DELETE"'
        assert box in page
        assert f'for="id_{prefix}-DELETE"' in page
        assert f"Remove this {noun}" in page
    # The blank rows for adding are not saved yet, so they have nothing to remove.
    assert 'id="id_options-1-DELETE"' not in page
