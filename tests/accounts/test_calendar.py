"""A user's deadlines calendar: its page, its secret address, and what it shows.

Who sees what (tests/conftest.py): the commissioner reads contracts and decisions but
is not cleared for exempt information; the clerk reads both and is cleared; the
outsider has no role and reads nothing.
"""

import hashlib
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from decisions import figures
from tests.contracts.factories import ContractFactory, OptionFactory
from tests.decisions.factories import DecisionFactory

PAGE = "/users/me/calendar/"


@pytest.fixture
def today():
    return timezone.localdate()


def _make_address(client) -> str:
    """Make (or reset) the signed-in user's address; the path the page shows once."""
    response = client.post(PAGE, {"confirm": "yes"}, follow=True)
    assert response.status_code == 200
    address = response.context["address"]
    assert address.startswith("http://testserver/public/calendar/")
    return urlsplit(address).path


def _events(path: str) -> dict:
    # A calendar app: no session, no cookies.
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


# --- The page and the address ----------------------------------------------------------


def test_the_calendar_page_needs_a_sign_in(db):
    response = Client().get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_an_address_is_offered_one(outsider_client):
    response = outsider_client.get(PAGE)
    assert response.status_code == 200
    assert b"Make my calendar address" in response.content
    assert response.context["address"] == ""


def test_the_address_is_shown_once_and_only_its_hash_is_stored(commissioner_client, commissioner):
    path = _make_address(commissioner_client)
    token = path.removeprefix("/public/calendar/").removesuffix(".ics")
    commissioner.refresh_from_db()
    assert commissioner.calendar_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not User.objects.filter(calendar_token_hash=token).exists()
    again = commissioner_client.get(PAGE)
    assert again.context["address"] == ""
    assert token not in again.content.decode()
    assert b"Reset calendar address" in again.content


def test_the_calendar_works_without_a_session(commissioner_client):
    path = _make_address(commissioner_client)
    response = Client().get(path)
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Commissioning Tracker: my deadlines"
    assert response["Cache-Control"] == "private, no-store"


def test_resetting_asks_for_confirmation_first(commissioner_client, commissioner):
    _make_address(commissioner_client)
    commissioner.refresh_from_db()
    before = commissioner.calendar_token_hash
    response = commissioner_client.post(PAGE)
    assert response.status_code == 200
    assert b"Reset your calendar address?" in response.content
    commissioner.refresh_from_db()
    assert commissioner.calendar_token_hash == before


def test_a_reset_makes_the_old_address_404_and_the_new_one_work(commissioner_client):
    old = _make_address(commissioner_client)
    new = _make_address(commissioner_client)
    assert old != new
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_an_unknown_token_is_a_404(db):
    path = reverse("public:my_calendar", kwargs={"token": "not-a-token"})
    assert Client().get(path).status_code == 404


def test_a_deactivated_user_s_calendar_is_a_404(commissioner_client, commissioner):
    path = _make_address(commissioner_client)
    User.objects.filter(pk=commissioner.pk).deactivate()
    assert Client().get(path).status_code == 404


def test_the_calendar_secret_is_not_kept_in_the_user_s_history(commissioner_client, commissioner):
    _make_address(commissioner_client)
    fields = {f.name for f in User.history.model._meta.fields}
    assert "calendar_token_hash" not in fields


# --- What the calendar shows -------------------------------------------------------------


@pytest.fixture
def deadlines(db, today):
    """A contract ending in 60 days with a pending option due in 20; a decision
    published yesterday (call-in running) after an intention notice two days ago; and
    an exempt decision like it."""
    contract = ContractFactory(
        reference="KCC-YP-01",
        title="Young people's service",
        start_date=today - timedelta(days=400),
        initial_end_date=today + timedelta(days=60),
    )
    option = OptionFactory(contract=contract, sequence=1, notice_deadline=today + timedelta(20))
    decision = DecisionFactory(
        number="KCC 26/00010",
        title="Award of the young people's service",
        published_on=today - timedelta(days=1),
        intention_notice_on=today - timedelta(days=2),
    )
    exempt = DecisionFactory(
        number="KCC 26/00011",
        title="EXEMPT-TITLE",
        published_on=today - timedelta(days=1),
        intention_notice_on=today - timedelta(days=2),
        exempt_paragraph=3,
    )
    return {"contract": contract, "option": option, "decision": decision, "exempt": exempt}


def test_the_calendar_shows_notice_deadlines_contract_ends_call_in_and_standstill(
    commissioner_client, deadlines, today
):
    events = _events(_make_address(commissioner_client))
    contract, option, decision = deadlines["contract"], deadlines["option"], deadlines["decision"]
    expected = figures.deadlines_for(decision)

    event = events[f"option-{option.pk}-notice@testserver"]
    assert event.decoded("DTSTART") == today + timedelta(days=20)
    assert event["DTSTART"].params["VALUE"] == "DATE"
    assert "KCC-YP-01 Young people's service" in str(event["SUMMARY"])

    event = events[f"contract-{contract.pk}-end@testserver"]
    assert event.decoded("DTSTART") == contract.stored.current_end == today + timedelta(days=60)
    assert str(event["SUMMARY"]) == "Contract ends: KCC-YP-01 Young people's service"

    event = events[f"decision-{decision.pk}-call-in@testserver"]
    assert event.decoded("DTSTART") == expected.call_in_deadline
    assert (
        str(event["SUMMARY"])
        == "Call-in period ends: KCC 26/00010 Award of the young people's service"
    )

    event = events[f"decision-{decision.pk}-standstill@testserver"]
    assert event.decoded("DTSTART") == expected.standstill_end
    assert event.decoded("DTSTAMP")


def test_an_uncleared_user_s_calendar_has_no_date_of_an_exempt_decision(
    commissioner_client, deadlines
):
    path = _make_address(commissioner_client)
    exempt = deadlines["exempt"]
    events = _events(path)
    assert not [uid for uid in events if uid.startswith(f"decision-{exempt.pk}-")]
    assert b"EXEMPT-TITLE" not in Client().get(path).content


def test_a_cleared_user_s_calendar_has_the_exempt_decision_s_dates(clerk_client, deadlines):
    exempt = deadlines["exempt"]
    events = _events(_make_address(clerk_client))
    assert f"decision-{exempt.pk}-call-in@testserver" in events
    assert f"decision-{exempt.pk}-standstill@testserver" in events


def test_a_user_without_a_role_gets_an_empty_calendar(outsider_client, deadlines):
    assert _events(_make_address(outsider_client)) == {}


def test_an_auditor_who_changes_nothing_may_still_make_an_address(auditor_client, deadlines):
    # Read-only roles are refused every POST but this one (accounts.middleware).
    events = _events(_make_address(auditor_client))
    assert f"contract-{deadlines['contract'].pk}-end@testserver" in events
    assert auditor_client.post("/users/new/").status_code == 403


def test_past_and_far_deadlines_are_left_out(commissioner_client, today):
    far = ContractFactory(start_date=today, initial_end_date=today + timedelta(days=800))
    gone = ContractFactory(
        start_date=today - timedelta(days=800), initial_end_date=today - timedelta(days=100)
    )
    events = _events(_make_address(commissioner_client))
    assert f"contract-{far.pk}-end@testserver" not in events
    assert f"contract-{gone.pk}-end@testserver" not in events


def test_the_calendar_runs_the_same_number_of_queries_for_2_or_20_records(
    commissioner_client, today
):
    path = _make_address(commissioner_client)

    def add(count: int):
        for n in range(count):
            contract = ContractFactory(
                start_date=today - timedelta(days=400),
                initial_end_date=today + timedelta(days=60 + n),
            )
            OptionFactory(contract=contract, sequence=1, notice_deadline=today + timedelta(20))
            DecisionFactory(
                published_on=today - timedelta(days=1),
                intention_notice_on=today - timedelta(days=2),
            )

    def queries() -> int:
        client = Client()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(18)
    many = queries()
    assert few == many
    assert len(_events(path)) == 20 * 4
