"""The contracts register: filters, sorting, paging, exports and query counts."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ProviderFactory,
    ShareFactory,
    kent_contract,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def _references(response) -> list[str]:
    """The references on the page shown, in order."""
    return [row.record.reference for row in response.context["table"].page.object_list]


def _full_contracts(count: int) -> None:
    """``count`` more contracts, each with every related row the register reads."""
    north = AuthorityFactory(name="North Northamptonshire Council", short_name="NNC")
    west = AuthorityFactory(name="West Northamptonshire Council", short_name="WNC")
    first = Contract.objects.count()
    for n in range(first, first + count):
        contract = ContractFactory(
            reference=f"REG-{n:03d}",
            lead_authority=west,
            provider=ProviderFactory(name=f"Provider for {n}"),
            stated_whole_life_value="£4.1m",
        )
        OptionFactory(contract=contract, sequence=1, months=24)
        OptionFactory(contract=contract, sequence=2, months=12)
        ShareFactory(contract=contract, authority=north, percentage=Decimal("48.6"))
        ShareFactory(contract=contract, authority=west, percentage=Decimal("51.4"))
        contract.subcontractors.add(ProviderFactory(name=f"Partner for {n}"))


def _queries_for(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("contracts:list"), params)
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(TODAY, tick=False)
def test_the_number_of_queries_does_not_grow_with_the_page_size(commissioner_client):
    filtered = {"status": "live", "ends_from": "01/01/2026", "q": "REG"}
    _full_contracts(10)
    with_10 = _queries_for(commissioner_client, per_page=10)
    filtered_10 = _queries_for(commissioner_client, per_page=10, **filtered)
    _full_contracts(50)
    assert (
        len(_references(commissioner_client.get(reverse("contracts:list"), {"per_page": 50}))) == 50
    )
    with_50 = _queries_for(commissioner_client, per_page=50)
    filtered_50 = _queries_for(commissioner_client, per_page=50, **filtered)
    assert with_10 == with_50
    assert filtered_10 == filtered_50


@time_machine.travel(TODAY, tick=False)
def test_the_register_lists_sorts_and_pages(commissioner_client):
    for n, value in enumerate(["300000", "100000", "200000"]):
        ContractFactory(reference=f"SORT-{n}", annual_value=Decimal(value))
    response = commissioner_client.get(reverse("contracts:list"), {"sort": "annual_value"})
    assert _references(response) == ["SORT-1", "SORT-2", "SORT-0"]
    response = commissioner_client.get(reverse("contracts:list"), {"sort": "-whole_life_value"})
    assert _references(response) == ["SORT-0", "SORT-2", "SORT-1"]
    response = commissioner_client.get(reverse("contracts:list"), {"per_page": 2, "page": 2})
    assert _references(response) == ["SORT-2"]


@time_machine.travel(TODAY, tick=False)
def test_each_filter_narrows_the_register(commissioner_client):
    kent = AuthorityFactory(name="Kent County Council", short_name="KCC")
    north = AuthorityFactory(name="North Northamptonshire Council", short_name="NNC")
    west = AuthorityFactory(name="West Northamptonshire Council", short_name="WNC")
    ContractFactory(
        reference="K-1",
        title="Young people",
        lead_authority=kent,
        provider=ProviderFactory(name="We Are With You"),
        start_date=date(2025, 2, 1),
        initial_end_date=date(2027, 1, 31),
        service_area="drug_alcohol",
        procurement_route="psr_competitive",
    )
    shared = ContractFactory(
        reference="N-1",
        title="Adult treatment",
        lead_authority=west,
        provider=ProviderFactory(name="Change Grow Live"),
        start_date=date(2018, 4, 1),
        initial_end_date=date(2024, 3, 31),
        service_area="drug_alcohol",
        procurement_route="open",
    )
    OptionFactory(contract=shared, sequence=1, months=36, status="exercised")
    ShareFactory(contract=shared, authority=north, percentage=Decimal("48.6"))
    ShareFactory(contract=shared, authority=west, percentage=Decimal("51.4"))
    ContractFactory(
        reference="E-1",
        title="Youth lot",
        lead_authority=kent,
        provider=None,
        start_date=date(2016, 4, 1),
        initial_end_date=date(2019, 3, 31),
        service_area="early_help",
        procurement_route="dps",
        lot="District lot: Dover",
    )
    cases = [
        ({}, ["K-1", "N-1"]),  # current by default: live, in extension or upcoming
        ({"status": ""}, ["K-1", "N-1"]),
        ({"status": "current"}, ["K-1", "N-1"]),
        ({"status": "all"}, ["E-1", "K-1", "N-1"]),
        ({"status": "live"}, ["K-1"]),
        ({"status": "in_extension"}, ["N-1"]),
        ({"status": "expired"}, ["E-1"]),
        ({"authority": "north northamptonshire"}, ["N-1"]),  # a sharing authority
        ({"authority": "KCC", "status": "all"}, ["E-1", "K-1"]),  # by short name
        ({"provider": "grow"}, ["N-1"]),
        ({"service_area": "early_help", "status": "all"}, ["E-1"]),
        ({"service_area": "early_help"}, []),  # expired: not current
        ({"procurement_route": "psr_competitive"}, ["K-1"]),
        ({"ends_from": "01/02/2027", "ends_to": "31/03/2027"}, ["N-1"]),  # after option 1
        ({"ends_to": "2020-01-01", "status": "all"}, ["E-1"]),
        ({"q": "dover", "status": "all"}, ["E-1"]),
        ({"q": "with you"}, ["K-1"]),  # the provider's name
    ]
    for params, expected in cases:
        response = commissioner_client.get(reverse("contracts:list"), params)
        assert _references(response) == expected, params


def test_a_bad_filter_date_is_reported_not_a_500(commissioner_client):
    ContractFactory(reference="ANY-1")
    response = commissioner_client.get(reverse("contracts:list"), {"ends_from": "31/02/2026"})
    assert response.status_code == 200
    assert response.context["filter"].form.errors["ends_from"]


def test_provider_and_authority_filters_are_text_boxes_whatever_the_number_of_providers(
    commissioner_client,
):
    for n in range(300):
        ProviderFactory(name=f"Numerous provider {n:04d}")
    ContractFactory(reference="ONE-1", provider=ProviderFactory(name="Numerous provider 0042"))
    response = commissioner_client.get(reverse("contracts:list"), {"provider": "0042"})
    html = response.content.decode()
    form = response.context["filter"].form
    assert form.fields["provider"].widget.input_type == "text"
    assert form.fields["authority"].widget.input_type == "text"
    # No provider is listed as a choice anywhere on the page.
    assert "Numerous provider 0001" not in html
    assert _references(response) == ["ONE-1"]


@time_machine.travel(TODAY, tick=False)
def test_the_register_flags_a_stated_value_that_does_not_reconcile(commissioner_client):
    kent_contract(reference="OK-1")  # £4,099,533.88 stated and computed
    kent_contract(reference="BAD-1", annual_value=Decimal("700000.00"))
    response = commissioner_client.get(reverse("contracts:list"))
    html = response.content.decode()
    assert "Agrees" in html
    assert "Mismatch" in html
    assert "stated £4,099,533.88, computed £3,570,703.51" in html
    export = commissioner_client.get(reverse("contracts:list"), {"_export": "csv"})
    rows = {r["Reference"]: r for r in csv.DictReader(io.StringIO(export.getvalue().decode()))}
    assert rows["OK-1"]["Stated value check"] == "ok"
    assert rows["BAD-1"]["Stated value check"] == (
        "mismatch: stated 4099533.88, computed 3570703.51"
    )


@time_machine.travel(TODAY, tick=False)
def test_csv_and_xlsx_exports_hold_only_the_filtered_rows_with_hidden_columns(
    commissioner_client,
):
    north = AuthorityFactory(name="North Northamptonshire Council", short_name="NNC")
    west = AuthorityFactory(name="West Northamptonshire Council", short_name="WNC")
    shared = ContractFactory(
        reference="N-1", lead_authority=west, annual_value=Decimal("5394000.00")
    )
    ShareFactory(contract=shared, authority=north, percentage=Decimal("48.6"))
    ShareFactory(contract=shared, authority=west, percentage=Decimal("51.4"))
    ContractFactory(reference="K-1")
    params = {"authority": "northamptonshire"}
    export = commissioner_client.get(reverse("contracts:list"), {**params, "_export": "csv"})
    rows = list(csv.DictReader(io.StringIO(export.getvalue().decode())))
    assert [r["Reference"] for r in rows] == ["N-1"]
    assert rows[0]["Annual value"] == "5394000.00"
    assert rows[0]["Annual value by authority"] == (
        "North Northamptonshire Council=2621484.00;West Northamptonshire Council=2772516.00"
    )
    assert rows[0]["Maximum end"] == "2027-01-31"
    xlsx = commissioner_client.get(reverse("contracts:list"), {**params, "_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active
    values = list(sheet.values)
    assert len(values) == 2
    header, row = values
    assert dict(zip(header, row, strict=True))["Reference"] == "N-1"
    assert dict(zip(header, row, strict=True))["Whole-life value"] == 10841940


@time_machine.travel(TODAY, tick=False)
def test_the_register_shows_each_authoritys_part_of_the_annual_value(commissioner_client):
    north = AuthorityFactory(name="North Northamptonshire Council", short_name="NNC")
    west = AuthorityFactory(name="West Northamptonshire Council", short_name="WNC")
    shared = ContractFactory(reference="N-1", lead_authority=west, annual_value=Decimal("300000"))
    ShareFactory(contract=shared, authority=north, percentage=Decimal("48.6"))
    ShareFactory(contract=shared, authority=west, percentage=Decimal("51.4"))
    ContractFactory(
        reference="N-2", lead_authority=west, annual_value=Decimal("93000"), provider=None
    )
    response = commissioner_client.get(
        reverse("contracts:list"), {"authority": "north northamptonshire"}
    )
    assert response.context["authority_totals"] == [
        ("North Northamptonshire Council", Decimal("145800.00")),
        ("West Northamptonshire Council", Decimal("154200.00")),
        ("Total", Decimal("300000.00")),
    ]
    html = response.content.decode()
    assert "NNC\u00a0£145,800.00" in html and "WNC\u00a0£154,200.00" in html
    response = commissioner_client.get(reverse("contracts:list"))
    # The unshared contract is all West's.
    assert response.context["authority_totals"][1] == (
        "West Northamptonshire Council",
        Decimal("247200.00"),
    )


def test_the_register_offers_add_and_import_only_to_those_who_may(
    commissioner_client, auditor_client, outsider_client
):
    ContractFactory(reference="ANY-1")
    html = commissioner_client.get(reverse("contracts:list")).content.decode()
    assert reverse("contracts:import") in html and reverse("contracts:create") in html
    html = auditor_client.get(reverse("contracts:list")).content.decode()
    assert reverse("contracts:import") not in html and reverse("contracts:create") not in html
    assert outsider_client.get(reverse("contracts:list")).status_code == 403


def test_an_empty_register_says_what_to_do(commissioner_client):
    ContractFactory(reference="ANY-1")
    response = commissioner_client.get(reverse("contracts:list"), {"q": "nothing like this"})
    html = response.content.decode()
    assert "No contracts match. Clear the filters, or add a contract." in html
    assert "<table" not in html  # no headers and sort links over nothing
    html = commissioner_client.get(reverse("contracts:list")).content.decode()
    assert "<table" in html and "No contracts match" not in html


def test_a_later_page_of_a_small_page_size_is_found(commissioner_client):
    # ListView once paged the queryset too, by 25, and answered 404 here.
    for n in range(30):
        ContractFactory(reference=f"PAGE-{n:02d}")
    response = commissioner_client.get(reverse("contracts:list"), {"per_page": 10, "page": 3})
    assert response.status_code == 200
    assert _references(response) == [f"PAGE-{n:02d}" for n in range(20, 30)]


def test_the_unfiltered_registers_totals_read_the_stored_shares_alone(commissioner_client):
    """With no filter ("All") every stored share counts, so the totals do not join back
    to the contracts (half the query at 100,000 contracts); filtered, they do, and the
    default is the current contracts."""
    west = AuthorityFactory(name="West Northamptonshire Council")
    ContractFactory(reference="T-1", lead_authority=west, annual_value=Decimal("1000"))
    for query, joins_contracts in [({"status": "all"}, False), ({}, True), ({"q": "T-1"}, True)]:
        with CaptureQueriesContext(connection) as queries:
            response = commissioner_client.get(reverse("contracts:list"), query)
        assert response.context["authority_totals"][0] == (west.name, Decimal("1000.00"))
        (totals,) = [q["sql"] for q in queries if 'SUM("contracts_sharefigures"' in q["sql"]]
        assert ('"contracts_contract"' in totals) is joins_contracts


@time_machine.travel(TODAY, tick=False)
def test_the_register_opens_on_current_contracts_says_so_and_links_to_all(commissioner_client):
    kent = AuthorityFactory(name="Kent County Council")
    ContractFactory(
        reference="LIVE-1",
        lead_authority=kent,
        annual_value=Decimal("1000"),
        start_date=date(2025, 4, 1),
        initial_end_date=date(2027, 3, 31),
    )
    ContractFactory(
        reference="SOON-1",
        lead_authority=kent,
        annual_value=Decimal("10"),
        start_date=date(2026, 9, 1),
        initial_end_date=date(2028, 3, 31),
    )
    ContractFactory(
        reference="OLD-1",
        lead_authority=kent,
        annual_value=Decimal("500"),
        start_date=date(2019, 4, 1),
        initial_end_date=date(2022, 3, 31),
    )
    response = commissioner_client.get(reverse("contracts:list"))
    assert _references(response) == ["LIVE-1", "SOON-1"]
    page = response.content.decode()
    assert "Showing current contracts: live, in extension and upcoming." in page
    assert 'href="?status=all"' in page
    # The totals leave the expired contract out as well.
    assert response.context["authority_totals"][-1] == ("Total", Decimal("1010.00"))
    everything = commissioner_client.get(reverse("contracts:list"), {"status": "all"})
    assert _references(everything) == ["LIVE-1", "OLD-1", "SOON-1"]
    assert "Showing current contracts" not in everything.content.decode()

    # The import-format download takes the same default; the import page links to all.
    def export(**params) -> str:
        response = commissioner_client.get(reverse("contracts:export"), params)
        return b"".join(response.streaming_content).decode()

    assert "OLD-1" not in export() and "LIVE-1" in export()
    assert "OLD-1" in export(status="all")
