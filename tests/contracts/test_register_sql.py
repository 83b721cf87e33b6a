"""The register in SQL: rows, sorts, filters and totals read the stored figures, in a
fixed, small number of queries; on PostgreSQL the default sort and the status filter
walk an index."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract, ContractFigures
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ProviderFactory,
    ShareFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
MAX_REGISTER_QUERIES = 10  # the session, the user and their permissions included
# The contract page: the five look-ups every signed-in page makes (session, user, the
# user's and the groups' permissions, the role in the header), six of its own (the
# contract with provider and lead authority, options, shares with their authorities,
# alliance partners, strategic priorities, one history query for all three), and the
# panels of the decisions app (one query: the links) and the grants app (two: funding
# lines and commitments). 12 was the aim; the other apps' panels make it 14.
MAX_DETAIL_QUERIES = 14


def _references(response) -> list[str]:
    return [row.record.reference for row in response.context["table"].page.object_list]


def _contracts(count: int, start: int = 0) -> None:
    north = AuthorityFactory(name="North Northamptonshire Council", short_name="NNC")
    west = AuthorityFactory(name="West Northamptonshire Council", short_name="WNC")
    for n in range(start, start + count):
        contract = ContractFactory(
            reference=f"REG-{n:03d}",
            lead_authority=west,
            provider=ProviderFactory(name=f"Provider for {n}"),
            stated_whole_life_value="£4.1m",
            annual_value=Decimal(100000 + n),
        )
        OptionFactory(contract=contract, sequence=1, months=24)
        ShareFactory(contract=contract, authority=north, percentage=Decimal("48.6"))
        ShareFactory(contract=contract, authority=west, percentage=Decimal("51.4"))
        contract.subcontractors.add(ProviderFactory(name=f"Partner for {n}"))


def _queries(client, **params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("contracts:list"), params)
    assert response.status_code == 200
    return len(queries), response


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "live", "sort": "-current_end"},
        {"sort": "whole_life_value", "q": "REG", "authority": "north", "provider": "partner"},
        {"ends_from": "01/01/2026", "ends_to": "31/12/2030", "sort": "service_area"},
    ],
    ids=["default", "status and sort", "search and text filters", "dates"],
)
def test_the_register_runs_at_most_10_queries_at_2_and_at_50_rows(client, commissioner, params):
    _contracts(55)
    client.force_login(commissioner)
    client.get(reverse("contracts:list"))  # the session's first write is not a page's
    for per_page in (2, 50):
        count, response = _queries(client, per_page=per_page, **params)
        assert len(_references(response)) == per_page
        assert count <= MAX_REGISTER_QUERIES, (per_page, count)


@time_machine.travel(TODAY, tick=False)
def test_every_sortable_column_sorts_in_the_database_with_ties_broken(commissioner_client):
    _contracts(4)
    table_columns = None
    for sort in ("contract", "lead_authority", "current_end", "-whole_life_value"):
        response = commissioner_client.get(reverse("contracts:list"), {"sort": sort})
        table_columns = response.context["table"].columns
        references = _references(response)
        assert sorted(references) == [f"REG-{n:03d}" for n in range(4)]
    sortable = [c.name for c in table_columns if c.orderable]
    assert "annual_shares" not in sortable
    for name in sortable:
        for sort in (name, f"-{name}"):
            response = commissioner_client.get(reverse("contracts:list"), {"sort": sort})
            # Sorted by the query itself: the rows come from an ordered queryset.
            data = response.context["table"].data.data
            assert data.query.order_by, sort
            assert len(_references(response)) == 4
    # Equal current ends (all four): ties in id order, reversed with the sort.
    ids = list(Contract.objects.order_by("pk").values_list("reference", flat=True))
    response = commissioner_client.get(reverse("contracts:list"), {"sort": "current_end"})
    assert _references(response) == ids
    response = commissioner_client.get(reverse("contracts:list"), {"sort": "-current_end"})
    assert _references(response) == ids[::-1]
    response = commissioner_client.get(reverse("contracts:list"), {"sort": "-annual_value"})
    assert _references(response) == ["REG-003", "REG-002", "REG-001", "REG-000"]


@time_machine.travel(TODAY, tick=False)
def test_route_and_service_area_sort_by_the_labels_shown(commissioner_client):
    ContractFactory(reference="R-1", procurement_route="dps")  # Dynamic purchasing system
    ContractFactory(reference="R-2", procurement_route="framework")  # Framework call-off
    ContractFactory(reference="R-3", procurement_route="open")  # Open tender
    ContractFactory(reference="R-4", procurement_route="psr_direct_a")  # PSR Direct Award A
    response = commissioner_client.get(reverse("contracts:list"), {"sort": "procurement_route"})
    assert _references(response) == ["R-1", "R-2", "R-3", "R-4"]
    response = commissioner_client.get(reverse("contracts:list"), {"sort": "-procurement_route"})
    assert _references(response) == ["R-4", "R-3", "R-2", "R-1"]


@time_machine.travel(TODAY, tick=False)
def test_the_register_shows_the_stored_figures_not_a_fresh_computation(commissioner_client):
    """The register reads the stored columns: a stored figure changed behind its back
    shows (then the figures are stored again, as the suite's check expects)."""
    contract = ContractFactory(reference="ONE")
    ContractFigures.objects.filter(contract=contract).update(whole_life_value=Decimal("12.34"))
    response = commissioner_client.get(reverse("contracts:list"))
    assert "£12.34" in response.content.decode()
    ContractFigures.objects.filter(contract=contract).delete()
    from contracts.figures import store_figures

    store_figures([contract.pk])


@time_machine.travel(TODAY, tick=False)
def test_the_contract_page_runs_at_most_14_queries(client, commissioner):
    _contracts(1)
    contract = Contract.objects.get()
    OptionFactory(contract=contract, sequence=2, months=12)
    client.force_login(commissioner)
    client.get(reverse("contracts:list"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(contract.get_absolute_url())
    assert response.status_code == 200
    assert len(queries) <= MAX_DETAIL_QUERIES, "\n".join(q["sql"][:200] for q in queries)


# --- PostgreSQL: the plans ---------------------------------------------------------------


def _plan(queryset) -> str:
    return queryset.explain()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's")
@time_machine.travel(TODAY, tick=False)
def test_the_default_sort_the_status_filter_and_a_stored_sort_walk_an_index(rf, commissioner):
    """With 3,000 contracts, analysed, and no planner settings changed (no
    enable_seqscan = off): the first and a later page in reference order, the expired
    ones (few) and the first page by current end each read an index."""
    from audit.bulk import bulk_create_with_history
    from contracts.figures import store_figures
    from contracts.filters import ContractFilter
    from contracts.tables import register_rows

    kent = AuthorityFactory(name="Kent County Council")
    contracts = bulk_create_with_history(
        [
            Contract(
                reference=f"PLAN-{n:05d}",
                title=f"Service {n}",
                lead_authority=kent,
                start_date=date(2020, 4, 1),
                # One in a hundred has ended; the rest run for years yet.
                initial_end_date=date(2025, 3, 31) if n % 100 == 0 else date(2035, 3, 31),
                annual_value=Decimal(1000 + n),
            )
            for n in range(3000)
        ]
    )
    assert len(contracts) == 3000
    store_figures([c.pk for c in contracts])
    with connection.cursor() as cursor:
        for table in ("contracts_contract", "contracts_contractfigures"):
            cursor.execute(f"ANALYZE {table}")

    def register(**params):
        request = rf.get("/", params)
        request.user = commissioner
        filtered = ContractFilter(params, queryset=Contract.objects.all(), request=request)
        assert filtered.is_valid()
        return register_rows(filtered.qs, TODAY)

    first_page = _plan(register().order_by("reference")[:25])
    # Page 21 of 25 rows. (Far deeper into so small a table, a sort of the whole of it
    # is cheaper, and the planner rightly chooses that.)
    deep_page = _plan(register().order_by("reference")[500:525])
    expired = _plan(register(status="expired").order_by("reference")[:25])
    by_end = _plan(register().order_by("stored__current_end", "pk")[:25])
    # Pages in reference order walk the reference index; by current end, the stored
    # figures' index: neither reads and sorts the whole contracts table.
    for name, plan in [("first page", first_page), ("later page", deep_page), ("by end", by_end)]:
        assert "Seq Scan on contracts_contract " not in plan + " ", f"{name}:\n{plan}"
    assert "contracts_contract_reference" in first_page, first_page
    assert "contracts_contract_reference" in deep_page, deep_page
    assert "figures_current_end" in by_end, by_end
    # The expired ones (1%) are found through the stored current end's index; the
    # planner may then hash-join them with the (small) contracts table.
    assert "Index Scan using figures_current_end" in expired, expired
