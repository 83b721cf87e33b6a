"""Cache-Control: no-store on every response to a signed-in user: every page from the
URL resolver, every export those pages link, PDFs, the admin and error pages."""

import re
from html import unescape
from urllib.parse import urljoin

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory
from tests.test_smoke import _url_for, all_routes, sample_objects  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

EXPORT_LINK = re.compile(r'href="([^"]*_export=[^"]*)"')
ADMIN_PAGES = ["/admin/", "/admin/accounts/user/", "/admin/contracts/provider/"]


def _export_links(page_url: str, response) -> set[str]:
    hrefs = EXPORT_LINK.findall(response.content.decode())
    return {urljoin(page_url, unescape(href)) for href in hrefs}


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "role", ["commissioner_client", "clerk_client", "auditor_client", "outsider_client"]
)
def test_every_response_to_a_signed_in_user_is_no_store(request, role, sample_objects):  # noqa: F811
    client = request.getfixturevalue(role)
    seen, exports, failures = 0, set(), []
    for name, route in all_routes():
        url = _url_for(name, route, sample_objects)
        response = client.get(url)
        seen += 1
        if not _no_store(response):
            failures.append(f"{name} {url}: {response.status_code} {response.get('Cache-Control')}")
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            exports.update(_export_links(url, response))
    for url in sorted(exports):
        response = client.get(url)
        seen += 1
        if not _no_store(response):
            failures.append(f"export {url}: {response.status_code}")
    assert seen > 50
    assert failures == []


def test_exports_and_pdfs_are_among_the_responses_walked(clerk_client, sample_objects):  # noqa: F811
    # So that the walk above is known to reach them.
    kinds, exports = set(), set()
    for name, route in all_routes():
        url = _url_for(name, route, sample_objects)
        response = clerk_client.get(url)
        kinds.add(response.get("Content-Type", "").split(";")[0])
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            exports.update(_export_links(url, response))
    for url in exports:
        kinds.add(clerk_client.get(url).get("Content-Type", "").split(";")[0])
    assert "application/pdf" in kinds
    assert "text/csv" in kinds
    assert len(exports) >= 4


def test_the_admin_pages_are_no_store(roles):
    client = Client()
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    for url in ADMIN_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
