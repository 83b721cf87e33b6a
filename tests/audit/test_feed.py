"""The history feed at scale: bounded queries, a bounded count, indexed filters."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.feed import FeedPaginator, audited_models
from tests.contracts.factories import AuthorityFactory, ProviderFactory
from tests.decisions.factories import DecisionFactory

pytestmark = pytest.mark.django_db

FEED = reverse("audit:changes")


def _changes(count: int) -> None:
    """``count`` changes: created providers, and decisions (whose history rows are read
    with their visibility worked out now), half and half."""
    for n in range(count // 2):
        ProviderFactory(name=f"Provider {n}")
        DecisionFactory()


def _feed_queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(FEED, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"page": "2", "per_page": "1"},
        {"sort": "history_date"},
        {"action": "+", "date_from": "2000-01-01"},
        {"_export": "csv"},
    ],
)
def test_the_feed_runs_the_same_number_of_queries_for_2_or_50_changes(auditor_client, params):
    _changes(2)
    few = _feed_queries(auditor_client, params)
    _changes(48)
    many = _feed_queries(auditor_client, params)
    assert few == many


def _labels(client, params) -> list[str]:
    response = client.get(FEED, params)
    return [row.record["label_now"] for row in response.context["table"].rows]


def _paged_labels(client, **params) -> list[str]:
    """Every label the feed's pages of 3 show, page after page."""
    labels = []
    for page in range(1, 10):
        response = client.get(FEED, {"per_page": 3, "page": page, **params})
        table = response.context["table"]
        labels += [row.record["label_now"] for row in table.page.object_list]
        if not table.page.has_next():
            return labels
    raise AssertionError("the feed did not end")


def test_pages_of_the_feed_follow_on_across_record_types_newest_or_oldest_first(
    auditor_client,
):
    # Each record type's history is read from its own table: the pages must still
    # interleave them by date without a gap or a repeat.
    authority = AuthorityFactory(name="Kent County Council")
    for n in range(5):
        ProviderFactory(name=f"P{n}")
        DecisionFactory(title=f"D{n}", authority=authority)
    newest_first = _paged_labels(auditor_client)
    oldest_first = _paged_labels(auditor_client, sort="history_date")
    assert len(newest_first) == 11
    assert oldest_first == list(reversed(newest_first))
    assert oldest_first[0] == "Kent County Council"
    assert [label[-2:] for label in oldest_first[1:]] == [
        f"{kind}{n}" for n in range(5) for kind in "PD"
    ]


def test_the_feed_counts_up_to_its_limit_and_then_says_more_than(auditor_client, monkeypatch):
    monkeypatch.setattr(FeedPaginator, "count_limit", 4)
    ProviderFactory.create_batch(3)
    body = auditor_client.get(FEED).content.decode()
    assert "3 results" in body
    ProviderFactory.create_batch(2)
    body = auditor_client.get(FEED).content.decode()
    assert "More than 4 results" in body
    assert "5 results" not in body


def test_pages_stop_at_the_counting_limit(auditor_client, monkeypatch):
    monkeypatch.setattr(FeedPaginator, "count_limit", 4)
    providers = [ProviderFactory(name=f"P{n}") for n in range(6)]
    last = auditor_client.get(FEED, {"per_page": 2, "page": 2})
    assert not last.context["table"].page.has_next()
    assert [row.record["label_now"] for row in last.context["table"].page.object_list] == [
        "P3",
        "P2",
    ]
    # A page number past the limit is shown as the first page, never an error.
    beyond = auditor_client.get(FEED, {"per_page": 2, "page": 3})
    assert beyond.status_code == 200
    assert beyond.context["table"].page.number == 1
    assert providers


def _provider_changed_at(name: str, moment: datetime) -> None:
    provider = ProviderFactory.build(name=name)
    provider._history_date = moment
    provider.save()


def test_the_date_filter_takes_whole_days_in_the_site_time_zone(auditor_client):
    # 23:30 on 30 June in London is 22:30 UTC: it belongs to 30 June, not 1 July.
    london = timezone.get_default_timezone()
    _provider_changed_at("Last thing", datetime(2025, 6, 30, 23, 30, tzinfo=london))
    _provider_changed_at("First thing", datetime(2025, 7, 1, 0, 0, tzinfo=london))
    _provider_changed_at("Day before", datetime(2025, 6, 29, 23, 59, 59, tzinfo=london))
    params = {"record_type": "contracts.provider"}
    assert _labels(
        auditor_client, {**params, "date_from": "2025-06-30", "date_to": "2025-06-30"}
    ) == ["Last thing"]
    assert _labels(auditor_client, {**params, "date_from": "2025-07-01"}) == ["First thing"]
    assert _labels(auditor_client, {**params, "date_to": "2025-06-29"}) == ["Day before"]


def test_the_latest_possible_date_filters_without_error(auditor_client):
    ProviderFactory(name="Now")
    response = auditor_client.get(FEED, {"date_to": date.max.isoformat()})
    assert response.status_code == 200
    assert "Now" in [row.record["label_now"] for row in response.context["table"].rows]


@pytest.mark.parametrize("model", audited_models(), ids=lambda m: m._meta.label_lower)
def test_every_history_table_has_indexes_for_the_feeds_filters_and_a_records_history(model):
    history = model.history.model
    indexed = {tuple(index.fields) for index in history._meta.indexes}
    assert history._meta.get_field("history_date").db_index
    assert ("history_user", "-history_date") in indexed
    assert ("history_type", "-history_date") in indexed
    assert (model._meta.pk.attname, "-history_date") in indexed


def test_option_and_share_rows_in_the_feed_name_their_contract(auditor_client):
    from tests.contracts.factories import ShareFactory, kent_contract

    contract = kent_contract(reference="KCC-PH-0042")
    ShareFactory(contract=contract, authority=contract.lead_authority)
    page = auditor_client.get(reverse("audit:changes"), {"per_page": 100}).content.decode()
    assert "KCC-PH-0042: Option 1 (24 months, pending)" in page
    assert f"KCC-PH-0042: {contract.lead_authority}" in page
