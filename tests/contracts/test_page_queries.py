"""The home page, a provider's page and an authority's page run the same queries with 2
contracts or with 50: each list is chosen, counted and cut short by the database."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import figures
from contracts.models import Contract
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ProviderFactory,
    ShareFactory,
)
from tests.decisions.factories import DecisionContractLinkFactory, DecisionFactory
from tests.grants.factories import CommitmentFactory, FundingFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)

# A signed-in commissioner's request, with nothing to save in the session: the session,
# the user, their roles and permissions (accounts.backends), then the page's own.
# The contracts panel's two lists each prefetch their options, shares and modifications.
HOME_QUERIES = 22  # 3, and the contracts, decisions and grants panels (ui/dashboard.py)
# 3, the provider and its latest history; its contracts' totals, the soonest ending and
# their shares (contracts.portfolio); the decisions about them, counted and the latest
# (decisions.panels); the grant commitments, funding lines and grants it was awarded
# (grants.panels).
PROVIDER_QUERIES = 13
# 3, the authority and its latest history; its contracts' counts, its share's totals,
# the soonest ending and their shares; its decisions, counted and the latest; the grant
# allocations it hosts or shares, and the grants it awarded.
AUTHORITY_QUERIES = 13


def _contracts(n: int, provider, authority) -> None:
    """``n`` contracts of one provider and lead authority, each on both home-page lists
    (ending within 180 days; an option's notice due), shared, funded and decided."""
    with figures.deferred():
        for number in range(n):
            contract = ContractFactory(
                reference=f"PAGE-{n}-{number:02d}",
                provider=provider,
                lead_authority=authority,
                start_date=date(2024, 9, 1),
                initial_end_date=date(2026, 8, 31),
            )
            OptionFactory(contract=contract, sequence=1, notice_deadline=date(2026, 7, 1))
            ShareFactory(contract=contract, authority=authority, percentage=Decimal("100"))
            FundingFactory(contract=contract, financial_year="2026/27")
            CommitmentFactory(contract=contract, allocation__authority=authority)
            DecisionContractLinkFactory(
                contract=contract,
                decision=DecisionFactory(authority=authority, decision_date=date(2026, 7, 1)),
            )


def _count(client, url: str) -> int:
    client.get(url)  # the first request after sign-in saves the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if url == reverse("home"):
        # Both lists are full: the rows shown, and every contract counted.
        panel = next(p for p in response.context["panels"] if p["title"] == "Contracts")
        assert len(panel["ending"]) == len(panel["due"]) == min(Contract.objects.count(), 10)
        assert panel["ending_count"] == panel["due_count"] == Contract.objects.count()
    return len(queries)


@time_machine.travel(TODAY, tick=False)
def test_the_home_provider_and_authority_pages_run_as_many_queries_for_2_as_for_50_contracts(
    commissioner_client,
):
    counts = {}
    for n in (2, 50):
        provider = ProviderFactory(name=f"Provider of {n}")
        authority = AuthorityFactory(name=f"Council of {n}")
        _contracts(n, provider, authority)
        counts[n] = (
            _count(commissioner_client, reverse("home")),
            _count(commissioner_client, provider.get_absolute_url()),
            _count(commissioner_client, authority.get_absolute_url()),
        )
    expected = (HOME_QUERIES, PROVIDER_QUERIES, AUTHORITY_QUERIES)
    assert counts == {2: expected, 50: expected}
