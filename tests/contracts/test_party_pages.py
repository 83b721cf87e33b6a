"""A provider's, an authority's and a funder's pages show their contracts, decisions,
grants and totals (issue 15 part 6), in a fixed number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from decisions.models import DecisionContractLink
from tests.contracts.factories import AuthorityFactory, ContractFactory, ProviderFactory
from tests.decisions.factories import DecisionFactory
from tests.grants.factories import AllocationFactory, CommitmentFactory, OutboundGrantFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(TODAY)


def _contracts(provider, authority, count: int) -> list[Contract]:
    made = []
    for n in range(count):
        made.append(
            ContractFactory(
                reference=f"K-{n:03d}",
                provider=provider,
                lead_authority=authority,
                start_date=date(2025, 4, 1),
                initial_end_date=date(2028, 3, 31) if n % 2 == 0 else date(2026, 3, 31),
                annual_value=Decimal("100000"),
            )
        )
    return made


def test_a_providers_page_totals_its_contracts_and_lists_those_ending_soonest(auditor_client):
    provider = ProviderFactory(name="Forward Trust")
    kent = AuthorityFactory(name="Kent County Council")
    contracts = _contracts(provider, kent, 4)
    partner_of = ContractFactory(reference="P-1", lead_authority=kent)
    partner_of.subcontractors.add(provider)
    ContractFactory(reference="OTHER-1", lead_authority=kent)  # someone else's

    response = auditor_client.get(reverse("contracts:provider_detail", args=[provider.pk]))
    portfolio = response.context["portfolio"]
    assert portfolio.contracts == 5  # four it delivers and one as alliance partner
    assert portfolio.current == 3  # two ended on 31 March 2026
    assert portfolio.annual_value == Decimal("200000.00") + partner_of.annual_value
    soonest = portfolio.ending_soonest
    assert {row.contract.reference for row in soonest} == {"K-000", "K-002", "P-1"}
    ends = [row.contract.stored.current_end for row in soonest]
    assert ends == sorted(ends)
    html = response.content.decode()
    assert "OTHER-1" not in html
    assert f"provider_id={provider.pk}&amp;status=all" in html
    assert contracts[0].reference in html


def test_the_register_filtered_from_a_providers_page_holds_exactly_its_contracts(auditor_client):
    provider = ProviderFactory(name="Change Grow Live")
    alike = ProviderFactory(name="Change Grow Live Services")
    kent = AuthorityFactory()
    _contracts(provider, kent, 2)
    _contracts_of_alike = ContractFactory(reference="ALIKE-1", provider=alike, lead_authority=kent)
    response = auditor_client.get(
        reverse("contracts:list"), {"provider_id": provider.pk, "status": "all"}
    )
    shown = {row.record.reference for row in response.context["table"].page.object_list}
    assert shown == {"K-000", "K-001"}
    assert _contracts_of_alike.reference not in shown


def test_an_authoritys_page_shows_its_share_its_decisions_and_its_grants(auditor_client):
    kent = AuthorityFactory(name="Kent County Council")
    provider = ProviderFactory()
    contract = _contracts(provider, kent, 1)[0]
    decision = DecisionFactory(authority=kent, title="Recommission the young people's service")
    DecisionContractLink.objects.create(decision=decision, contract=contract, kind="award")
    AllocationFactory(authority=kent, financial_year="2025/26", amount=Decimal("2243000"))

    response = auditor_client.get(reverse("contracts:authority_detail", args=[kent.pk]))
    html = response.content.decode()
    assert response.context["portfolio"].annual_value == Decimal("100000.00")
    assert "Recommission the young people" in html
    assert f"authority={kent.pk}" in html
    assert "2025/26" in html and "£2,243,000.00" in html


def test_an_exempt_decision_on_an_authoritys_page_shows_an_uncleared_user_no_date_or_status(
    commissioner_client,
):
    kent = AuthorityFactory()
    DecisionFactory(
        authority=kent,
        title="Exempt matter",
        exempt_paragraph=3,
        public_interest_reason="Commercial.",
        decision_date=date(2026, 5, 14),
    )
    html = commissioner_client.get(
        reverse("contracts:authority_detail", args=[kent.pk])
    ).content.decode()
    assert "Exempt matter" in html
    assert "14 May 2026" not in html


def test_a_providers_page_shows_grant_money_committed_to_its_contracts(auditor_client):
    provider = ProviderFactory(charity_number="1166577")
    contract = _contracts(provider, AuthorityFactory(), 1)[0]
    CommitmentFactory(contract=contract, amount=Decimal("382000"))
    OutboundGrantFactory(recipient_charity_number="1166577", amount=Decimal("5000"))
    html = auditor_client.get(
        reverse("contracts:provider_detail", args=[provider.pk])
    ).content.decode()
    assert "£382,000.00" in html
    assert "Grants the council awarded to it: 1, £5,000.00" in html


def test_a_funders_page_lists_its_programmes_and_years(auditor_client):
    allocation = AllocationFactory(financial_year="2024/25", amount=Decimal("11424253"))
    funder = allocation.programme.funder
    response = auditor_client.get(reverse("grants:funder_detail", args=[funder.pk]))
    html = response.content.decode()
    assert allocation.programme.name in html
    assert "2024/25" in html and "£11,424,253.00" in html
    listed = auditor_client.get(reverse("grants:funder_list"))
    assert funder.name in listed.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["contracts:provider_detail", "contracts:authority_detail"])
def test_a_party_page_runs_the_same_queries_for_2_and_50_contracts(auditor_client, page):
    counts = []
    for size in (2, 50):
        provider = ProviderFactory()
        authority = AuthorityFactory()
        for n in range(size):
            contract = ContractFactory(
                reference=f"{page[-15:]}-{size}-{n}", provider=provider, lead_authority=authority
            )
            decision = DecisionFactory(authority=authority)
            DecisionContractLink.objects.create(decision=decision, contract=contract, kind="award")
            CommitmentFactory(contract=contract)
        subject = provider if page == "contracts:provider_detail" else authority
        counts.append(_queries(auditor_client, reverse(page, args=[subject.pk])))
    assert counts[0] == counts[1]
