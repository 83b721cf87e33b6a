"""How a contract is paid for, year by year, and the coverage check on its pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import ContractFunding
from tests.contracts.factories import AuthorityFactory, ContractFactory
from tests.grants.factories import AllocationFactory, CommitmentFactory, FundingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    # One whole financial year of £5,394,000 (Northamptonshire's adult treatment).
    return ContractFactory(
        start_date=date(2023, 4, 1),
        initial_end_date=date(2024, 3, 31),
        annual_value=Decimal("5394000.00"),
        annual_uplift_percent=Decimal("0"),
    )


def _form(**overrides) -> dict:
    data = {
        "source": "contribution",
        "financial_year": "2023/24",
        "authority": "",
        "contributor": "Northamptonshire Police, Fire and Crime Commissioner",
        "amount": "£0.239m",
        "notes": "",
        "reason": "Report 001, 4.3.2",
    }
    data.update(overrides)
    return data


def test_the_contract_page_shows_funding_from_all_three_sources_and_a_covered_year(
    commissioner_client, contract
):
    FundingFactory(contract=contract, financial_year="2023/24", amount=Decimal("5000000.00"))
    FundingFactory(
        contract=contract,
        financial_year="2023/24",
        source=ContractFunding.Source.CONTRIBUTION,
        contributor="Police, Fire and Crime Commissioner",
        amount=Decimal("239000.00"),
    )
    allocation = AllocationFactory(financial_year="2023/24")
    CommitmentFactory(allocation=allocation, contract=contract, amount=Decimal("155000.00"))
    page = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert '<h2 class="govuk-heading-m" id="funding">Funding</h2>' in page
    assert "✓ Fully funded" in page
    assert "Police, Fire and Crime Commissioner" in page
    assert "Grant commitment" in page and allocation.get_absolute_url() in page


def test_the_coverage_check_flags_a_gap_and_over_commitment(commissioner_client, contract):
    FundingFactory(contract=contract, financial_year="2023/24", amount=Decimal("5000000.00"))
    FundingFactory(contract=contract, financial_year="2024/25", amount=Decimal("10.00"))
    response = commissioner_client.get(reverse("grants:contract_funding", args=[contract.pk]))
    page = response.content.decode()
    assert "⚠ Gap of £394,000.00" in page
    # The contract does not run in 2024/25, so any money there is over-commitment.
    assert "⚠ Over-committed by £10.00" in page
    assert "Funding does not match the contract's value in 2 financial years." in page


def test_a_commissioner_adds_the_pcc_contribution(commissioner_client, contract):
    url = reverse("grants:funding_add", args=[contract.pk])
    response = commissioner_client.post(url, _form())
    assert response.status_code == 302
    line = ContractFunding.objects.get()
    assert line.amount == Decimal("239000.00")
    assert line.contributor == "Northamptonshire Police, Fire and Crime Commissioner"
    assert line.history.latest().history_change_reason == "Report 001, 4.3.2"


def test_public_health_grant_is_recorded_per_authority(commissioner_client, contract):
    north = AuthorityFactory(name="North Northamptonshire Council")
    url = reverse("grants:funding_add", args=[contract.pk])
    data = _form(source="public_health_grant", authority=north.pk, amount="2,621,484")
    assert commissioner_client.post(url, data).status_code == 302
    line = ContractFunding.objects.get()
    assert (line.authority, line.contributor) == (north, "")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contributor": ""}, "contributor", "Enter who makes the contribution"),
        ({"financial_year": "2023-24"}, "financial_year", "Enter a financial year like 2024/25"),
        ({"amount": "£2,45M"}, "amount", "as an amount in pounds, for example"),
        ({"amount": "-5"}, "amount", "Amount must be £0 or more."),
    ],
)
def test_bad_funding_input_is_reshown_and_nothing_saved(
    commissioner_client, contract, overrides, field, message
):
    url = reverse("grants:funding_add", args=[contract.pk])
    response = commissioner_client.post(url, _form(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ContractFunding.objects.exists()


def test_changing_and_deleting_a_funding_line_keeps_its_history(commissioner_client, contract):
    line = FundingFactory(contract=contract, financial_year="2023/24")
    url = reverse("grants:funding_edit", args=[line.pk])
    data = _form(source="public_health_grant", contributor="", amount="5394000")
    assert commissioner_client.post(url, data).status_code == 302
    line.refresh_from_db()
    assert line.amount == Decimal("5394000.00")
    delete_url = reverse("grants:funding_delete", args=[line.pk])
    assert b"Yes, delete it" in commissioner_client.get(delete_url).content
    assert commissioner_client.post(delete_url, {"reason": "Wrong year"}).status_code == 302
    assert not ContractFunding.objects.exists()
    page = commissioner_client.get(reverse("grants:contract_funding", args=[contract.pk]))
    assert "Wrong year" in page.content.decode()


def test_a_clerk_sees_funding_but_cannot_change_it(clerk_client, contract):
    line = FundingFactory(contract=contract)
    assert (
        clerk_client.get(reverse("grants:contract_funding", args=[contract.pk])).status_code == 200
    )
    response = clerk_client.post(reverse("grants:funding_edit", args=[line.pk]), _form())
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.source == ContractFunding.Source.PUBLIC_HEALTH_GRANT


def test_the_funding_page_runs_a_fixed_number_of_queries(
    commissioner_client, contract, django_assert_max_num_queries
):
    for year in ("2023/24", "2024/25", "2025/26"):
        FundingFactory(contract=contract, financial_year=year)
        CommitmentFactory(
            allocation=AllocationFactory(financial_year=year), contract=contract, amount=Decimal(1)
        )
    with django_assert_max_num_queries(20):
        response = commissioner_client.get(reverse("grants:contract_funding", args=[contract.pk]))
    assert response.status_code == 200


def test_the_funding_register_filters_sorts_and_exports(commissioner_client, contract):
    phg = FundingFactory(contract=contract, financial_year="2023/24", amount=Decimal("5155000"))
    pcc = FundingFactory(
        contract=contract,
        financial_year="2023/24",
        source=ContractFunding.Source.CONTRIBUTION,
        contributor="Police, Fire and Crime Commissioner",
        amount=Decimal("239000.00"),
    )
    url = reverse("grants:funding_list")
    response = commissioner_client.get(url, {"source": "contribution"})
    assert [row.record for row in response.context["table"].rows] == [pcc]
    response = commissioner_client.get(url, {"sort": "-amount"})
    assert [row.record for row in response.context["table"].rows] == [phg, pcc]
    export = commissioner_client.get(url, {"q": "Police", "_export": "csv"})
    lines = export.getvalue().decode().strip().splitlines()
    assert len(lines) == 2 and "239000.00" in lines[1] and "Police" in lines[1]
    response = commissioner_client.get(url, {"financial_year": "1999/00"})
    assert "No funding lines match" in response.content.decode()


def test_the_funding_register_runs_a_fixed_number_of_queries(
    commissioner_client, django_assert_max_num_queries
):
    for _ in range(15):
        FundingFactory(authority=AuthorityFactory())
    with django_assert_max_num_queries(12):
        assert commissioner_client.get(reverse("grants:funding_list")).status_code == 200
