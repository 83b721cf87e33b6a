from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import AllocationShare, GrantAllocation
from tests.contracts.factories import AuthorityFactory
from tests.grants.factories import (
    AllocationFactory,
    AllocationShareFactory,
    CommitmentFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def northants():
    return (
        AuthorityFactory(name="North Northamptonshire Council", short_name="NNC"),
        AuthorityFactory(name="West Northamptonshire Council", short_name="WNC"),
    )


def _form(programme, host, **overrides) -> dict:
    data = {
        "programme": programme.pk,
        "authority": host.pk,
        "financial_year": "2024/25",
        "last_financial_year": "",
        "amount": "£2,243,000",
        "status": "indicative",
        "conditions": "",
        "start_date": "01/04/2024",
        "end_date": "31/03/2025",
        "reason": "Table 2",
    }
    data.update(overrides)
    return data


def test_a_commissioner_adds_a_shared_allocation(commissioner_client, northants):
    north, west = northants
    programme = ProgrammeFactory(name="Supplemental Substance Misuse Treatment and Recovery Grant")
    data = _form(programme, west, **{f"share_{north.pk}": "48.6", f"share_{west.pk}": "51.4"})
    response = commissioner_client.post(reverse("grants:allocation_create"), data)
    allocation = GrantAllocation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == allocation.get_absolute_url()
    assert allocation.amount == Decimal("2243000.00")
    assert allocation.authority == west
    shares = {s.authority: s.percentage for s in allocation.shares.all()}
    assert shares == {north: Decimal("48.6"), west: Decimal("51.4")}
    assert allocation.history.latest().history_change_reason == "Table 2"
    page = commissioner_client.get(allocation.get_absolute_url())
    assert "£1,090,098.00" in page.content.decode()  # 48.6% of £2,243,000


def test_an_allocation_with_no_shares_belongs_to_its_host(commissioner_client, northants):
    _, west = northants
    programme = ProgrammeFactory()
    response = commissioner_client.post(
        reverse("grants:allocation_create"), _form(programme, west, amount="811000")
    )
    assert response.status_code == 302
    allocation = GrantAllocation.objects.get()
    assert not allocation.shares.exists()
    assert allocation.share_weights() == {west: Decimal("100")}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"financial_year": "2024/26"}, "financial_year", "Enter a financial year like 2024/25"),
        ({"amount": "£2,24M"}, "amount", "as an amount in pounds, for example"),
        ({"end_date": "31/03/2024"}, "end_date", "Enter an end date on or after the start date."),
        (
            {"last_financial_year": "2023/24"},
            "last_financial_year",
            "Enter a last financial year on or after the first.",
        ),
        ({"programme": ""}, "programme", "Choose the grant programme."),
    ],
)
def test_invalid_allocation_input_is_reshown_at_the_field(
    commissioner_client, northants, overrides, field, message
):
    data = _form(ProgrammeFactory(), northants[1])
    data.update(overrides)
    response = commissioner_client.post(reverse("grants:allocation_create"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert b'class="govuk-error-summary' in response.content
    assert not GrantAllocation.objects.exists()


def test_shares_that_do_not_add_up_to_100_are_refused(commissioner_client, northants):
    north, west = northants
    data = _form(
        ProgrammeFactory(), west, **{f"share_{north.pk}": "48.6", f"share_{west.pk}": "50"}
    )
    response = commissioner_client.post(reverse("grants:allocation_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[f"share_{north.pk}"]
    assert "The shares add up to 98.6%. They must add up to exactly 100%." in errors
    assert not GrantAllocation.objects.exists()
    assert not AllocationShare.objects.exists()


def test_a_clerk_cannot_add_or_edit_allocations(clerk_client, northants):
    allocation = AllocationFactory(amount=Decimal("1000.00"))
    response = clerk_client.post(
        reverse("grants:allocation_create"), _form(ProgrammeFactory(), northants[0])
    )
    assert response.status_code == 403
    response = clerk_client.post(
        reverse("grants:allocation_edit", args=[allocation.pk]),
        _form(allocation.programme, allocation.authority, amount="5"),
    )
    assert response.status_code == 403
    allocation.refresh_from_db()
    assert allocation.amount == Decimal("1000.00")
    assert GrantAllocation.objects.count() == 1


def test_an_auditor_reads_allocations_but_changes_nothing(auditor_client):
    allocation = AllocationFactory()
    assert auditor_client.get(allocation.get_absolute_url()).status_code == 200
    response = auditor_client.post(reverse("grants:allocation_delete", args=[allocation.pk]))
    assert response.status_code == 403
    assert GrantAllocation.objects.filter(pk=allocation.pk).exists()


def test_editing_replaces_the_shares_and_keeps_their_history(commissioner_client, northants):
    north, west = northants
    allocation = AllocationFactory(authority=west, amount=Decimal("596000.00"))
    AllocationShareFactory(allocation=allocation, authority=north, percentage=Decimal("50"))
    AllocationShareFactory(allocation=allocation, authority=west, percentage=Decimal("50"))
    data = _form(
        allocation.programme,
        west,
        amount="596000",
        **{f"share_{north.pk}": "48.6", f"share_{west.pk}": "51.4"},
    )
    response = commissioner_client.post(
        reverse("grants:allocation_edit", args=[allocation.pk]), data
    )
    assert response.status_code == 302
    shares = {s.authority: s.percentage for s in allocation.shares.all()}
    assert shares == {north: Decimal("48.6"), west: Decimal("51.4")}
    changed = AllocationShare.history.filter(allocation_id=allocation.pk, history_type="~")
    assert changed.count() == 2
    page = commissioner_client.get(allocation.get_absolute_url())
    assert "50.00 → 48.60" in page.content.decode()


def test_an_allocation_cannot_be_reduced_below_its_commitments(commissioner_client):
    allocation = AllocationFactory(amount=Decimal("1000.00"))
    CommitmentFactory(allocation=allocation, amount=Decimal("800.00"))
    response = commissioner_client.post(
        reverse("grants:allocation_edit", args=[allocation.pk]),
        _form(allocation.programme, allocation.authority, amount="700"),
    )
    assert response.status_code == 200
    assert (
        "£800.00 of this allocation is already committed"
        in (response.context["form"].errors["amount"][0])
    )
    allocation.refresh_from_db()
    assert allocation.amount == Decimal("1000.00")


def test_deleting_asks_first_then_deletes_on_post(commissioner_client):
    allocation = AllocationFactory()
    AllocationShareFactory(allocation=allocation)
    url = reverse("grants:allocation_delete", args=[allocation.pk])
    page = commissioner_client.get(url)
    assert page.status_code == 200
    assert b"Yes, delete it" in page.content
    assert GrantAllocation.objects.filter(pk=allocation.pk).exists()
    response = commissioner_client.post(url, {"reason": "Entered twice"})
    assert response.status_code == 302
    assert not GrantAllocation.objects.filter(pk=allocation.pk).exists()
    deleted = GrantAllocation.history.get(id=allocation.pk, history_type="-")
    assert deleted.history_change_reason == "Entered twice"


def test_an_allocation_with_commitments_is_not_deleted(commissioner_client):
    commitment = CommitmentFactory()
    url = reverse("grants:allocation_delete", args=[commitment.allocation_id])
    response = commissioner_client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Delete its commitments first" in response.content.decode()
    assert GrantAllocation.objects.filter(pk=commitment.allocation_id).exists()


def test_the_register_filters_sorts_shows_balances_and_exports(commissioner_client, northants):
    north, west = northants
    shared = AllocationFactory(authority=west, financial_year="2023/24", amount=Decimal("1366000"))
    AllocationShareFactory(allocation=shared, authority=north, percentage=Decimal("48.6"))
    AllocationShareFactory(allocation=shared, authority=west, percentage=Decimal("51.4"))
    CommitmentFactory(allocation=shared, amount=Decimal("366000.00"))
    AllocationFactory(authority=west, financial_year="2024/25", amount=Decimal("811000"))
    url = reverse("grants:list")
    response = commissioner_client.get(url, {"authority": north.pk})
    rows = [row.record for row in response.context["table"].rows]
    assert rows == [shared]
    assert rows[0].uncommitted_amount == Decimal("1000000.00")
    response = commissioner_client.get(url, {"sort": "amount"})
    amounts = [row.record.amount for row in response.context["table"].rows]
    assert amounts == [Decimal("811000.00"), Decimal("1366000.00")]
    response = commissioner_client.get(url, {"financial_year": "2024/25"})
    assert [r.record.financial_year for r in response.context["table"].rows] == ["2024/25"]
    export = commissioner_client.get(url, {"authority": north.pk, "_export": "csv"})
    lines = export.getvalue().decode().strip().splitlines()
    assert len(lines) == 2
    assert "1366000.00" in lines[1] and "1000000.00" in lines[1]


def test_a_bad_filter_value_is_shown_not_a_server_error(commissioner_client):
    response = commissioner_client.get(reverse("grants:list"), {"authority": "nope", "sort": "x"})
    assert response.status_code == 200


def _register_queries(client, rows: int, capture) -> int:
    for _ in range(rows):
        allocation = AllocationFactory()
        AllocationShareFactory(allocation=allocation)
        CommitmentFactory(allocation=allocation, amount=Decimal("10.00"))
    with capture() as queries:
        response = client.get(reverse("grants:list"))
    assert response.status_code == 200
    return len(queries)


def test_the_register_runs_the_same_number_of_queries_for_2_or_20_rows(
    commissioner_client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few = _register_queries(commissioner_client, 2, lambda: CaptureQueriesContext(connection))
    many = _register_queries(commissioner_client, 18, lambda: CaptureQueriesContext(connection))
    assert few == many
    with django_assert_max_num_queries(13):
        commissioner_client.get(reverse("grants:list"))


def test_the_detail_page_runs_the_same_number_of_queries_for_1_or_8_commitments(
    commissioner_client,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for commitments in (1, 8):
        allocation = AllocationFactory()
        for _ in range(commitments):
            CommitmentFactory(allocation=allocation, amount=Decimal("10.00"))
        with CaptureQueriesContext(connection) as queries:
            response = commissioner_client.get(allocation.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert "£999,920.00" in response.content.decode()  # £1m less 8 × £10
    assert counts[0] == counts[1] <= 18
