"""Adding a decision's recommendations, report sections and pathway stages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import PathwayStage, Recommendation
from tests.decisions.factories import DecisionFactory, PathwayStageFactory

pytestmark = pytest.mark.django_db


def test_a_new_stage_is_offered_the_next_place_and_a_not_yet_met_outcome(clerk_client):
    decision = DecisionFactory()
    PathwayStageFactory(decision=decision, order=1)
    response = clerk_client.get(reverse("decisions:stage_add", args=[decision.pk]))
    form = response.context["form"]
    assert form.initial["order"] == 2
    assert form.fields["outcome"].choices[0] == ("", "Not yet met")


def test_a_clerk_adds_pathway_stages_and_the_page_lists_them_in_order(clerk_client):
    decision = DecisionFactory()
    url = reverse("decisions:stage_add", args=[decision.pk])
    for order, body, when, purpose, outcome in [
        (1, "Cabinet Committee", "18/09/2015", "consider", "endorsed"),
        (2, "Corporate Board", "28/09/2015", "consider", "endorsed"),
        (3, "Cabinet", "12/10/2015", "decide", "decided"),
    ]:
        data = {"order": order, "body": body, "date": when, "purpose": purpose}
        response = clerk_client.post(url, {**data, "outcome": outcome})
        assert response.status_code == 302
    stages = list(PathwayStage.objects.filter(decision=decision).order_by("order"))
    assert [s.body for s in stages] == ["Cabinet Committee", "Corporate Board", "Cabinet"]
    assert stages[2].date.isoformat() == "2015-10-12"
    html = clerk_client.get(decision.get_absolute_url()).content.decode()
    assert html.index("Cabinet Committee") < html.index("Corporate Board")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"outcome": "endorsed", "date": ""}, "date", "Enter the date of the meeting"),
        (
            {"outcome": "endorsed", "date": "FUTURE"},
            "outcome",
            "Leave the outcome blank until the body has met.",
        ),
        ({"date": "31/02/2025"}, "date", "Enter a real date"),
        ({"body": ""}, "body", "This field is required."),
    ],
)
def test_a_stage_that_cannot_be_right_is_refused(clerk_client, data, field, message):
    decision = DecisionFactory()
    if data.get("date") == "FUTURE":
        data["date"] = (timezone.localdate() + timedelta(days=7)).strftime("%d/%m/%Y")
    base = {"order": 1, "body": "Cabinet", "purpose": "decide", "outcome": "", "date": ""}
    response = clerk_client.post(
        reverse("decisions:stage_add", args=[decision.pk]), {**base, **data}
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not PathwayStage.objects.exists()


def test_a_recommendations_verb_is_kept_in_capitals_and_must_be_a_word(clerk_client):
    decision = DecisionFactory()
    url = reverse("decisions:recommendation_add", args=[decision.pk])
    clerk_client.post(url, {"order": 1, "verb": "approve", "text": "the award"})
    assert Recommendation.objects.get().verb == "APPROVE"
    response = clerk_client.post(url, {"order": 2, "verb": "1.", "text": "the award"})
    assert "Enter the action as a word" in response.context["form"].errors["verb"][0]


def test_report_sections_are_numbered_in_council_style(clerk_client):
    decision = DecisionFactory()
    url = reverse("decisions:section_add", args=[decision.pk])
    clerk_client.post(url, {"order": 1, "heading": "Introduction", "body": "One.\n\nTwo."})
    clerk_client.post(
        url, {"order": 2, "heading": "Options", "body": "Three:\n- **keep** it\n- stop it"}
    )
    page = clerk_client.get(decision.get_absolute_url())
    numbered = [(n, h, [p for p, _ in paras]) for n, h, paras in page.context["sections"]]
    assert numbered == [("1", "Introduction", ["1.1", "1.2"]), ("2", "Options", ["2.1"])]
    assert "<strong>keep</strong>" in page.content.decode()


def test_only_clerks_change_a_decisions_parts(commissioner_client):
    decision = DecisionFactory()
    stage = PathwayStageFactory(decision=decision)
    url = reverse("decisions:stage_delete", args=[decision.pk, stage.pk])
    assert commissioner_client.post(url).status_code == 403
    assert PathwayStage.objects.filter(pk=stage.pk).exists()
