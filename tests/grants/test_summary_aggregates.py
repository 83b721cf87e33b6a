"""The contract summaries add up stored figures in the database: the same queries for 2
contracts or 50, long tables paged with totals of every row, exports streamed, and the
figures equal to what contracts.rules gives."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import rules as contract_rules
from contracts.figures import figures_for
from grants import aggregates
from grants import rules as grant_rules
from tests.contracts.factories import AuthorityFactory, ContractFactory, ShareFactory
from tests.grants.factories import AllocationFactory, CommitmentFactory, FundingFactory

pytestmark = pytest.mark.django_db

D = Decimal
YEARS = {"from_year": "2024/25", "to_year": "2025/26"}
PAGES = ["summary_contracts", "summary_service_areas"]


@pytest.fixture
def northants():
    north = AuthorityFactory(name="North Northamptonshire Council", short_name="NNC")
    west = AuthorityFactory(name="West Northamptonshire Council", short_name="WNC")
    return north, west


def _shared(north, west, **kwargs):
    contract = ContractFactory(lead_authority=west, **kwargs)
    ShareFactory(contract=contract, authority=north, percentage=D("48.6"))
    ShareFactory(contract=contract, authority=west, percentage=D("51.4"))
    return contract


def _add_contracts(count: int, north, west) -> None:
    """Shared contracts spanning both years, each funded and with a grant commitment."""
    for _ in range(count):
        contract = _shared(
            north, west, start_date=date(2024, 10, 1), initial_end_date=date(2026, 3, 31)
        )
        FundingFactory(contract=contract, amount=D("1000.00"))
        CommitmentFactory(
            allocation=AllocationFactory(authority=west), contract=contract, amount=D("10.00")
        )


def _queries(client, url: str, query: dict, *, contracts: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
        assert response.status_code == 200
        if response.streaming:
            # An export's queries run as it streams: a line per contract, then the totals.
            lines = b"".join(response.streaming_content).decode().splitlines()
    if response.streaming and url == reverse("grants:summary_contracts"):
        assert len(lines) == 1 + contracts + 1
    if not response.streaming:
        assert not response.context["summary"].is_empty
    return len(queries)


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("export", [False, True], ids=["page", "csv"])
def test_a_contract_summary_runs_the_same_queries_for_2_or_50_contracts(
    commissioner_client, northants, name, export
):
    url = reverse(f"grants:{name}")
    query = YEARS | ({"_export": "csv"} if export else {})
    _add_contracts(2, *northants)
    few = _queries(commissioner_client, url, query, contracts=2)
    _add_contracts(48, *northants)
    many = _queries(commissioner_client, url, query, contracts=50)
    assert few == many
    assert many <= 14


def _csv(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_the_contracts_summary_shows_50_rows_a_page_and_totals_every_row(
    commissioner_client, northants
):
    _add_contracts(51, *northants)
    url = reverse("grants:summary_contracts")
    first = commissioner_client.get(url, YEARS).context["summary"]
    second = commissioner_client.get(url, YEARS | {"page": 2}).context["summary"]
    assert [len(s.rows) for s in (first, second)] == [51, 2]  # the rows, then the totals
    assert first.rows[-1].cells == second.rows[-1].cells
    assert (
        "Contracts 51 to 51 of 51"
        in commissioner_client.get(url, YEARS | {"page": 2}).content.decode()
    )

    rows = _csv(commissioner_client.get(url, YEARS | {"page": 2, "_export": "csv"}))
    assert len(rows) == 52  # every contract, whichever page was shown, and the totals
    *contracts, total = rows
    assert total["Contract"] == "Total"
    for column in total:
        if column != "Contract":
            # Each authority's total is the sum of its rows, to the penny.
            assert sum(D(row[column]) for row in contracts) == D(total[column]), column


def test_a_page_past_the_last_shows_the_last(commissioner_client, northants):
    _add_contracts(3, *northants)
    response = commissioner_client.get(reverse("grants:summary_contracts"), YEARS | {"page": 99})
    assert response.status_code == 200
    assert len(response.context["summary"].rows) == 4


def _rules_split(contract, weights_by_authority: dict) -> dict[tuple, Decimal]:
    """(year, authority id) → each authority's part of each year, by contracts.rules."""
    parts: dict[tuple, Decimal] = {}
    for year, amount in figures_for(contract).financial_years.items():
        for authority, part in contract_rules.split_by_shares(amount, weights_by_authority).items():
            parts[(year, authority.pk)] = part
    return parts


# Each case: shares as (authority, percentage or None, fixed amount or None); None for
# no shares (the lead authority pays it all); start, end and annual value.
CASES = {
    "lead authority only, one year": (None, date(2024, 4, 1), date(2025, 3, 31), "120000.00"),
    "lead authority only, across two financial years": (
        None, date(2024, 10, 1), date(2025, 9, 30), "100000.01",
    ),
    "shared by percentage, one year": (
        [("north", "48.6", None), ("west", "51.4", None)],
        date(2024, 4, 1), date(2025, 3, 31), "5394000.00",
    ),
    "shared by percentage, across financial years with pence to split": (
        [("north", "48.6", None), ("west", "51.4", None)],
        date(2024, 11, 15), date(2026, 2, 14), "803671.83",
    ),
    "shared by fixed amounts, across financial years": (
        [("north", None, "100000.00"), ("west", None, "300000.00")],
        date(2024, 7, 1), date(2026, 6, 30), "400000.00",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES)
def test_the_database_totals_equal_the_split_contracts_rules_gives(northants, case):
    north, west = northants
    who = {"north": north, "west": west}
    shares, start, end, annual = CASES[case]
    contract = ContractFactory(
        lead_authority=west, start_date=start, initial_end_date=end, annual_value=D(annual)
    )
    weights = {west: D(100)}
    if shares:
        weights = {}
        for name, percentage, fixed in shares:
            ShareFactory(
                contract=contract,
                authority=who[name],
                percentage=percentage and D(percentage),
                fixed_amount=fixed and D(fixed),
            )
            weights[who[name]] = D(percentage or fixed)
    expected = _rules_split(contract, weights)
    years = grant_rules.financial_years_between("2024/25", "2026/27")
    contracts = aggregates.summary_contracts()

    totals = aggregates.authority_totals(contracts, years, in_thousands=False)
    assert {(t["year"], t["authority_id"]): t["total"] for t in totals} == expected
    cells = aggregates.cells_of(contracts, years, in_thousands=False)
    assert {(year, authority): cell for _, _, _, year, authority, cell in cells} == expected
    if len(figures_for(contract).financial_years) > 1:
        assert len({year for year, _ in expected}) > 1


def test_in_thousands_each_cell_splits_the_rounded_year_as_the_councils_tables_do(northants):
    north, west = northants
    _shared(
        north,
        west,
        start_date=date(2023, 4, 1),
        initial_end_date=date(2024, 3, 31),
        annual_value=D("5394000.00"),
    )
    years = ["2023/24"]
    totals = aggregates.authority_totals(aggregates.summary_contracts(), years, in_thousands=True)
    expected = grant_rules.split_in_units(
        D("5394000.00"), {north.pk: D("48.6"), west.pk: D("51.4")}, grant_rules.THOUSAND
    )
    assert {t["authority_id"]: t["total"] for t in totals} == expected


def test_the_authority_filter_keeps_to_the_contracts_it_leads_or_shares(
    commissioner_client, northants
):
    north, west = northants
    other = AuthorityFactory(name="Kent County Council", short_name="KCC")
    _add_contracts(2, north, west)
    kent_only = ContractFactory(
        lead_authority=other, start_date=date(2024, 4, 1), initial_end_date=date(2025, 3, 31)
    )
    for name in PAGES:
        rows = _csv(
            commissioner_client.get(
                reverse(f"grants:{name}"), YEARS | {"authority": north.pk, "_export": "csv"}
            )
        )
        assert rows, name
        assert kent_only.reference not in str(rows), name
        assert not any("KCC" in column for column in rows[0]), name
    rows = _csv(
        commissioner_client.get(
            reverse("grants:summary_contracts"), YEARS | {"authority": other.pk, "_export": "csv"}
        )
    )
    assert [row["Contract"] for row in rows] == [str(kent_only), "Total"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("export", [False, True], ids=["page", "csv"])
def test_a_user_without_the_funding_role_is_refused_the_summary_and_its_csv(
    outsider_client, name, export
):
    query = {"_export": "csv"} if export else {}
    assert outsider_client.get(reverse(f"grants:{name}"), query).status_code == 403


def test_the_service_area_summary_adds_cost_funding_and_shortfall_in_the_database(
    commissioner_client, northants
):
    north, west = northants
    over = _shared(
        north,
        west,
        start_date=date(2024, 4, 1),
        initial_end_date=date(2025, 3, 31),
        annual_value=D("1000.00"),
    )
    under = _shared(
        north, west, start_date=date(2024, 4, 1), initial_end_date=date(2025, 3, 31),
        annual_value=D("1000.00"),
    )  # fmt: skip
    # One contract funded beyond its cost does not cover another's shortfall.
    FundingFactory(contract=over, amount=D("1500.00"))
    FundingFactory(contract=under, amount=D("400.00"))
    CommitmentFactory(contract=under, amount=D("100.00"))
    rows = _csv(
        commissioner_client.get(
            reverse("grants:summary_service_areas"),
            {"from_year": "2024/25", "to_year": "2024/25", "_export": "csv"},
        )
    )
    columns = ["2024/25 Cost (£)", "2024/25 Funded (£)", "2024/25 Unfunded (£)"]
    by_area = {row["Service area"]: row for row in rows}
    area = over.get_service_area_display()
    assert [by_area[area][c] for c in columns] == ["2000.00", "2000.00", "500.00"]
    assert [by_area["Total"][c] for c in columns] == ["2000.00", "2000.00", "500.00"]


def test_each_authoritys_total_is_the_sum_of_its_cells_however_the_pence_split(northants):
    north, west = northants
    east = AuthorityFactory(name="East Council", short_name="EC")
    for annual in ("100.00", "200.02", "1000.01"):
        contract = ContractFactory(
            lead_authority=west,
            start_date=date(2024, 10, 1),
            initial_end_date=date(2025, 9, 30),
            annual_value=D(annual),
        )
        for authority in (north, west, east):
            ShareFactory(contract=contract, authority=authority, percentage=None, fixed_amount=D(1))
    years = ["2024/25", "2025/26"]
    contracts = aggregates.summary_contracts()
    for in_thousands in (False, True):
        summed: dict[tuple, Decimal] = {}
        for _, _, _, year, authority, cell in aggregates.cells_of(
            contracts, years, in_thousands=in_thousands
        ):
            summed[(year, authority)] = summed.get((year, authority), D(0)) + cell
        totals = aggregates.authority_totals(contracts, years, in_thousands=in_thousands)
        assert {(t["year"], t["authority_id"]): t["total"] for t in totals} == summed
