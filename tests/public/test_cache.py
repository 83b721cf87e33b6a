"""The public pages' cache (public/cache.py): a second anonymous request costs the
cache lookup alone; publishing anything an authority's pages show expires them;
signed-in readers are never served from it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import DecisionFactory, RecommendationFactory
from tests.decisions.issued import stored_document
from tests.grants.factories import OutboundGrantFactory, OutboundProgrammeFactory

pytestmark = pytest.mark.django_db


def _get(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.parametrize(
    "name", ["public:forward_plan", "public:decisions", "public:contracts", "public:grants"]
)
def test_a_second_anonymous_request_costs_only_the_cache_lookup(client, world, name):
    url = reverse(name, args=[world.authority.pk]) + "?sort=-decision_date"
    first, first_queries = _get(client, url)
    second, second_queries = _get(client, url)
    assert first_queries > 1
    assert second_queries == 1
    assert second.content == first.content
    assert "max-age=300" in second["Cache-Control"]


def test_the_index_is_cached_and_expires_when_an_authority_is_added(client, world):
    from tests.contracts.factories import AuthorityFactory

    _get(client, reverse("public:index"))
    assert _get(client, reverse("public:index"))[1] == 1
    AuthorityFactory(name="Medway Council")
    response, queries = _get(client, reverse("public:index"))
    assert queries > 1
    assert "Medway Council" in response.content.decode()


def test_each_query_string_is_cached_apart(client, world):
    url = reverse("public:decisions", args=[world.authority.pk])
    _get(client, url)
    filtered, queries = _get(client, url + "?q=sexual")
    assert queries > 1
    assert world.open_decision.title not in filtered.content.decode()


def _plan(client, world) -> str:
    return reverse("public:forward_plan", args=[world.authority.pk])


def test_entering_a_decision_on_the_forward_plan_expires_the_authoritys_pages(client, world):
    _get(client, _plan(client, world))
    DecisionFactory(
        authority=world.authority,
        title="Newly planned key decision",
        is_key_decision=True,
        decision_type=Decision.Type.EXECUTIVE_KEY,
        forward_plan_published_on=timezone.localdate(),
        decision_date=timezone.localdate() + timedelta(days=30),
    )
    response, queries = _get(client, _plan(client, world))
    assert queries > 1
    assert "Newly planned key decision" in response.content.decode()


def test_changing_a_decision_expires_its_page(client, world):
    url = reverse("public:decision", args=[world.authority.pk, world.open_decision.pk])
    _get(client, url)
    world.open_decision.title = "Retitled award of the drug and alcohol service"
    world.open_decision.save()
    assert "Retitled award" in _get(client, url)[0].content.decode()


def test_issuing_a_document_expires_the_decisions_pages(client, world):
    url = reverse("public:decisions", args=[world.authority.pk])
    before = _get(client, url)[0].content.decode()
    assert world.draft.title not in before
    stored_document(world.draft, user=world.clerk, kind="record")
    after, queries = _get(client, url)
    assert queries > 1
    assert world.draft.title in after.content.decode()


@pytest.mark.parametrize("what", ["recommendation", "contract", "grant"])
def test_a_change_to_what_the_pages_show_expires_them(client, world, what):
    url = reverse("public:forward_plan", args=[world.authority.pk])
    _get(client, url)
    if what == "recommendation":
        RecommendationFactory(decision=world.open_decision)
    elif what == "contract":
        ContractFactory(lead_authority=world.authority)
    else:
        OutboundGrantFactory(programme=OutboundProgrammeFactory(authority=world.authority))
    assert _get(client, url)[1] > 1


def test_one_authority_publishing_leaves_anothers_pages_cached(client, world):
    theirs = reverse("public:forward_plan", args=[world.other.pk])
    _get(client, theirs)
    world.open_decision.save()
    assert _get(client, theirs)[1] == 1


def test_signed_in_readers_are_never_served_from_the_cache(client, clerk_client, world):
    url = _plan(client, world)
    _get(client, url)
    response, queries = _get(clerk_client, url)
    assert queries > 1
    assert "no-store" in response["Cache-Control"]
