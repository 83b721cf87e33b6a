"""The ceiling counts what a decision authorised, item by item: an award, the contract's
whole-life value at award; a variation, its change; an extension, the value of the option
periods it authorised (issue 14, part 3)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from decisions.figures import ceiling_for
from tests.contracts.factories import ContractFactory, OptionFactory
from tests.decisions.factories import DecisionContractLinkFactory, DecisionFactory
from tests.psr.variations_data import SALFORD_WHOLE_LIFE, modification, salford_contract

pytestmark = pytest.mark.django_db

# The seed contract's option periods: years 3 and 4 (option 1, 24 months) and year 5
# (option 2, 12 months) at 1% a year from year two.
OPTION_1 = Decimal("819825.60") + Decimal("828023.86")
OPTION_2 = Decimal("836304.10")


def test_a_320000_variation_of_the_salford_contract_counts_320000_not_the_contract(
    commissioner_client,
):
    contract = salford_contract(reference="SCC-DA-2026")
    assert contract.stored.original_whole_life_value == SALFORD_WHOLE_LIFE
    decision = DecisionFactory(
        authority=contract.lead_authority, approved_maximum=Decimal("45000000.00")
    )
    variation = modification(contract, lifetime_value_change=Decimal("320000.00"))
    DecisionContractLinkFactory(
        decision=decision, contract=contract, kind="vary", modification=variation
    )
    ceiling = ceiling_for(decision)
    assert ceiling.total == Decimal("320000.00")
    assert not ceiling.breached
    assert [(i.label, i.amount) for i in ceiling.items] == [
        ("Variation 1 of SCC-DA-2026", Decimal("320000.00"))
    ]
    html = commissioner_client.get(decision.get_absolute_url()).content.decode()
    assert "Variation 1 of SCC-DA-2026: £320,000.00" in html
    assert "Within the ceiling" in html
    assert "£5,951,600" not in html
    html = commissioner_client.get(reverse("contracts:detail", args=[contract.pk])).content
    assert "Variation 1 of SCC-DA-2026: £320,000.00" in html.decode()


def test_a_reduction_counts_as_negative_against_the_ceiling():
    contract = salford_contract(reference="SCC-DA-2026")
    decision = DecisionFactory(approved_maximum=Decimal("0.00"))
    cut = modification(contract, lifetime_value_change=Decimal("-100000.00"))
    DecisionContractLinkFactory(decision=decision, contract=contract, kind="vary", modification=cut)
    assert ceiling_for(decision).total == Decimal("-100000.00")
    assert not ceiling_for(decision).breached


def test_an_award_counts_the_whole_life_value_at_award_not_after_its_variations(
    commissioner_client,
):
    contract = salford_contract(reference="SCC-DA-2026")
    modification(contract, lifetime_value_change=Decimal("320000.00"))
    decision = DecisionFactory(approved_maximum=SALFORD_WHOLE_LIFE)
    DecisionContractLinkFactory(decision=decision, contract=contract, kind="award")
    ceiling = ceiling_for(decision)
    assert ceiling.total == SALFORD_WHOLE_LIFE
    assert not ceiling.breached
    html = commissioner_client.get(decision.get_absolute_url()).content.decode()
    assert "Award of SCC-DA-2026: £50,951,600.00" in html


def test_an_extension_counts_the_option_periods_the_decision_authorised(commissioner_client):
    contract = ContractFactory(reference="KCC-PH-YPDA-2025")
    decision = DecisionFactory(approved_maximum=Decimal("1000000.00"))
    OptionFactory(
        contract=contract,
        sequence=1,
        months=24,
        status="exercised",
        decided_on=date(2026, 10, 1),
        authorising_decision=decision,
    )
    # Another decision's option does not count under this one.
    OptionFactory(contract=contract, sequence=2, months=12, authorising_decision=DecisionFactory())
    DecisionContractLinkFactory(decision=decision, contract=contract, kind="extend")
    ceiling = ceiling_for(decision)
    assert [(i.label, i.amount) for i in ceiling.items] == [
        ("Option 1 of KCC-PH-YPDA-2025", OPTION_1)
    ]
    assert ceiling.total == OPTION_1
    assert ceiling.excess == OPTION_1 - Decimal("1000000.00")
    html = commissioner_client.get(decision.get_absolute_url()).content.decode()
    assert "Option 1 of KCC-PH-YPDA-2025: £1,647,849.46" in html
    assert "Over by £647,849.46" in html


def test_an_extension_authorising_both_options_lists_each():
    contract = ContractFactory(reference="KCC-PH-YPDA-2025")
    decision = DecisionFactory()
    for sequence, months in ((1, 24), (2, 12)):
        OptionFactory(
            contract=contract, sequence=sequence, months=months, authorising_decision=decision
        )
    DecisionContractLinkFactory(decision=decision, contract=contract, kind="extend")
    assert [i.amount for i in ceiling_for(decision).items] == [OPTION_1, OPTION_2]


def test_a_declined_option_counts_nothing():
    contract = ContractFactory(reference="KCC-PH-YPDA-2025")
    decision = DecisionFactory()
    OptionFactory(
        contract=contract,
        sequence=1,
        months=24,
        status="declined",
        decided_on=date(2026, 10, 1),
        authorising_decision=decision,
    )
    DecisionContractLinkFactory(decision=decision, contract=contract, kind="extend")
    line = ceiling_for(decision).lines[0]
    assert not line.counts
    assert "counts nothing" in line.note


def test_a_varies_link_naming_no_modification_counts_nothing_and_says_so(commissioner_client):
    contract = salford_contract(reference="SCC-DA-2026")
    decision = DecisionFactory(approved_maximum=Decimal("45000000.00"))
    DecisionContractLinkFactory(decision=decision, contract=contract, kind="vary")
    assert ceiling_for(decision).total == 0
    html = commissioner_client.get(decision.get_absolute_url()).content.decode()
    assert "Names no variation, so counts nothing" in html


def test_award_variation_and_extension_under_one_decision_add_up_item_by_item():
    salford = salford_contract(reference="SCC-DA-2026")
    kent = ContractFactory(reference="KCC-PH-YPDA-2025")
    decision = DecisionFactory(approved_maximum=Decimal("52000000.00"))
    OptionFactory(contract=kent, sequence=1, months=24, authorising_decision=decision)
    variation = modification(salford, lifetime_value_change=Decimal("320000.00"))
    DecisionContractLinkFactory(decision=decision, contract=salford, kind="award")
    DecisionContractLinkFactory(
        decision=decision, contract=salford, kind="vary", modification=variation
    )
    DecisionContractLinkFactory(decision=decision, contract=kent, kind="extend")
    ceiling = ceiling_for(decision)
    assert sorted((i.label, i.amount) for i in ceiling.items) == [
        ("Award of SCC-DA-2026", SALFORD_WHOLE_LIFE),
        ("Option 1 of KCC-PH-YPDA-2025", OPTION_1),
        ("Variation 1 of SCC-DA-2026", Decimal("320000.00")),
    ]
    total = SALFORD_WHOLE_LIFE + OPTION_1 + Decimal("320000.00")
    assert ceiling.total == total
    assert ceiling.excess == total - Decimal("52000000.00")


def test_the_contract_page_reads_ceilings_in_the_same_queries_for_2_or_20_variations(
    commissioner_client,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contract = salford_contract(reference="SCC-DA-2026")
    decision = DecisionFactory(approved_maximum=Decimal("45000000.00"))
    url = reverse("contracts:detail", args=[contract.pk])
    counts = []
    for variations in (2, 18):
        for _ in range(variations):
            m = modification(contract, lifetime_value_change=Decimal("1000.00"))
            DecisionContractLinkFactory(
                decision=decision, contract=contract, kind="vary", modification=m
            )
            other = ContractFactory()
            OptionFactory(contract=other, sequence=1, authorising_decision=decision)
            DecisionContractLinkFactory(decision=decision, contract=other, kind="extend")
        with CaptureQueriesContext(connection) as queries:
            response = commissioner_client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
