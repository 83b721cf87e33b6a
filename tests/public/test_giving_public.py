"""An authority's 360Giving file is public: anyone downloads it, valid under the official
schema. With no grant awarded the address answers a helpful 404 page, never an empty
(invalid) package."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.contracts.factories import AuthorityFactory
from tests.grants.factories import OutboundGrantFactory, OutboundProgrammeFactory
from tests.grants.test_outbound import validate_package

pytestmark = pytest.mark.django_db


def _url(authority) -> str:
    return reverse("public:giving", kwargs={"authority": authority.pk})


def test_anyone_downloads_an_authoritys_grants_as_a_valid_360giving_package(client):
    kent = AuthorityFactory(name="Kent County Council")
    programme = OutboundProgrammeFactory(authority=kent)
    grants = OutboundGrantFactory.create_batch(2, programme=programme)
    OutboundGrantFactory(  # another council's
        programme=OutboundProgrammeFactory(
            authority=AuthorityFactory(name="Essex"), giving_prefix="360G-essex"
        )
    )
    response = client.get(_url(kent))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    data = json.loads(response.content)
    validate_package(data)
    assert sorted(g["id"] for g in data["grants"]) == sorted(g.giving_id for g in grants)


def test_with_no_grant_awarded_the_address_is_a_helpful_404_page(client):
    kent = AuthorityFactory(name="Kent County Council")
    OutboundGrantFactory(  # another council's grant does not make Kent's file
        programme=OutboundProgrammeFactory(authority=AuthorityFactory(name="Essex"))
    )
    response = client.get(_url(kent))
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert "Kent County Council has awarded no grants yet" in text
    assert "must list at least one grant" in text
    assert reverse("public:ocds", kwargs={"authority": kent.pk}) in text
    assert '"grants"' not in text


def test_an_unknown_authority_is_a_404_page(client):
    response = client.get(reverse("public:giving", kwargs={"authority": 999999}))
    assert response.status_code == 404


def test_a_post_is_refused(client):
    kent = AuthorityFactory(name="Kent County Council")
    OutboundGrantFactory(programme=OutboundProgrammeFactory(authority=kent))
    assert client.post(_url(kent)).status_code == 405


def _queries(client, authority, count: int) -> int:
    programme = OutboundProgrammeFactory(
        authority=authority, giving_prefix=f"360G-test{authority.pk}"
    )
    OutboundGrantFactory.create_batch(count, programme=programme, award_date=date(2026, 5, 1))
    with CaptureQueriesContext(connection) as queries:
        grants = json.loads(client.get(_url(authority)).content)["grants"]
    assert len(grants) == count
    return len(queries)


def test_the_file_runs_as_many_queries_for_20_grants_as_for_2(client):
    assert _queries(client, AuthorityFactory(name="Two"), 2) == _queries(
        client, AuthorityFactory(name="Twenty"), 20
    )
