"""No <select> lists more than 200 options, on any page, for any role, however many rows.

Every table a form or filter chooses from is given 201 rows (contracts, providers,
authorities, decisions, programmes, allocations, users); then every page of the URL
resolver, and the admin's list, add and change pages of every model, are read as each
role. A chooser over a growing table is a text look-up (ui/lookup.py); a short closed
list stays a <select> only while it is short.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.bulk import bulk_create_with_history
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    ProviderFactory,
)
from tests.decisions.factories import DecisionFactory
from tests.grants.factories import AllocationFactory, FunderFactory, ProgrammeFactory
from tests.smoke_objects import make_sample_objects
from tests.test_smoke import _url_for, all_routes
from ui.lookup import MAX_SELECT_OPTIONS

pytestmark = pytest.mark.django_db

MANY = MAX_SELECT_OPTIONS + 1
ROLES = ["commissioner_client", "clerk_client", "auditor_client", "outsider_client"]
SELECT = re.compile(r"<select\b([^>]*)>(.*?)</select>", re.S | re.I)
OPTION = re.compile(r"<option\b", re.I)


def _bulk(objs: list) -> list:
    if hasattr(type(objs[0]), "history"):
        return bulk_create_with_history(objs)
    return type(objs[0]).objects.bulk_create(objs)


def make_many(count: int = MANY) -> None:
    """``count`` rows of every table something is chosen from, written in bulk."""
    authorities = _bulk([AuthorityFactory.build(name=f"Many Council {i}") for i in range(count)])
    providers = _bulk([ProviderFactory.build(name=f"Many Provider {i}") for i in range(count)])
    _bulk(
        [
            ContractFactory.build(
                reference=f"MANY-{i:04d}", provider=providers[i], lead_authority=authorities[i]
            )
            for i in range(count)
        ]
    )
    _bulk(
        [DecisionFactory.build(authority=authorities[i], number="25/00001") for i in range(count)]
    )
    funder = FunderFactory()
    programmes = _bulk(
        [ProgrammeFactory.build(funder=funder, name=f"Many grant {i}") for i in range(count)]
    )
    _bulk(
        [
            AllocationFactory.build(programme=programmes[i], authority=authorities[i])
            for i in range(count)
        ]
    )
    user_model = get_user_model()
    _bulk(
        [
            user_model(username=f"many{i}", first_name="Many", last_name=f"User {i}")
            for i in range(count)
        ]
    )


def too_long_selects(html: str) -> list[str]:
    found = []
    for attrs, body in SELECT.findall(html):
        options = len(OPTION.findall(body))
        if options > MAX_SELECT_OPTIONS:
            name = re.search(r'name="([^"]*)"', attrs)
            found.append(f"{name.group(1) if name else attrs.strip()}: {options} options")
    return found


@pytest.fixture
def many_rows(db):
    AuthorityFactory()
    ProviderFactory()
    routes = make_sample_objects()
    make_many()
    return routes


def test_no_page_lists_more_than_200_options_in_a_select_for_any_role(request, many_rows):
    failures = []
    pages_read = 0
    for role in ROLES:
        client = request.getfixturevalue(role)
        for name, route in all_routes():
            if name.endswith("_pdf"):
                continue  # a PDF has no form
            response = client.get(_url_for(name, route, many_rows))
            if "html" not in response.get("Content-Type", ""):
                continue
            pages_read += 1
            failures += [f"{role} {name}: {s}" for s in too_long_selects(response.content.decode())]
    assert pages_read > 100
    assert failures == []


def _admin_urls() -> list[str]:
    urls = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return urls


def test_no_admin_page_lists_more_than_200_options_in_a_select(admin_client, many_rows):
    failures = []
    pages_read = 0
    for url in _admin_urls():
        response = admin_client.get(url)
        if response.status_code == 403:
            continue  # a model the admin may not add to (history is read-only)
        assert response.status_code == 200, url
        pages_read += 1
        failures += [f"{url}: {s}" for s in too_long_selects(response.content.decode())]
    assert pages_read > 40
    assert failures == []
