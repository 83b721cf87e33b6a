"""Walk every page for every role and check the status each should get."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.contracts.factories import AuthorityFactory, ProviderFactory
from tests.smoke_objects import FIXED

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/",)


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else ""
            for name, route in _walk(p.url_patterns, prefix + str(p.pattern)):
                yield (ns + name if name else None), route
        elif isinstance(p, URLPattern):
            yield p.name, prefix + str(p.pattern)


def all_routes():
    return [
        (name, route)
        for name, route in _walk(get_resolver().url_patterns)
        if name and not route.startswith(SKIP_PREFIXES)
    ]


@pytest.fixture
def sample_objects(db):
    """One object of each kind, so that detail pages with a pk have something to show."""
    from tests.smoke_objects import make_sample_objects

    AuthorityFactory()
    ProviderFactory()
    return make_sample_objects()


def _url_for(name: str, route: str, objects) -> str:
    return reverse(name, args=objects.get(name) or ())


def test_every_route_is_covered_by_the_smoke_walk(sample_objects):
    missing = [n for n, r in all_routes() if n not in sample_objects and n not in FIXED]
    assert missing == []


@pytest.mark.parametrize(
    "role", ["commissioner_client", "clerk_client", "auditor_client", "outsider_client", "client"]
)
def test_every_page_answers_each_role_as_expected(request, role, sample_objects):
    client = request.getfixturevalue(role)
    failures = []
    for name, route in all_routes():
        url = _url_for(name, route, sample_objects)
        response = client.get(url)
        expected = sample_objects.expectation(name, role)
        if response.status_code not in expected:
            failures.append(f"{name} {url}: {response.status_code}, expected {expected}")
    assert failures == []


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)


@pytest.mark.parametrize("role", ["commissioner_client", "clerk_client"])
def test_every_form_carries_one_csrf_token_and_a_get_form_none(request, role, sample_objects):
    # A second token is noise; a token in a GET form would land in the address bar.
    client = request.getfixturevalue(role)
    failures = []
    forms_seen = 0
    for name, route in all_routes():
        response = client.get(_url_for(name, route, sample_objects))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        for attrs, body in FORM.findall(response.content.decode()):
            forms_seen += 1
            tokens = body.count('name="csrfmiddlewaretoken"')
            expected = 1 if re.search(r'method="post"', attrs, re.I) else 0
            if tokens != expected:
                failures.append(f"{name}: a form with {tokens} tokens, expected {expected}")
    assert forms_seen > 10
    assert failures == []
