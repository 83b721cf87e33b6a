"""The forward plan: upcoming key decisions by date, their notice status, filter, export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    today = timezone.localdate()
    kent = AuthorityFactory(name="Kent County Council", short_name="KCC")
    west = AuthorityFactory(name="West Northamptonshire Council", short_name="WNC")
    on_time = DecisionFactory(
        authority=kent,
        number="26/00010",
        title="On time",
        is_key_decision=True,
        decision_date=today + timedelta(days=60),
        forward_plan_published_on=today,
    )
    late = DecisionFactory(
        authority=west,
        number="26/00011",
        title="Late",
        decision_maker="Shared Services Joint Committee",
        is_key_decision=True,
        decision_date=today + timedelta(days=20),
        forward_plan_published_on=today,
    )
    urgent = DecisionFactory(
        authority=kent,
        number="26/00012",
        title="Urgent",
        is_key_decision=True,
        decision_date=today + timedelta(days=3),
        forward_plan_published_on=today,
        late_notice_reason="The provider gave notice; the scrutiny chair agreed.",
    )
    unpublished = DecisionFactory(
        authority=kent,
        number="26/00013",
        title="Not yet published",
        is_key_decision=True,
        decision_date=today + timedelta(days=90),
    )
    # Not on the plan: not key, already taken, in the past, withdrawn.
    DecisionFactory(authority=kent, title="Non-key", decision_date=today + timedelta(days=5))
    DecisionFactory(
        authority=kent,
        title="Past",
        is_key_decision=True,
        decision_date=today - timedelta(days=1),
    )
    DecisionFactory(
        authority=kent,
        title="Withdrawn",
        is_key_decision=True,
        decision_date=today + timedelta(days=10),
        status=Decision.Status.WITHDRAWN,
    )
    return on_time, late, urgent, unpublished


def test_the_forward_plan_lists_upcoming_key_decisions_by_date(commissioner_client, plan):
    response = commissioner_client.get(reverse("decisions:forward_plan"))
    rows = response.context["table"].rows
    assert [r.record.title for r in rows] == ["Urgent", "Late", "On time", "Not yet published"]


def test_each_entry_shows_its_notice_status_and_late_ones_are_flagged(commissioner_client, plan):
    html = commissioner_client.get(reverse("decisions:forward_plan")).content.decode()
    assert "On the forward plan in time (28 clear days)" in html
    assert "Late: needs general exception (reg 10)" in html
    assert "Late: needs special urgency (reg 11)" in html
    assert "Not yet on the forward plan" in html
    assert html.count('class="app-flag app-flag--warning"') == 2


def test_the_forward_plan_filters_by_authority_and_decision_maker(commissioner_client, plan):
    url = reverse("decisions:forward_plan")
    west = plan[1].authority
    rows = commissioner_client.get(url, {"authority": west.pk}).context["table"].rows
    assert [r.record.title for r in rows] == ["Late"]
    rows = commissioner_client.get(url, {"decision_maker": "joint committee"}).context["table"].rows
    assert [r.record.title for r in rows] == ["Late"]


def test_the_forward_plan_exports_as_csv_with_the_filters_applied(commissioner_client, plan):
    response = commissioner_client.get(
        reverse("decisions:forward_plan"), {"authority": plan[0].authority.pk, "_export": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert [r["Subject"] for r in rows] == ["Urgent", "On time", "Not yet published"]
    assert rows[0]["Notice"] == "Late: needs special urgency (reg 11)"
    assert rows[0]["Date"] == (timezone.localdate() + timedelta(days=3)).isoformat()


def test_the_decision_page_asks_for_reasons_for_a_late_entry_until_they_are_recorded(
    commissioner_client, plan
):
    _on_time, late, urgent, _unpublished = plan
    html = commissioner_client.get(late.get_absolute_url()).content.decode()
    assert "Late: needs general exception (reg 10): record the reasons" in html
    html = commissioner_client.get(urgent.get_absolute_url()).content.decode()
    assert "record the reasons" not in html
    assert "Reasons: The provider gave notice; the scrutiny chair agreed." in html


def test_an_empty_forward_plan_says_what_would_appear(commissioner_client):
    html = commissioner_client.get(reverse("decisions:forward_plan")).content.decode()
    assert "No key decisions are planned" in html


def test_the_forward_plan_runs_a_fixed_number_of_queries(
    commissioner_client, plan, django_assert_max_num_queries
):
    for n in range(15):
        DecisionFactory(
            is_key_decision=True, decision_date=timezone.localdate() + timedelta(days=n + 1)
        )
    with django_assert_max_num_queries(12):
        response = commissioner_client.get(reverse("decisions:forward_plan"))
    assert len(response.context["table"].rows) == 19
