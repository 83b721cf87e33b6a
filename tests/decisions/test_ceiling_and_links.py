"""The ceiling check, flagged on the decision and on the contract, and decision links."""

from decimal import Decimal

import pytest
from django.urls import reverse

from decisions.models import DecisionContractLink, DecisionRelation
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import DecisionContractLinkFactory, DecisionFactory

pytestmark = pytest.mark.django_db

# The seed contract: £803,671.80 a year, 1% uplift from year two, 24 months then options
# of 24 and 12 months: whole-life value £4,099,533.88.
WHOLE_LIFE = Decimal("4099533.88")


@pytest.fixture
def contract():
    from tests.contracts.factories import OptionFactory

    contract = ContractFactory(reference="KCC-PH-YPDA-2025")
    OptionFactory(contract=contract, sequence=1, months=24)
    OptionFactory(contract=contract, sequence=2, months=12)
    return contract


def test_the_seed_contract_is_within_a_ceiling_of_its_whole_life_value(
    commissioner_client, contract
):
    decision = DecisionFactory(number="24/00056", approved_maximum=WHOLE_LIFE)
    DecisionContractLinkFactory(decision=decision, contract=contract)
    page = commissioner_client.get(decision.get_absolute_url())
    assert page.context["ceiling"].total == WHOLE_LIFE
    assert not page.context["ceiling"].breached
    assert "Within the ceiling" in page.content.decode()


def test_a_breach_is_flagged_on_the_decision_and_on_the_contract(commissioner_client, contract):
    decision = DecisionFactory(number="24/00056", approved_maximum=Decimal("4000000.00"))
    DecisionContractLinkFactory(decision=decision, contract=contract)
    html = commissioner_client.get(decision.get_absolute_url()).content.decode()
    assert "exceed its approved maximum of £4,000,000.00 by £99,533.88" in html
    assert "Over by £99,533.88" in html
    html = commissioner_client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "The contracts under a decision exceed the maximum value it approved." in html
    assert "Over the approved £4,000,000.00 by £99,533.88" in html


def test_links_that_name_nothing_authorised_count_nothing_and_an_award_counts_once(contract):
    from decisions.figures import ceiling_for

    decision = DecisionFactory(approved_maximum=WHOLE_LIFE)
    # An extension that authorised no option, a variation naming no modification.
    DecisionContractLinkFactory(decision=decision, contract=contract, kind="extend")
    DecisionContractLinkFactory(decision=decision, contract=contract, kind="vary")
    assert ceiling_for(decision).total == 0
    DecisionContractLinkFactory(decision=decision, contract=contract, kind="award")
    assert ceiling_for(decision).total == WHOLE_LIFE
    DecisionContractLinkFactory(decision=decision, contract=ContractFactory(), kind="award")
    assert ceiling_for(decision).breached


def test_a_clerk_links_a_contract_and_an_earlier_decision(clerk_client, contract):
    decision = DecisionFactory(number="24/00056")
    earlier = DecisionFactory(number="22/00041", authority=decision.authority)
    response = clerk_client.post(
        reverse("decisions:contract_link_add", args=[decision.pk]),
        {"contract": contract.reference, "kind": "award", "note": ""},
    )
    assert response.status_code == 302
    assert DecisionContractLink.objects.get().contract == contract
    response = clerk_client.post(
        reverse("decisions:relation_add", args=[decision.pk]),
        {"earlier": earlier.number, "kind": "relies_on"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert DecisionRelation.objects.get().earlier == earlier
    html = clerk_client.get(earlier.get_absolute_url()).content.decode()
    assert "Relied on by" in html and "24/00056" in html


def test_a_decision_cannot_rely_on_itself(clerk_client):
    decision = DecisionFactory(number="24/00056")
    response = clerk_client.post(
        reverse("decisions:relation_add", args=[decision.pk]),
        {"earlier": decision.number, "kind": "relies_on"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not DecisionRelation.objects.exists()


def test_deleting_a_part_asks_first_and_keeps_the_reason(clerk_client, contract):
    decision = DecisionFactory()
    link = DecisionContractLinkFactory(decision=decision, contract=contract)
    url = reverse("decisions:contract_link_delete", args=[decision.pk, link.pk])
    confirm = clerk_client.get(url)
    assert confirm.status_code == 200
    assert DecisionContractLink.objects.exists()
    clerk_client.post(url, {"reason": "Linked in error"})
    assert not DecisionContractLink.objects.exists()
    assert DecisionContractLink.history.latest().history_change_reason == "Linked in error"


def test_deleting_a_part_with_an_overlong_reason_is_refused_at_the_field(clerk_client, contract):
    decision = DecisionFactory()
    link = DecisionContractLinkFactory(decision=decision, contract=contract)
    url = reverse("decisions:contract_link_delete", args=[decision.pk, link.pk])
    response = clerk_client.post(url, {"reason": "x" * 1001})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert 'href="#id_reason"' in response.content.decode()
    assert DecisionContractLink.objects.filter(pk=link.pk).exists()


def test_the_ceiling_reads_each_contracts_stored_whole_life_value(contract):
    from decisions.figures import ceiling_for

    decision = DecisionFactory(approved_maximum=WHOLE_LIFE)
    DecisionContractLinkFactory(decision=decision, contract=contract)
    assert contract.stored.whole_life_value == WHOLE_LIFE
    assert ceiling_for(decision).total == WHOLE_LIFE


def test_the_decision_page_runs_the_same_number_of_queries_for_2_or_50_linked_contracts(
    commissioner_client,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    decision = DecisionFactory(approved_maximum=Decimal("1000000000.00"))
    counts = []
    for links in (2, 48):
        for _ in range(links):
            DecisionContractLinkFactory(decision=decision, contract=ContractFactory())
        with CaptureQueriesContext(connection) as queries:
            response = commissioner_client.get(decision.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert response.context["ceiling"].total == 50 * ContractFactory().stored.whole_life_value
    assert counts[0] == counts[1]
