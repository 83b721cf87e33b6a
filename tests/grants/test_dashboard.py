"""The grants panel on the home page: uncommitted money and this year's funding gaps."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from grants.dashboard import home_panel
from tests.contracts.factories import ContractFactory
from tests.grants.factories import AllocationFactory, CommitmentFactory, FundingFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2024, 7, 1))
def test_the_home_panel_lists_uncommitted_money_and_this_years_gaps(commissioner, clerk):
    current = AllocationFactory(financial_year="2024/25", amount=Decimal("1000.00"))
    CommitmentFactory(allocation=current, amount=Decimal("400.00"))
    AllocationFactory(financial_year="2023/24")  # past: not listed
    spent = AllocationFactory(financial_year="2024/25", amount=Decimal("10.00"))
    CommitmentFactory(allocation=spent, amount=Decimal("10.00"))  # fully committed
    short = ContractFactory(
        start_date=date(2024, 4, 1),
        initial_end_date=date(2025, 3, 31),
        annual_value=Decimal("1000.00"),
        annual_uplift_percent=Decimal("0"),
    )
    FundingFactory(contract=short, financial_year="2024/25", amount=Decimal("900.00"))
    panel = home_panel(commissioner)
    assert panel["financial_year"] == "2024/25"
    assert panel["allocations"] == [current]
    assert panel["uncommitted_total"] == Decimal("600.00")
    gaps = [(contract, row.label) for contract, row in panel["gaps"]]
    assert (short, "Gap of £100.00") in gaps


def test_the_home_panel_is_not_shown_to_a_user_without_grants(outsider):
    assert home_panel(outsider) is None


def _short_contract(funded: str):
    contract = ContractFactory(
        start_date=date(2024, 4, 1),
        initial_end_date=date(2025, 3, 31),
        annual_value=Decimal("1000.00"),
        annual_uplift_percent=Decimal("0"),
    )
    FundingFactory(contract=contract, financial_year="2024/25", amount=Decimal(funded))
    return contract


@time_machine.travel(date(2024, 7, 1))
def test_the_home_panel_shows_the_largest_gaps_first_and_counts_them_all(commissioner):
    contracts = [_short_contract(f"{100 * n}.00") for n in range(7)]
    covered = _short_contract("1000.00")
    committed = _short_contract("800.00")
    CommitmentFactory(contract=committed, financial_year="2024/25", amount=Decimal("200.00"))
    panel = home_panel(commissioner)
    assert panel["gap_count"] == 7
    assert [contract for contract, _ in panel["gaps"]] == contracts[:5]
    assert [row.label for _, row in panel["gaps"]][:2] == ["Gap of £1,000.00", "Gap of £900.00"]
    assert covered not in [contract for contract, _ in panel["gaps"]]


@time_machine.travel(date(2024, 7, 1))
def test_the_home_page_runs_the_same_number_of_queries_for_2_or_50_contracts_and_grants(
    commissioner_client,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    def add(count: int) -> None:
        for n in range(count):
            _short_contract(f"{n}.00")
            allocation = AllocationFactory(financial_year="2024/25", amount=Decimal("1000.00"))
            CommitmentFactory(allocation=allocation, amount=Decimal("1.00"))

    counts = []
    for count in (2, 48):
        add(count)
        with CaptureQueriesContext(connection) as queries:
            response = commissioner_client.get(reverse("home"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


@time_machine.travel(date(2024, 7, 1))
def test_the_home_panel_says_there_are_no_current_allocations_rather_than_all_committed(
    commissioner_client,
):
    AllocationFactory(financial_year="2023/24")  # past only
    page = commissioner_client.get("/").content.decode()
    assert "No grant allocations run in 2024/25 or later." in page
    assert "fully committed" not in page


@time_machine.travel(date(2024, 7, 1))
def test_the_home_panel_says_every_allocation_is_committed_only_when_one_runs(
    commissioner_client,
):
    spent = AllocationFactory(financial_year="2024/25", amount=Decimal("10.00"))
    CommitmentFactory(allocation=spent, amount=Decimal("10.00"))
    page = commissioner_client.get("/").content.decode()
    assert "Every current allocation is fully committed." in page
    assert "No grant allocations run" not in page
