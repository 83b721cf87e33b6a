"""The public Atom feed of decisions and the forward-plan calendar, read anonymously.

Who is in the data:
- an unrestricted key decision on the forward plan, to be taken in 40 days, whose
  report is not issued yet (its text is still a draft: never shown);
- an exempt key decision (paragraph 3) on the forward plan: its number, title and
  paragraph are public, nothing else;
- an unrestricted decision with a record of decision issued (not on the plan);
- a draft no one has published, and another authority's published decision.
"""

from datetime import timedelta

import feedparser
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from decisions.models import Decision, IssuedDocument
from public import feeds
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory
from tests.decisions.issued import stored_document

# Strings that must never reach the public: drafts, and what an exempt decision withholds.
MARKERS = (
    "DRAFT-TITLE-MARKER",
    "DRAFT-REPORT-MARKER",
    "EXEMPT-SUMMARY-MARKER",
    "EXEMPT-MAKER-MARKER",
    "EXEMPT-BODY-MARKER",
    "EXEMPT-REASONS-MARKER",
    "OTHER-COUNCIL-MARKER",
)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def authority(db):
    return AuthorityFactory(name="Kent County Council", short_name="KCC")


@pytest.fixture
def published(authority, clerk, today):
    """The published decisions of ``authority``, by name."""
    planned = DecisionFactory(
        authority=authority,
        number="KCC 26/00001",
        title="Young people's substance misuse service",
        is_key_decision=True,
        decision_date=today + timedelta(days=40),
        meeting_date=today + timedelta(days=30),
        report_to="Health Reform and Public Health Cabinet Committee",
        forward_plan_published_on=today - timedelta(days=10),
        summary="DRAFT-REPORT-MARKER",
        reasons="DRAFT-REPORT-MARKER",
    )
    exempt = DecisionFactory(
        authority=authority,
        number="KCC 26/00002",
        title="Award of the sexual health contract",
        is_key_decision=True,
        decision_date=today + timedelta(days=50),
        meeting_date=today + timedelta(days=35),
        report_to="EXEMPT-BODY-MARKER",
        decision_maker="EXEMPT-MAKER-MARKER",
        forward_plan_published_on=today - timedelta(days=5),
        exempt_paragraph=3,
        public_interest_reason="EXEMPT-REASONS-MARKER",
        summary="EXEMPT-SUMMARY-MARKER",
    )
    recorded = DecisionFactory(
        authority=authority,
        number="KCC 26/00003",
        title="Extension of the health visiting contract",
        status=Decision.Status.TAKEN,
        decision_date=today - timedelta(days=3),
        published_on=today - timedelta(days=2),
    )
    stored_document(recorded, user=clerk, kind=IssuedDocument.Kind.RECORD)
    DecisionFactory(authority=authority, title="DRAFT-TITLE-MARKER", summary="DRAFT-REPORT-MARKER")
    DecisionFactory(
        authority=AuthorityFactory(name="Surrey County Council"),
        title="OTHER-COUNCIL-MARKER",
        is_key_decision=True,
        decision_date=today + timedelta(days=40),
        forward_plan_published_on=today - timedelta(days=1),
    )
    return {"planned": planned, "exempt": exempt, "recorded": recorded}


def _atom(client, authority):
    response = client.get(reverse("public:decisions_atom", kwargs={"authority": authority.pk}))
    assert response.status_code == 200
    return response


def _ics(client, authority):
    response = client.get(reverse("public:forward_plan_ics", kwargs={"authority": authority.pk}))
    assert response.status_code == 200
    return response


def _events(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


# --- Atom --------------------------------------------------------------------------------


def test_the_decisions_feed_is_valid_atom_1_0_read_without_signing_in(authority, published):
    response = _atom(Client(), authority)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Kent County Council: published decisions"


def test_the_feed_lists_the_authority_s_published_decisions_newest_first(authority, published):
    feed = feedparser.parse(_atom(Client(), authority).content)
    # The record was issued now; the exempt decision went on the plan 5 days ago, the
    # other 10 days ago. The draft and the other council's decision are not there.
    assert [entry.title for entry in feed.entries] == [
        "KCC 26/00003 Extension of the health visiting contract",
        "KCC 26/00002 Award of the sexual health contract",
        "KCC 26/00001 Young people's substance misuse service",
    ]
    updated = [entry.updated_parsed for entry in feed.entries]
    assert updated == sorted(updated, reverse=True)


def test_an_entry_is_dated_when_its_document_was_issued_or_it_went_on_the_plan(
    authority, published, today
):
    feed = feedparser.parse(_atom(Client(), authority).content)
    by_number = {entry.title[:12]: entry for entry in feed.entries}
    record = IssuedDocument.objects.get(decision=published["recorded"])
    issued = timezone.localtime(record.issued_at)
    assert by_number["KCC 26/00003"].updated == issued.isoformat()
    planned_on = (today - timedelta(days=10)).isoformat()
    assert by_number["KCC 26/00001"].updated.startswith(planned_on)


def test_an_exempt_decision_s_entry_carries_its_number_title_and_paragraph_only(
    authority, published
):
    feed = feedparser.parse(_atom(Client(), authority).content)
    entry = next(e for e in feed.entries if e.title.startswith("KCC 26/00002"))
    assert entry.summary == "Exempt under paragraph 3 of Schedule 12A"
    assert [tag.term for tag in entry.tags] == [
        "Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972"
    ]


def test_an_unrestricted_entry_says_what_the_forward_plan_says_and_never_the_draft_report(
    authority, published, today
):
    feed = feedparser.parse(_atom(Client(), authority).content)
    entry = next(e for e in feed.entries if e.title.startswith("KCC 26/00001"))
    assert "Decision maker: Dan Watkins" in entry.summary
    assert f"{(today + timedelta(days=40)):%-d %B %Y}" in entry.summary


def test_entries_link_to_the_public_decision_and_have_stable_ids(authority, published):
    first = feedparser.parse(_atom(Client(), authority).content)
    again = feedparser.parse(_atom(Client(), authority).content)
    assert [e.id for e in first.entries] == [e.id for e in again.entries]
    exempt = published["exempt"]
    entry = next(e for e in first.entries if e.title.startswith("KCC 26/00002"))
    assert entry.id == f"tag:testserver,2024:decision-{exempt.pk}"
    expected = reverse("public:decision", kwargs={"authority": authority.pk, "pk": exempt.pk})
    assert entry.link == f"http://testserver{expected}"


def test_the_feed_holds_the_newest_fifty_only(authority, today, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_ITEMS", 2)
    for days in (3, 1, 2):
        DecisionFactory(
            authority=authority,
            title=f"Planned {days} days ago",
            forward_plan_published_on=today - timedelta(days=days),
        )
    feed = feedparser.parse(_atom(Client(), authority).content)
    assert [e.title.split(" ", 1)[1] for e in feed.entries] == [
        "Planned 1 days ago",
        "Planned 2 days ago",
    ]


# --- The forward plan calendar -------------------------------------------------------------


def test_the_forward_plan_calendar_parses_and_names_the_authority(authority, published):
    response = _ics(Client(), authority)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Kent County Council: forward plan"
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]


def test_each_upcoming_key_decision_is_an_all_day_event_on_its_date(authority, published, today):
    events = _events(_ics(Client(), authority))
    planned, exempt = published["planned"], published["exempt"]
    event = events[f"decision-{planned.pk}-date@testserver"]
    assert event.decoded("DTSTART") == today + timedelta(days=40)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert event.decoded("DTEND") == today + timedelta(days=41)
    assert event.decoded("DTSTAMP")
    assert str(event["SUMMARY"]) == (
        "KCC 26/00001 Young people's substance misuse service: decision by Dan Watkins"
    )
    event = events[f"decision-{exempt.pk}-date@testserver"]
    assert event.decoded("DTSTART") == today + timedelta(days=50)
    assert str(event["SUMMARY"]) == (
        "KCC 26/00002 Award of the sexual health contract (exempt under paragraph 3)"
    )
    # Taken decisions and other councils' are not on the plan.
    assert f"decision-{published['recorded'].pk}-date@testserver" not in events
    assert len([uid for uid in events if uid.startswith("decision-")]) == 2


def test_a_meeting_is_one_event_naming_the_decisions_it_considers(authority, published, today):
    second = DecisionFactory(
        authority=authority,
        number="KCC 26/00004",
        title="Drug and alcohol treatment",
        meeting_date=today + timedelta(days=30),
        report_to="Health Reform and Public Health Cabinet Committee ",
        forward_plan_published_on=today,
    )
    events = _events(_ics(Client(), authority))
    meetings = [event for uid, event in events.items() if uid.startswith("meeting-")]
    # The exempt decision's meeting is withheld; the two unrestricted share one meeting.
    assert len(meetings) == 1
    (meeting,) = meetings
    assert str(meeting["SUMMARY"]) == "Health Reform and Public Health Cabinet Committee"
    assert meeting.decoded("DTSTART") == today + timedelta(days=30)
    description = str(meeting["DESCRIPTION"])
    assert "KCC 26/00001 Young people's substance misuse service" in description
    assert f"{second.number} {second.title}" in description
    assert str(meeting["UID"]).startswith(f"meeting-{authority.pk}-")


def test_event_uids_are_stable_from_one_fetch_to_the_next(authority, published):
    assert _events(_ics(Client(), authority)).keys() == _events(_ics(Client(), authority)).keys()


# --- Both -------------------------------------------------------------------------------


def test_no_draft_or_exempt_marker_reaches_either_feed(authority, published):
    client = Client()
    for response in (_atom(client, authority), _ics(client, authority)):
        body = response.content.decode()
        for marker in MARKERS:
            assert marker not in body


@pytest.mark.parametrize("name", ["public:decisions_atom", "public:forward_plan_ics"])
def test_an_unknown_authority_is_a_404(db, name):
    response = Client().get(reverse(name, kwargs={"authority": 999999}))
    assert response.status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["public:decisions_atom", "public:forward_plan_ics"])
def test_the_feeds_run_the_same_number_of_queries_for_2_or_20_decisions(
    authority, today, name, settings
):
    # The feed's own queries: the cache (public.cache, tested there) is left out.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    url = reverse(name, kwargs={"authority": authority.pk})
    client = Client()

    def add(count: int):
        for _ in range(count):
            DecisionFactory(
                authority=authority,
                is_key_decision=True,
                decision_date=today + timedelta(days=40),
                meeting_date=today + timedelta(days=30),
                forward_plan_published_on=today,
            )

    add(2)
    few = _queries(client, url)
    add(18)
    many = _queries(client, url)
    assert few == many
    assert few <= 4


@pytest.mark.parametrize("name", ["public:decisions_atom", "public:forward_plan_ics"])
def test_an_authoritys_feeds_are_cached_and_expire_when_it_publishes(authority, today, name):
    url = reverse(name, kwargs={"authority": authority.pk})
    client = Client()
    first = client.get(url).content
    with CaptureQueriesContext(connection) as hit:
        assert client.get(url).content == first
    assert len(hit) == 1  # the cache lookup
    DecisionFactory(
        authority=authority,
        title="Newly planned qz7",
        is_key_decision=True,
        decision_date=today + timedelta(days=40),
        forward_plan_published_on=today,
    )
    assert b"Newly planned qz7" in client.get(url).content
