"""Searching decisions by number, title and the words of the report.

PostgreSQL uses stemmed full-text search on GIN indexes; SQLite matches substrings.
The tests that depend on stemming or on the index run on PostgreSQL only.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from decisions.models import Decision
from decisions.search import decision_vector, search_decisions
from tests.decisions.factories import (
    DecisionFactory,
    RecommendationFactory,
    ReportSectionFactory,
)

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)


@pytest.fixture
def decisions():
    young = DecisionFactory(
        number="24/00056",
        title="Kent Young Person Drug and Alcohol Contract Commissioning",
        summary="Young persons' services cost around £800k per annum.",
    )
    ReportSectionFactory(
        decision=young, heading="Options", body="Combine the service with adult services."
    )
    strategy = DecisionFactory(number="23/00021", title="Kent Drug and Alcohol Strategy")
    RecommendationFactory(decision=strategy, verb="ADOPT", text="the strategy for 2023-2028")
    early_help = DecisionFactory(
        number="15/00001",
        title="Early Help and Preventative Services",
        reasons="Twelve district lots for youth hubs.",
    )
    return young, strategy, early_help


def _found(client, q) -> list[str]:
    rows = client.get(reverse("decisions:list"), {"q": q, "sort": "number"}).context["table"].rows
    return [r.record.number for r in rows]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("24/00056", ["24/00056"]),
        ("00021", ["23/00021"]),
        ("Drug and Alcohol", ["23/00021", "24/00056"]),
        ("per annum", ["24/00056"]),  # the summary
        ("adult services", ["24/00056"]),  # a report section
        ("2023-2028", ["23/00021"]),  # a recommendation
        ("youth hubs", ["15/00001"]),  # the reasons
        ("nothing like this", []),
    ],
)
def test_search_finds_decisions_by_number_title_and_text(
    commissioner_client, decisions, q, expected
):
    assert _found(commissioner_client, q) == expected


@on_postgresql
def test_postgresql_search_is_stemmed_and_matches_words_anywhere(commissioner_client, decisions):
    # "commissioned" and "commissioning" share a stem; the words need not be adjacent.
    assert _found(commissioner_client, "commissioned") == ["24/00056"]
    assert _found(commissioner_client, "young commissioning") == ["24/00056"]
    assert _found(commissioner_client, "district hub") == ["15/00001"]


@on_postgresql
def test_postgresql_search_uses_the_gin_index(decisions):
    from django.contrib.postgres.search import SearchQuery

    queryset = Decision.objects.annotate(document=decision_vector()).filter(
        document=SearchQuery("drug", config="english")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert "decision_search_gin" in plan


def test_a_blank_search_returns_everything(decisions, commissioner):
    assert search_decisions(Decision.objects.all(), "  ", commissioner).count() == 3


def test_the_list_runs_a_fixed_number_of_queries_however_many_rows(
    commissioner_client, django_assert_num_queries
):
    DecisionFactory.create_batch(3)
    url = reverse("decisions:list")
    commissioner_client.get(url)  # session and permission caches
    with CaptureQueriesContext(connection) as few:
        commissioner_client.get(url)
    assert len(few.captured_queries) <= 10
    DecisionFactory.create_batch(20)
    with django_assert_num_queries(len(few.captured_queries)):
        response = commissioner_client.get(url)
    assert len(response.context["table"].page.object_list) == 23
