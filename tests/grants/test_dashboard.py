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
