"""Committing part of an allocation: never more than the allocation, whoever is quicker."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse

from grants import services
from grants.models import GrantCommitment
from tests.contracts.factories import ContractFactory
from tests.grants.factories import AllocationFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

KENT_OHID = Decimal("11424253.00")


def _form(target, /, **overrides) -> dict:
    data = {
        "contract": target.reference if target else "",
        "service_name": "",
        "financial_year": "2024/25",
        "amount": "£382,000",
        "notes": "",
        "reason": "Report 24/00056, 2.4",
    }
    data.update(overrides)
    return data


def test_a_commissioner_commits_part_of_an_allocation_and_sees_the_balance(commissioner_client):
    allocation = AllocationFactory(amount=KENT_OHID)
    contract = ContractFactory(title="Young Person Drug and Alcohol Service")
    url = reverse("grants:commitment_add", args=[allocation.pk])
    page = commissioner_client.get(url)
    assert "£11,424,253.00" in page.content.decode()
    response = commissioner_client.post(url, _form(contract))
    assert response.status_code == 302 and response["Location"] == allocation.get_absolute_url()
    commitment = GrantCommitment.objects.get()
    assert (commitment.contract, commitment.amount) == (contract, Decimal("382000.00"))
    assert commitment.history.latest().history_change_reason == "Report 24/00056, 2.4"
    detail = commissioner_client.get(allocation.get_absolute_url())
    assert detail.context["allocation"].uncommitted_amount == Decimal("11042253.00")
    footer = detail.content.decode().split("<tfoot>")[1].split("</tfoot>")[0]
    assert "Uncommitted</th>" in footer and "<strong>£11,042,253.00</strong>" in footer


def test_over_commitment_is_refused_with_the_uncommitted_balance(commissioner_client):
    allocation = AllocationFactory(amount=Decimal("1000.00"))
    CommitmentFactory(allocation=allocation, amount=Decimal("600.00"))
    url = reverse("grants:commitment_add", args=[allocation.pk])
    response = commissioner_client.post(url, _form(ContractFactory(), amount="£400.01"))
    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == [
        "Only £400.00 of this allocation is uncommitted. "
        "This commitment is £0.01 more than that: enter £400.00 or less."
    ]
    assert b'class="govuk-error-summary' in response.content
    assert GrantCommitment.objects.count() == 1
    # Exactly the balance fits.
    response = commissioner_client.post(url, _form(ContractFactory(), amount="400"))
    assert response.status_code == 302
    assert GrantCommitment.objects.count() == 2


def test_changing_a_commitment_counts_the_others_but_not_itself(commissioner_client):
    allocation = AllocationFactory(amount=Decimal("1000.00"))
    CommitmentFactory(allocation=allocation, amount=Decimal("300.00"))
    commitment = CommitmentFactory(allocation=allocation, amount=Decimal("500.00"))
    url = reverse("grants:commitment_edit", args=[commitment.pk])
    response = commissioner_client.post(url, _form(commitment.contract, amount="700"))
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("700.00")
    response = commissioner_client.post(url, _form(commitment.contract, amount="700.01"))
    assert response.status_code == 200
    assert (
        "Only £700.00 of this allocation is uncommitted"
        in (response.context["form"].errors["amount"][0])
    )
    commitment.refresh_from_db()
    assert commitment.amount == Decimal("700.00")


def test_the_service_refuses_over_commitment_even_without_the_form():
    allocation = AllocationFactory(amount=Decimal("1000.00"))
    CommitmentFactory(allocation=allocation, amount=Decimal("999.00"))
    commitment = GrantCommitment(
        allocation=allocation, service_name="Support officers", financial_year="2024/25"
    )
    commitment.amount = Decimal("1.01")
    with pytest.raises(services.OverCommitment, match="Only £1.00 of this allocation"):
        services.save_commitment(commitment=commitment)
    assert GrantCommitment.objects.count() == 1


def test_the_service_refuses_a_year_the_allocation_does_not_cover():
    from django.core.exceptions import ValidationError

    allocation = AllocationFactory(amount=Decimal("1000.00"), financial_year="2024/25")
    commitment = GrantCommitment(
        allocation=allocation,
        service_name="Support officers",
        financial_year="2025/26",
        amount=Decimal("10.00"),
    )
    with pytest.raises(ValidationError) as refused:
        services.save_commitment(commitment=commitment)
    assert refused.value.message_dict == {
        "financial_year": ["Choose a financial year this allocation covers: 2024/25."]
    }
    assert not GrantCommitment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contract": ""}, "contract", "Choose a contract, or enter the service"),
        ({"amount": "£35,368,00"}, "amount", "as an amount in pounds, for example"),
        ({"amount": "0"}, "amount", "Enter an amount greater than £0."),
        ({"amount": ""}, "amount", "Enter the amount to commit."),
        ({"financial_year": "2030/31"}, "financial_year", "Select a valid choice"),
    ],
)
def test_bad_commitment_input_is_reshown_at_the_field(
    commissioner_client, overrides, field, message
):
    allocation = AllocationFactory(financial_year="2022/23", last_financial_year="2024/25")
    url = reverse("grants:commitment_add", args=[allocation.pk])
    response = commissioner_client.post(url, _form(ContractFactory(), **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not GrantCommitment.objects.exists()


def test_a_commitment_to_a_named_service_needs_no_contract(commissioner_client):
    allocation = AllocationFactory()
    url = reverse("grants:commitment_add", args=[allocation.pk])
    data = _form(None, service_name="Commissioning support officers", amount="£50k")
    assert commissioner_client.post(url, data).status_code == 302
    commitment = GrantCommitment.objects.get()
    assert commitment.contract is None
    assert commitment.amount == Decimal("50000.00")


def test_deleting_a_commitment_asks_first_and_returns_the_money(commissioner_client):
    commitment = CommitmentFactory(amount=Decimal("382000.00"))
    url = reverse("grants:commitment_delete", args=[commitment.pk])
    page = commissioner_client.get(url)
    assert b"Yes, delete it" in page.content
    assert "will go back to the uncommitted balance" in page.content.decode()
    assert GrantCommitment.objects.exists()
    assert commissioner_client.post(url, {"reason": "Paid from PHG"}).status_code == 302
    assert not GrantCommitment.objects.exists()


def test_only_commissioners_commit_money(clerk_client, auditor_client):
    allocation = AllocationFactory()
    url = reverse("grants:commitment_add", args=[allocation.pk])
    for client in (clerk_client, auditor_client):
        assert client.post(url, _form(ContractFactory())).status_code == 403
    assert not GrantCommitment.objects.exists()


THREADS = 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_commissioners_committing_at_once_never_over_commit():
    """Each of eight £300 commitments fits alone in £1,000; three fit together.

    Without the row lock in services.save_commitment they would all read £1,000 of
    headroom at once and commit £2,400 between them.
    """
    if connection.vendor != "postgresql":
        pytest.skip("Row locking needs PostgreSQL")
    allocation = AllocationFactory(amount=Decimal("1000.00"))
    contract = ContractFactory()
    barrier = threading.Barrier(THREADS)
    refused: list[Exception] = []
    errors: list[Exception] = []

    def commit_300():
        try:
            barrier.wait()
            services.save_commitment(
                commitment=GrantCommitment(
                    allocation_id=allocation.pk,
                    contract_id=contract.pk,
                    financial_year="2024/25",
                    amount=Decimal("300.00"),
                )
            )
        except services.OverCommitment as exc:
            refused.append(exc)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=commit_300) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(refused) == THREADS - 3
    amounts = list(GrantCommitment.objects.values_list("amount", flat=True))
    assert amounts == [Decimal("300.00")] * 3


def test_the_commitments_register_filters_sorts_and_exports(commissioner_client):
    kent = CommitmentFactory(
        amount=Decimal("382000.00"), financial_year="2024/25", notes="Young people's service"
    )
    other = CommitmentFactory(amount=Decimal("1000.00"), financial_year="2024/25")
    url = reverse("grants:commitment_list")
    response = commissioner_client.get(url, {"q": kent.contract.reference})
    assert [row.record for row in response.context["table"].rows] == [kent]
    response = commissioner_client.get(url, {"sort": "amount"})
    assert [row.record for row in response.context["table"].rows] == [other, kent]
    response = commissioner_client.get(url, {"financial_year": "2023/24"})
    assert "No commitments match" in response.content.decode()
    export = commissioner_client.get(url, {"q": kent.contract.reference, "_export": "csv"})
    lines = export.getvalue().decode().strip().splitlines()
    assert len(lines) == 2 and "382000.00" in lines[1] and kent.contract.reference in lines[1]
    assert "Young people's service" in lines[1]  # in the download, not on the page
    page = commissioner_client.get(url, {"q": kent.contract.reference}).content.decode()
    assert kent.contract.reference in page and "Young people&#x27;s service" not in page


def test_the_commitments_register_runs_a_fixed_number_of_queries(
    commissioner_client, django_assert_max_num_queries
):
    for _ in range(15):
        CommitmentFactory(amount=Decimal("10.00"))
    with django_assert_max_num_queries(12):
        assert commissioner_client.get(reverse("grants:commitment_list")).status_code == 200
