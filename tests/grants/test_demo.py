"""The demo grants are the seed reports' own figures (issue 5, Deliver 8)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from contracts import demo as contracts_demo
from grants.models import (
    ContractFunding,
    GrantAllocation,
    GrantCommitment,
    OutboundGrantProgramme,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(roles):
    call_command("load_demo", "--force", verbosity=0)


def _allocations(authority: str, short_name: str):
    return GrantAllocation.objects.filter(
        authority__name=authority, programme__short_name=short_name
    ).order_by("financial_year")


def test_northamptonshire_table_2_is_hosted_by_west_and_shared_48_6_to_51_4(demo):
    expected = {
        "SSMTRG": ["1366000.00", "2243000.00"],
        "HSG": ["596000.00", "596000.00"],
        "IPD": ["115000.00", "115000.00"],
    }
    for short_name, amounts in expected.items():
        allocations = _allocations("West Northamptonshire Council", short_name)
        assert [a.financial_year for a in allocations] == ["2023/24", "2024/25"]
        assert [a.amount for a in allocations] == [Decimal(x) for x in amounts]
        for allocation in allocations:
            shares = {s.authority.short_name: s.percentage for s in allocation.shares.all()}
            assert shares == {"NNC": Decimal("48.6"), "WNC": Decimal("51.4")}
    rough_sleepers = _allocations("West Northamptonshire Council", "RSDATG")
    assert [a.amount for a in rough_sleepers] == [Decimal("811000.00")] * 2
    assert all(not a.shares.exists() for a in rough_sleepers)


def test_the_pcc_contribution_sits_inside_the_6_983m(demo):
    references = contracts_demo.NORTHANTS_REFERENCES
    lines = ContractFunding.objects.filter(
        contract__reference__in=references, financial_year="2023/24"
    )
    pcc = lines.get(source=ContractFunding.Source.CONTRIBUTION)
    assert pcc.amount == Decimal("239000.00")
    assert "Police, Fire and Crime Commissioner" in pcc.contributor
    assert lines.aggregate(total=Sum("amount"))["total"] == Decimal("6983000.00")


def test_kent_ohid_grant_has_382000_committed_to_the_young_peoples_service(demo):
    allocation = GrantAllocation.objects.with_committed().get(
        authority__name="Kent County Council", amount=Decimal("11424253.00")
    )
    assert allocation.period_label == "2022/23 to 2024/25"
    assert allocation.maintain_ph_grant_baseline
    commitment = GrantCommitment.objects.get(allocation=allocation)
    assert commitment.amount == Decimal("382000.00")
    assert commitment.contract.reference in (
        contracts_demo.KENT_YP_PREDECESSOR_REFERENCE,
        contracts_demo.KENT_YP_REFERENCE,
    )
    assert allocation.uncommitted_amount == Decimal("11042253.00")


def test_southend_grants_end_when_the_report_says(demo):
    southend = "Southend-on-Sea City Council"
    (rsdatg,) = _allocations(southend, "RSDATG")
    (universal,) = _allocations(southend, "UG")
    assert rsdatg.end_date == date(2023, 3, 31)
    assert universal.end_date == date(2025, 3, 31)


def test_kents_1m_local_grants_programme_of_2016(demo):
    programme = OutboundGrantProgramme.objects.get(authority__name="Kent County Council")
    assert programme.budget == Decimal("1000000.00")
    assert programme.financial_year == "2016/17"


def test_loading_the_demo_twice_adds_no_history(demo):
    before = GrantAllocation.history.count() + GrantCommitment.history.count()
    call_command("load_demo", "--force", verbosity=0)
    assert GrantAllocation.history.count() + GrantCommitment.history.count() == before
