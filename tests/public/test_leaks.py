"""THE LEAK WALK: every URL under /public/, anonymously, after exempt and draft items
exist, greps every response (pages, files, feeds, exports) for their markers: 0 leaks.

The URL patterns come from the resolver, so a pattern added later (open data, feeds)
is walked too: each argument is filled with every real object it could name (an
authority's pk, every decision, document and attachment pk) and with numbers that
name nothing. Each list is asked with sort and filter query strings, and every link
under /public/ a page gives is followed, so the files a page links are read too.
"""

import itertools
import re
from html import unescape
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import get_resolver

from decisions.models import DecisionAttachment, IssuedDocument
from tests.public.conftest import DRAFT, EXEMPT, REG9
from tests.test_smoke import _walk

pytestmark = pytest.mark.django_db

PREFIX = "public/"
MISSING = 999_999
# Sorts and filters on every field the public tables and filters have, and searches
# for the markers themselves.
QUERIES = [
    "",
    "?sort=decision_date",
    "?sort=-decision_date",
    "?sort=decision_maker",
    "?sort=-decision_maker",
    "?sort=decision_type",
    "?sort=status",
    "?sort=-status",
    "?sort=number",
    "?sort=title",
    "?sort=classification",
    # The page repeats the query, so search by a part of each marker, in lower case.
    f"?q={EXEMPT[:-1].lower()}",
    f"?q={DRAFT[:-1].lower()}",
    "?q=sexual",
    f"?decision_maker={REG9[:-1].lower()}",
    "?status=planned",
    "?decision_type=executive_key",
    "?record_issued=true",
    "?record_issued=false",
    "?decided_from=01/01/2000",
    "?decided_to=31/12/2099",
    "?page=2&per_page=1",
    "?per_page=1",
]
# The exempt decision's money involved, as a page or a file might print it.
AMOUNTS = ("987654321", "987,654,321")
LINK = re.compile(r'(?:href|src)="([^"#]+)"')
MAX_REQUESTS = 6000


def public_routes() -> list[tuple[str, str]]:
    return [
        (name, route)
        for name, route in _walk(get_resolver().url_patterns)
        if name and route.startswith(PREFIX)
    ]


ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _candidates(world) -> dict[str, list]:
    decisions = [world.open_decision.pk, world.exempt_decision.pk, world.draft.pk]
    documents = list(IssuedDocument.objects.values_list("pk", flat=True))
    files = list(DecisionAttachment.objects.values_list("pk", flat=True))
    return {
        "authority": [world.authority.pk, world.other.pk, MISSING],
        "pk": [*decisions, *documents, MISSING],
        "attachment_pk": [*files, MISSING],
    }


def _urls_for(route: str, candidates: dict[str, list]) -> list[str]:
    """The route with each argument filled with every candidate (any argument a later
    pattern names that is not known here gets every pk known, and a missing one)."""
    every = sorted({v for values in candidates.values() for v in values})
    names = [m.group("name") for m in ARGUMENT.finditer(route)]
    choices = [candidates.get(name, every) for name in names]
    urls = []
    for values in itertools.product(*choices):
        filled = iter(values)
        urls.append("/" + ARGUMENT.sub(lambda m, filled=filled: str(next(filled)), route))
    return urls


def _body(response) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    return data.decode("utf-8", "ignore")


def _is_forward_plan(path: str) -> bool:
    # Regulation 9 publishes an exempt key decision's decision maker on the forward plan
    # (and its calendar): decisions.visibility.FORWARD_PLAN_FIELDS.
    return "forward-plan" in path or "forward_plan" in path


def walk(client: Client, world) -> tuple[dict, list[str]]:
    """Every public URL and every /public/ link they give: {url: status}, leaks."""
    candidates = _candidates(world)
    queue = []
    for _, route in public_routes():
        # Lists (an authority's pages) with every query; one record's page as it is.
        is_list = {m.group("name") for m in ARGUMENT.finditer(route)} <= {"authority"}
        for url in _urls_for(route, candidates):
            queue.extend(url + query for query in (QUERIES if is_list else [""]))
    seen: dict[str, int] = {}
    leaks = []
    while queue and len(seen) < MAX_REQUESTS:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        body = _body(response)
        found = [EXEMPT, DRAFT, *AMOUNTS]
        found += [] if _is_forward_plan(urlsplit(url).path) else [REG9]
        leaks.extend(f"{marker} in {url}" for marker in found if marker in body)
        # Links are followed from each page as first reached (without a query string):
        # its sort, page and download links, and every other public page it names.
        if "html" in response.get("Content-Type", "") and "?" not in url:
            for href in LINK.findall(body):
                target = urljoin(url, unescape(href))
                if urlsplit(target).path.startswith("/" + PREFIX) and target not in seen:
                    queue.append(target.removeprefix("http://testserver"))
    return seen, leaks


def test_the_walk_finds_no_exempt_or_draft_content_anonymously(client, world):
    seen, leaks = walk(client, world)
    print(f"{len(seen)} requests")
    assert leaks == []
    assert len(seen) < MAX_REQUESTS, "the walk was cut short"
    # Bad arguments are a 404 page, never an error.
    assert 500 not in seen.values()
    # The walk is known to read what it must: each of these pages answered 200, the
    # open decision's report and appendix were downloaded, the exempt one's page read.
    ok = {urlsplit(url).path for url, status in seen.items() if status == 200}
    a = world.authority.pk
    for path in (
        "/public/",
        f"/public/{a}/",
        f"/public/{a}/forward-plan/",
        f"/public/{a}/decisions/",
        f"/public/{a}/contracts/",
        f"/public/{a}/grants/",
        f"/public/{a}/decisions/{world.open_decision.pk}/",
        f"/public/{a}/decisions/{world.exempt_decision.pk}/",
        f"/public/{a}/documents/{world.open_report.pk}.pdf",
    ):
        assert path in ok
    assert any("/files/" in path for path in ok)
    assert 404 in seen.values()


def test_the_markers_are_there_to_find(clerk_client, world):
    """A cleared clerk's own decision page shows what the walk looks for, so a leak
    would be caught (the markers are real content, not typos)."""
    page = _body(clerk_client.get(f"/decisions/{world.exempt_decision.pk}/"))
    assert EXEMPT in page
    assert REG9 in page
    full = world.exempt_report.file.open("rb").read().decode("latin-1")
    assert EXEMPT in full


def test_the_forward_plan_publishes_what_regulation_9_requires_and_no_more(client, world):
    page = _body(client.get(f"/public/{world.authority.pk}/forward-plan/"))
    assert world.exempt_decision.title in page
    assert f"{REG9}-decision_maker" in page
    assert "Exempt under paragraph 3" in page
    assert EXEMPT not in page


def test_a_signed_in_cleared_reader_sees_only_the_public_pages_content(clerk_client, world):
    # The public site is the same for everyone: a clerk cleared for exempt information
    # reads there what the public reads.
    a = world.authority.pk
    for path in (
        f"/public/{a}/forward-plan/?sort=-decision_maker",
        f"/public/{a}/decisions/?q={EXEMPT[:-1].lower()}",
        f"/public/{a}/decisions/?status=planned",
        f"/public/{a}/decisions/{world.exempt_decision.pk}/",
        f"/public/{a}/documents/{world.exempt_report.pk}.pdf",
    ):
        body = _body(clerk_client.get(path))
        assert EXEMPT not in body, path
        assert DRAFT not in body, path
