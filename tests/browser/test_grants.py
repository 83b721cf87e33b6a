"""A commissioner adds a grant allocation, commits part of it to a contract and sees the
summaries change; axe-core checks every page on the way (WCAG 2.2 AA)."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from grants.models import GrantAllocation, GrantCommitment
from tests.browser.conftest import ERROR_TITLE, axe_check, sign_in
from tests.contracts.factories import AuthorityFactory, ContractFactory
from tests.grants.factories import FunderFactory, ProgrammeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def northants(commissioner):
    north = AuthorityFactory(name="North Northamptonshire Council", short_name="NNC")
    west = AuthorityFactory(name="West Northamptonshire Council", short_name="WNC")
    programme = ProgrammeFactory(
        funder=FunderFactory(),
        name="Supplemental Substance Misuse Treatment and Recovery Grant",
        short_name="SSMTRG",
    )
    contract = ContractFactory(
        reference="NWN-SM-01",
        title="Adult structured treatment",
        lead_authority=west,
        start_date=date(2024, 4, 1),
        initial_end_date=date(2026, 3, 31),
        annual_value=Decimal("5394000.00"),
        annual_uplift_percent=Decimal("0"),
    )
    return north, west, programme, contract


def _cells(page, row_label: str) -> list[str]:
    row = page.locator(
        "table.app-summary-table tr", has=page.get_by_role("rowheader", name=row_label)
    )
    return [c.strip() for c in row.first.locator("td").all_inner_texts()]


def test_a_commissioner_adds_an_allocation_commits_part_and_sees_the_summaries_change(
    page, northants
):
    north, west, programme, contract = northants
    sign_in(page, "commissioner")

    page.goto("/grants/")
    assert "No grant allocations" in page.locator("main").inner_text()
    axe_check(page)

    # Add an allocation, with a mistake first: the error summary links to the field.
    page.get_by_role("button", name="Add").click()
    axe_check(page)
    page.get_by_label("Programme").select_option(label=f"{programme} – {programme.funder.name}")
    page.get_by_label("Host or recipient authority").select_option(label=west.name)
    page.get_by_label("Financial year", exact=True).fill("2024/25")
    page.get_by_label("Amount").fill("£2,24M")
    page.get_by_label("Confirmed").check()
    page.get_by_label(f"{north.name} (%)").fill("48.6")
    page.get_by_label(f"{west.name} (%)").fill("51.4")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(ERROR_TITLE)
    assert page.locator(".govuk-error-summary a[href='#id_amount']").is_visible()
    axe_check(page)

    page.get_by_label("Amount").fill("£2.243m")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    allocation = GrantAllocation.objects.get()
    assert allocation.amount == Decimal("2243000.00")
    assert "£1,090,098.00" in page.locator("main").inner_text()  # North's 48.6%
    axe_check(page)

    # The Table 2 summary shows the new grant split between the councils.
    page.goto("/grants/summaries/grants/?units=thousands")
    label = "Supplemental Substance Misuse Treatment and Recovery Grant (SSMTRG)"
    assert _cells(page, label)[:3] == ["1,090", "1,153", "2,243"]
    assert page.locator("svg[role='img'] > title").text_content().startswith("Grant allocations")
    axe_check(page)

    page.goto("/grants/summaries/funders/")
    assert _cells(page, "Total") == ["£2,243,000.00", "£0.00", "£2,243,000.00"]
    axe_check(page)

    # Commit £382,000 of it to the contract: too much first, then the right amount.
    page.goto(allocation.get_absolute_url())
    page.get_by_role("link", name="Commit part of it").click()
    axe_check(page)
    page.get_by_label("Contract", exact=True).fill(contract.reference)  # a look-up
    page.get_by_label("Amount").fill("£2,243,000.01")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(ERROR_TITLE)
    assert (
        "Only £2,243,000.00 of this allocation is uncommitted"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert not GrantCommitment.objects.exists()
    axe_check(page)

    page.get_by_label("Amount").fill("£382,000")
    page.get_by_role("button", name="Save").click()
    assert page.locator(".govuk-notification-banner--success").is_visible()
    balance = page.locator("tfoot tr", has_text="Uncommitted").inner_text()
    assert "£1,861,000.00" in balance
    axe_check(page)

    # The funder summary now shows the commitment and the smaller balance.
    page.goto("/grants/summaries/funders/")
    assert _cells(page, "Total") == ["£2,243,000.00", "£382,000.00", "£1,861,000.00"]
    axe_check(page)

    # The contract's funding page counts the grant and flags the rest as a gap.
    page.goto(f"/grants/contracts/{contract.pk}/")
    funding = page.locator("main").inner_text()
    assert "Grant commitment" in funding
    assert "Gap of £5,012,000.00" in funding  # £5,394,000 less £382,000 in 2024/25
    axe_check(page)

    page.goto("/grants/summaries/contracts/?from_year=2024/25&to_year=2024/25")
    data = page.locator("table", has=page.get_by_text("Data for the chart")).inner_text()
    assert "382,000.00" in data and "5,012,000.00" in data
    axe_check(page)


def test_the_other_grants_pages_are_accessible(page, northants):
    from tests.grants.factories import (
        AllocationFactory,
        CommitmentFactory,
        FundingFactory,
        OutboundGrantFactory,
    )

    north, west, programme, contract = northants
    allocation = AllocationFactory(programme=programme, authority=west)
    CommitmentFactory(allocation=allocation, contract=contract, notes="Young people's service")
    FundingFactory(contract=contract)
    grant = OutboundGrantFactory()
    sign_in(page, "commissioner")
    for path in (
        "/grants/commitments/",
        "/grants/funding/",
        "/grants/summaries/service-areas/",
        "/grants/awarded/",
        grant.get_absolute_url(),
        f"/grants/awarded/{grant.pk}/edit/",
        "/grants/programmes/new/",
        "/grants/import/",
        contract.get_absolute_url(),
    ):
        page.goto(path)
        assert page.locator("h1").is_visible()
        axe_check(page)
