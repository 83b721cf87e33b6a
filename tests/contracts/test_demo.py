"""The demo data holds every contract in the seed reports with the reports' figures."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from contracts import demo
from contracts.figures import figures_for
from contracts.models import Contract

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)

# Seed 001, Table 1: annual contract values in £000s (North 48.6%, West 51.4%, total).
NORTHANTS_TABLE_1 = {
    demo.NORTHANTS_ADULT_TREATMENT_REFERENCE: (2622, 2772, 5394),
    demo.NORTHANTS_YOUNG_PEOPLE_REFERENCE: (146, 154, 300),
    demo.NORTHANTS_RECOVERY_REFERENCE: (389, 411, 800),
    demo.NORTHANTS_FAMILY_SUPPORT_REFERENCE: (78, 82, 160),
    demo.NORTHANTS_YOUTH_OFFENDERS_REFERENCE: (39, 41, 80),
    demo.NORTHANTS_WORKFORCE_TRAINING_REFERENCE: (76, 80, 156),
    demo.NORTHANTS_CASE_MANAGEMENT_REFERENCE: (45, 48, 93),
}
NORTHANTS_TABLE_1_TOTAL = (3395, 3588, 6983)
THOUSAND = Decimal("1000")


@pytest.fixture
def loaded(db):
    demo.load()


def _contract(reference: str) -> Contract:
    return Contract.objects.with_related().get(reference=reference)


@time_machine.travel(TODAY, tick=False)
def test_the_kent_young_peoples_service_passes_the_seed_check(loaded):
    contract = _contract(demo.KENT_YP_REFERENCE)
    figures = figures_for(contract, today=TODAY)
    assert figures.whole_life_value == Decimal("4099533.88")
    assert figures.maximum_end == date(2030, 1, 31)
    assert [y.amount for y in figures.years] == [
        Decimal("803671.80"),
        Decimal("811708.52"),
        Decimal("819825.60"),
        Decimal("828023.86"),
        Decimal("836304.10"),
    ]
    assert figures.reconciliation.ok
    assert [(o.months, o.status) for o in contract.options.all()] == [
        (24, "pending"),
        (12, "pending"),
    ]


@time_machine.travel(TODAY, tick=False)
def test_the_kent_seed_figures_show_on_the_register_and_the_contract_page(
    loaded, commissioner_client
):
    register = commissioner_client.get(reverse("contracts:list"), {"q": demo.KENT_YP_REFERENCE})
    (row,) = [r.record for r in register.context["table"].page.object_list]
    assert row.stored.whole_life_value == Decimal("4099533.88")
    assert "£4,099,533.88" in register.content.decode()
    page = commissioner_client.get(row.get_absolute_url()).content.decode()
    assert "£4,099,533.88" in page and "31 January 2030" in page


@time_machine.travel(TODAY, tick=False)
def test_the_predecessor_contract_carries_its_ten_month_extension(loaded):
    contract = _contract(demo.KENT_YP_PREDECESSOR_REFERENCE)
    (option,) = contract.options.all()
    assert (option.months, option.status) == (10, "exercised")
    assert "23/00032" in option.reason
    figures = figures_for(contract, today=TODAY)
    assert figures.current_end == date(2025, 1, 31)
    assert contract.provider.name == "We Are With You"


@time_machine.travel(TODAY, tick=False)
def test_the_northamptonshire_register_matches_table_1(loaded, commissioner_client):
    response = commissioner_client.get(
        reverse("contracts:list"),
        {"authority": "North Northamptonshire", "per_page": 50, "status": "all"},
    )
    rows = {r.record.reference: r.record for r in response.context["table"].page.object_list}
    assert set(rows) == set(NORTHANTS_TABLE_1)
    for reference, (north, west, total) in NORTHANTS_TABLE_1.items():
        stored_shares = rows[reference].stored_shares.all()
        shares = {s.authority.short_name: s.annual for s in stored_shares}
        assert [s.label for s in stored_shares] == ["48.6%", "51.4%"]
        # Table 1 rounds each figure to £000s, so each agrees to within £1k.
        assert abs(shares["NNC"] - north * THOUSAND) < THOUSAND, reference
        assert abs(shares["WNC"] - west * THOUSAND) < THOUSAND, reference
        assert rows[reference].annual_value == total * THOUSAND
        assert shares["NNC"] + shares["WNC"] == total * THOUSAND
    totals = dict(response.context["authority_totals"])
    north_total, west_total, grand_total = NORTHANTS_TABLE_1_TOTAL
    assert totals["Total"] == grand_total * THOUSAND
    # The table's totals add its rounded rows, so they agree to £1k a row.
    rows_count = len(NORTHANTS_TABLE_1)
    assert abs(totals["North Northamptonshire Council"] - north_total * THOUSAND) < (
        rows_count * THOUSAND
    )
    assert abs(totals["West Northamptonshire Council"] - west_total * THOUSAND) < (
        rows_count * THOUSAND
    )
    html = response.content.decode()
    assert "NNC\u00a0£2,621,484.00" in html and "WNC\u00a0£2,772,516.00" in html
    assert "£6,983,000.00" in html


@time_machine.travel(TODAY, tick=False)
def test_the_northamptonshire_extension_rights_are_recorded(loaded):
    adult = _contract(demo.NORTHANTS_ADULT_TREATMENT_REFERENCE)
    assert [(o.months, o.status) for o in adult.options.all()] == [(24, "exercised")]
    assert figures_for(adult, today=TODAY).current_end == date(2026, 3, 31)
    family = _contract(demo.NORTHANTS_FAMILY_SUPPORT_REFERENCE)
    assert list(family.options.all()) == []
    assert family.lead_authority.name == "West Northamptonshire Council"


def test_southend_treatment_is_led_by_forward_trust_with_open_road(loaded):
    contract = _contract(demo.SOUTHEND_TREATMENT_REFERENCE)
    assert contract.provider.name == "The Forward Trust"
    assert [p.name for p in contract.subcontractors.all()] == ["Open Road Visions"]
    assert contract.lead_authority.name == "Southend-on-Sea City Council"


@time_machine.travel(TODAY, tick=False)
def test_kents_2016_early_help_services_and_lots(loaded):
    references = (
        demo.KENT_YOUTH_LOT_REFERENCES
        + (demo.KENT_YOUNG_CARERS_REFERENCE, demo.KENT_EMOTIONAL_WELLBEING_REFERENCE)
        + demo.KENT_FAMILY_SUPPORT_REFERENCES
    )
    contracts = {c.reference: c for c in Contract.objects.with_related()}
    assert set(references) <= set(contracts)
    youth = [contracts[r] for r in demo.KENT_YOUTH_LOT_REFERENCES]
    assert len(youth) == 12
    assert sum(c.annual_value for c in youth) == Decimal("1200000.00")  # "£1.2m, 12 lots"
    family = [contracts[r] for r in demo.KENT_FAMILY_SUPPORT_REFERENCES]
    assert sum(c.annual_value for c in family) == Decimal("3600000.00")  # 4 areas, £3.6m
    for contract in youth + family:
        # Three years with an option to extend for a further year.
        assert [o.months for o in contract.options.all()] == [12]
        assert figures_for(contract, today=TODAY).maximum_end.year - contract.start_date.year == 4


def test_loading_twice_adds_no_records_and_no_history(loaded):
    counts = (Contract.objects.count(), Contract.history.count())
    demo.load()
    assert (Contract.objects.count(), Contract.history.count()) == counts
