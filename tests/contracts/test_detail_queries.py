"""The contract page runs the same 16 queries however much is linked to the contract.

Its options, shares, modifications, subcontractors, strategic priorities, decisions
(with their other contracts), funding, grant commitments and history are all read in
the view, a fixed number of queries each; the template runs none.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts import figures
from contracts.models import StrategicPriority
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

# A signed-in commissioner's request, with nothing to save in the session:
#  1 the session; 2 the user; 3 their roles and permissions (accounts.backends);
#  4 the contract with its provider and lead authority; 5 options; 6 shares;
#  7 modifications; 8 subcontractors; 9 strategic priorities; 10 attachments (with
# their uploaders); 11 the history of the contract, its options, shares, attachments
# and modifications (one UNION); 12 the decisions panel (decisions.panels), with 13 the
# options and 14 the modifications of the contracts its decisions name (what each
# decision's ceiling counts: an option's years, a variation's change); 15 funding lines;
# 16 grant commitments. With modifications, the variations panel (psr.panels) reads
# the decisions that authorised them, one more (tests/contracts/test_modification_figures).
CONTRACT_PAGE_QUERIES = 16


def _contract_with(n: int):
    """A contract with ``n`` of everything that its page lists."""
    with figures.deferred():  # its figures stored once, not after every option and share
        return _make_contract_with(n)


def _make_contract_with(n: int):
    contract = ContractFactory(reference=f"LINKED-{n}")
    for sequence in range(1, n + 1):
        OptionFactory(contract=contract, sequence=sequence, months=12)
    for number in range(n):
        ShareFactory(
            contract=contract,
            authority=AuthorityFactory(name=f"Sharing council {n}-{number}"),
            percentage=Decimal(100) / n,
        )
    contract.subcontractors.set(
        [ProviderFactory(name=f"Alliance partner {n}-{number}") for number in range(n)]
    )
    contract.strategic_priorities.set(
        [
            StrategicPriority.objects.create(strategy=f"Strategy {n}", name=f"Priority {number}")
            for number in range(n)
        ]
    )
    for number in range(n):
        # Half exempt: an uncleared commissioner sees those by number only.
        decision = DecisionFactory(
            approved_maximum=Decimal("1000.00"),
            exempt_paragraph=3 if number % 2 else None,
            decision_date=date(2025, 1, 1 + number % 28),
        )
        DecisionContractLinkFactory(decision=decision, contract=contract)
        DecisionContractLinkFactory(decision=decision, contract=ContractFactory())
        FundingFactory(contract=contract)
        CommitmentFactory(contract=contract)
    for number in range(n):
        contract.notes = f"Reviewed {number + 1} times"
        contract.save()
    return contract


def _page(client, contract):
    """The page, and the SQL of each query it ran."""
    client.get(contract.get_absolute_url())  # the first request after sign-in saves the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(contract.get_absolute_url())
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


@time_machine.travel(TODAY, tick=False)
def test_the_contract_page_shows_50_of_everything_in_the_same_14_queries_as_2(
    commissioner_client,
):
    _, few = _page(commissioner_client, _contract_with(2))
    response, many = _page(commissioner_client, _contract_with(50))
    assert len(few) == CONTRACT_PAGE_QUERIES, "\n".join(few)
    assert len(many) == CONTRACT_PAGE_QUERIES, "\n".join(many)

    # Nothing left out to get there.
    html = response.content.decode()
    assert len(response.context["options"]) == 50
    assert len(response.context["figures"].shares) == 50
    decisions = next(p for p in response.context["panels"] if p["title"] == "Decisions")
    assert len(decisions["rows"]) == 50
    assert sum(1 for row in decisions["rows"] if row["hidden"]) == 25
    # £1,000 approved, and each decision's two contracts are worth far more.
    assert decisions["breached"]
    funding = next(p for p in response.context["panels"] if p["title"] == "Funding")
    assert len(funding["lines"]) == 100
    for text in ("Alliance partner 50-49", "Priority 49", "Sharing council 50-49"):
        assert text in html, text
    assert "Reviewed 50 times" in html
