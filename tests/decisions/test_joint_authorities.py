"""A joint committee's decision belongs to its lead authority and the others it binds:
it is on each council's forward plan (page, PDF, issued plan) and in each one's list.

North and West Northamptonshire share a Shared Services Joint Committee; West leads its
decisions here, as in the demo. Kent takes its own decisions alone.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from decisions import issuing
from decisions.models import Decision, IssuedDocument
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory
from tests.decisions.pdfs import pdf_pages, pdf_text
from tests.decisions.test_decision_views import decision_data
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

BASE_URL = "http://testserver/"
JOINT = "Recommissioning of drug and alcohol services"


@pytest.fixture
def councils():
    west = AuthorityFactory(
        name="West Northamptonshire Council", short_name="WNC", decision_number_prefix="WNC "
    )
    north = AuthorityFactory(
        name="North Northamptonshire Council", short_name="NNC", decision_number_prefix="NNC "
    )
    kent = AuthorityFactory(
        name="Kent County Council", short_name="KCC", decision_number_prefix="KCC "
    )
    return west, north, kent


def _planned(authority, title, days, number, **fields) -> Decision:
    today = timezone.localdate()
    values = {
        "number": f"{authority.decision_number_prefix}26/{number:05d}",
        "title": title,
        "is_key_decision": True,
        "key_decision_reason": "It involves expenditure of more than £500,000",
        "decision_date": today + timedelta(days=days),
        "forward_plan_published_on": today - timedelta(days=30),
    }
    return DecisionFactory(authority=authority, **{**values, **fields})


@pytest.fixture
def joint(councils):
    west, north, kent = councils
    decision = _planned(west, JOINT, 40, 1, decision_maker="Shared Services Joint Committee")
    decision.joint_authorities.set([north])
    _planned(west, "West alone", 50, 2)
    _planned(north, "North alone", 60, 1)
    _planned(kent, "Kent alone", 70, 1)
    return decision


# --- The queryset ---------------------------------------------------------------------


def test_for_authority_gives_the_decisions_it_leads_and_those_it_shares(councils, joint):
    west, north, kent = councils
    titles = {
        a.name: sorted(Decision.objects.for_authority(a).values_list("title", flat=True))
        for a in councils
    }
    assert titles == {
        west.name: [JOINT, "West alone"],
        north.name: ["North alone", JOINT],
        kent.name: ["Kent alone"],
    }


def test_a_decision_shared_with_several_councils_is_listed_once_for_each(councils, joint):
    west, north, kent = councils
    joint.joint_authorities.set([north, kent])
    for authority in councils:
        titles = list(Decision.objects.for_authority(authority).values_list("title", flat=True))
        assert titles.count(JOINT) == 1
    assert Decision.objects.for_authority(kent).count() == 2


def test_the_public_sites_chain_published_then_for_authority_works(councils, joint):
    _west, north, _kent = councils
    draft = _planned(north, "Not on a published plan", 80, 9, forward_plan_published_on=None)
    published = Decision.objects.published().for_authority(north)
    assert set(published.values_list("title", flat=True)) == {JOINT, "North alone"}
    assert draft not in published


# --- The forward plan page, PDF and issued plan ---------------------------------------


def test_the_forward_plan_filtered_to_a_council_names_it_and_shows_its_joint_decisions(
    commissioner_client, councils, joint
):
    _west, north, _kent = councils
    response = commissioner_client.get(reverse("decisions:forward_plan"), {"authority": north.pk})
    assert [r.record.title for r in response.context["table"].rows] == [JOINT, "North alone"]
    html = response.content.decode()
    assert "Forward plan of key decisions: North Northamptonshire Council</h1>" in html


def test_the_unfiltered_forward_plan_names_no_council(commissioner_client, councils, joint):
    html = commissioner_client.get(reverse("decisions:forward_plan")).content.decode()
    assert "Forward plan of key decisions</h1>" in html


def test_the_forward_plan_pdf_puts_a_joint_decision_on_each_councils_plan(
    clerk_client, councils, joint
):
    pages = pdf_pages(clerk_client.get(reverse("decisions:forward_plan_pdf")).content)
    plans = {
        name: " ".join(p for p in pages if f"{name}: forward plan of key decisions" in p)
        for name in (a.name for a in councils)
    }
    assert JOINT in plans["West Northamptonshire Council"]
    assert JOINT in plans["North Northamptonshire Council"]
    assert JOINT not in plans["Kent County Council"]
    assert "WNC 26/00001" in plans["North Northamptonshire Council"]


def test_the_forward_plan_pdf_filtered_to_a_council_shows_its_joint_decisions(
    clerk_client, councils, joint
):
    _west, north, _kent = councils
    response = clerk_client.get(reverse("decisions:forward_plan_pdf"), {"authority": north.pk})
    text = pdf_text(response.content)
    assert "North Northamptonshire Council: forward plan of key decisions" in text
    assert JOINT in text and "North alone" in text
    assert "West alone" not in text and "Kent alone" not in text


def test_the_issued_forward_plan_of_each_council_shows_the_joint_decision(clerk, councils, joint):
    west, north, kent = councils
    today = timezone.localdate()
    texts = {}
    for authority in councils:
        document = issuing.issue_document(
            kind=IssuedDocument.Kind.FORWARD_PLAN,
            authority=authority,
            period=(today, today + timedelta(days=120)),
            user=clerk,
            base_url=BASE_URL,
        )
        with document.file.open("rb") as stored:
            texts[authority] = pdf_text(stored.read())
    assert JOINT in texts[west] and JOINT in texts[north] and JOINT not in texts[kent]
    assert "North alone" in texts[north] and "North alone" not in texts[west]


def _add_joint(west, others, count: int, start: int) -> None:
    for n in range(start, start + count):
        decision = _planned(west, f"Joint {n}", 10 + n, 100 + n)
        decision.joint_authorities.set(others)


def _queries(client, url, params=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response


def test_the_forward_plan_pdf_runs_the_same_queries_at_2_and_20_joint_rows(clerk_client, councils):
    west, north, kent = councils
    url = reverse("decisions:forward_plan_pdf")
    _add_joint(west, [north, kent], 2, 0)
    at_2, _ = _queries(clerk_client, url)
    _add_joint(west, [north, kent], 18, 2)
    at_20, response = _queries(clerk_client, url)
    assert at_2 == at_20
    assert pdf_text(response.content).count("Joint 19") == 3  # on all three plans


def test_the_filtered_forward_plan_page_runs_the_same_queries_at_2_and_20_rows(
    commissioner_client, councils
):
    west, north, _kent = councils
    url = reverse("decisions:forward_plan")
    _add_joint(west, [north], 2, 0)
    at_2, _ = _queries(commissioner_client, url, {"authority": north.pk})
    _add_joint(west, [north], 18, 2)
    at_20, response = _queries(commissioner_client, url, {"authority": north.pk})
    assert len(response.context["table"].rows) == 20
    assert at_2 == at_20


# --- The form, the admin and history --------------------------------------------------


def test_a_clerk_adds_a_joint_decision_by_the_other_councils_short_name(clerk_client, councils):
    west, north, _kent = councils
    response = clerk_client.post(
        reverse("decisions:create"), decision_data(west, joint_authorities="NNC")
    )
    assert response.status_code == 302
    decision = Decision.objects.get(authority=west)
    assert list(decision.joint_authorities.all()) == [north]


def test_the_edit_form_shows_the_joint_councils_and_keeps_them(clerk_client, councils, joint):
    _west, north, _kent = councils
    url = reverse("decisions:edit", args=[joint.pk])
    data = form_data(clerk_client.get(url).content.decode())
    assert data["joint_authorities"] == "North Northamptonshire Council"
    data["title"] = "Renamed"
    assert clerk_client.post(url, data).status_code == 302
    joint.refresh_from_db()
    assert joint.title == "Renamed"
    assert list(joint.joint_authorities.all()) == [north]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("WNC", "West Northamptonshire Council is the lead authority"),
        ("Nowhere Council", "No authority matches “Nowhere Council”."),
        ("Northamptonshire", "“Northamptonshire” matches several authorities"),
    ],
)
def test_the_form_refuses_the_lead_an_unknown_or_an_ambiguous_council(
    clerk_client, councils, typed, message
):
    west, _north, _kent = councils
    response = clerk_client.post(
        reverse("decisions:create"), decision_data(west, joint_authorities=typed)
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["joint_authorities"])
    assert not Decision.objects.exists()


def test_history_records_the_councils_a_decision_was_shared_with(clerk_client, councils):
    west, north, kent = councils
    clerk_client.post(reverse("decisions:create"), decision_data(west, joint_authorities="NNC"))
    decision = Decision.objects.get(authority=west)
    url = reverse("decisions:edit", args=[decision.pk])
    data = form_data(clerk_client.get(url).content.decode())
    data["joint_authorities"] = "NNC; KCC"
    data["reason"] = "Kent joined the committee"
    assert clerk_client.post(url, data).status_code == 302
    # A many-to-many change is a "Changed" version of its own, after the save it follows.
    states = [
        sorted(r.authority_id for r in version.joint_authorities.all())
        for version in decision.history.order_by("history_date", "history_id")
    ]
    assert states[0] == []  # created, then shared
    assert [north.pk] in states
    assert states[-1] == sorted([north.pk, kent.pk])


def test_the_admin_edits_the_joint_councils(admin_client, councils, joint):
    _west, north, kent = councils
    url = reverse("admin:decisions_decision_change", args=[joint.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="joint_authorities"' in page
    data = form_data(page)
    data["joint_authorities"] = [str(north.pk), str(kent.pk)]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert set(joint.joint_authorities.all()) == {north, kent}


def test_the_anonymous_reader_sees_the_same_joint_decisions_as_a_commissioner(councils, joint):
    _west, north, _kent = councils
    public = Decision.objects.forward_plan(AnonymousUser()).for_authority(north)
    assert [d.title for d in public] == [JOINT, "North alone"]
