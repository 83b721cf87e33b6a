"""The demo decisions carry the seed reports' own content and pathways."""

from datetime import date

import pytest
from django.urls import reverse

from decisions.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from contracts import demo as contracts_demo
    from decisions import demo as decisions_demo

    contracts_demo.load()
    decisions_demo.load()
    return decisions_demo


def _stages(decision) -> list[tuple]:
    return [(s.body, s.date, s.purpose, s.outcome) for s in decision.stages.all()]


def test_kent_24_00056_has_its_report_recommendations_pathway_and_links(demo):
    d = Decision.objects.get(authority__name="Kent County Council", number="KCC 24/00056")
    assert d.title == "Kent Young Person Drug and Alcohol Contract Commissioning"
    assert [r.verb for r in d.recommendations.all()] == [
        "APPROVE",
        "DELEGATE",
        "DELEGATE",
        "CONFIRM",
    ]
    assert d.sections.count() >= 10
    assert d.sections.first().heading == "Introduction"
    assert _stages(d) == [
        (
            "Health Reform and Public Health Cabinet Committee",
            date(2024, 7, 2),
            "consider",
            "endorsed",
        ),
        ("Cabinet Member Decision", None, "decide", ""),
    ]
    assert [(link.kind, link.contract.title) for link in d.contract_links.all()] == [
        ("award", "Kent Young Persons Drug and Alcohol Service")
    ]
    assert sorted(r.earlier.number for r in d.relations.all()) == ["KCC 22/00041", "KCC 23/00032"]


def test_the_extension_and_the_grant_deployment_decisions_are_there(demo):
    extension = Decision.objects.get(number="KCC 23/00032")
    assert "10 month extension was from 1 April 2024 to 31 January 2025" in extension.summary
    assert [link.kind for link in extension.contract_links.all()] == ["extend"]
    ohid = Decision.objects.get(number="KCC 22/00041")
    assert "£11,424,253" in ohid.summary
    assert ohid.is_key_decision


def test_the_strategy_23_00021_carries_its_13_priorities_as_tags(demo):
    strategy = Decision.objects.get(number="KCC 23/00021")
    assert strategy.title == "Kent Drug and Alcohol Strategy 2023-2028"
    assert strategy.strategic_priorities.count() == 13
    assert _stages(strategy)[0][:2] == (
        "Health Reform and Public Health Cabinet Committee",
        date(2022, 3, 16),
    )


def test_the_northamptonshire_joint_committee_and_southend_board_items_are_there(demo):
    joint = Decision.objects.get(authority__name="West Northamptonshire Council")
    assert joint.decision_type == Decision.Type.BOARD
    assert _stages(joint) == [
        ("Shared Services Joint Committee", date(2023, 8, 16), "decide", "decided")
    ]
    assert joint.contract_links.count() >= 2
    southend = Decision.objects.get(authority__name="Southend-on-Sea City Council")
    assert southend.decision_type == Decision.Type.BOARD
    assert southend.decision_date == date(2022, 3, 7)
    assert _stages(southend)[0][0] == "Health & Wellbeing Board"


def test_kents_2015_early_help_pathway_runs_through_three_bodies(demo):
    early_help = Decision.objects.get(title__startswith="Early Help and Preventative Services")
    assert [(body[:15], when) for body, when, _p, _o in _stages(early_help)] == [
        ("Education and Y", date(2015, 9, 18)),
        ("Corporate Board", date(2015, 9, 28)),
        ("Cabinet", date(2015, 10, 12)),
    ]


def test_loading_the_demo_twice_changes_nothing(demo):
    before = {
        d.number: (d.recommendations.count(), d.stages.count(), d.sections.count())
        for d in Decision.objects.all()
    }
    demo.load()
    after = {
        d.number: (d.recommendations.count(), d.stages.count(), d.sections.count())
        for d in Decision.objects.all()
    }
    assert after == before
    assert len(before) == 8


def test_every_demo_decision_page_and_pdf_opens(demo, clerk_client):
    for decision in Decision.objects.all():
        assert clerk_client.get(decision.get_absolute_url()).status_code == 200
    report = Decision.objects.get(number="KCC 24/00056")
    response = clerk_client.get(reverse("decisions:record_pdf", args=[report.pk]))
    assert response.content.startswith(b"%PDF-")


def test_the_illustrative_upcoming_decision_is_option_1_of_the_kent_yp_contract(demo):
    from contracts import demo as contracts_demo
    from contracts.figures import figures_for
    from decisions.models import DecisionContractLink

    d = Decision.objects.get(title__contains="extension option 1 (illustrative)")
    assert d.status == Decision.Status.PLANNED
    assert d.summary.startswith("Illustrative: not from the seed reports.")
    assert d.history.earliest().history_change_reason.startswith("Illustrative demo data")
    link = d.contract_links.get()
    assert link.kind == DecisionContractLink.Kind.EXTEND
    assert link.contract.reference == contracts_demo.KENT_YP_REFERENCE
    option_1 = [y for y in figures_for(link.contract).years if y.source == "option 1"]
    assert d.amount_involved == sum(y.amount for y in option_1)
    assert [y.end for y in option_1][-1] == date(2029, 1, 31)
    assert list(d.relations.values_list("earlier__number", flat=True)) == ["KCC 24/00056"]


def test_the_illustrative_decision_is_on_the_forward_plan_and_home_page_before_it(
    demo, clerk_client
):
    import time_machine

    with time_machine.travel(date(2026, 12, 1)):
        plan = clerk_client.get(reverse("decisions:forward_plan")).content.decode()
        home = clerk_client.get(reverse("home")).content.decode()
    assert "extension option 1 (illustrative)" in plan
    assert "Key decisions in the next 60 days" in home
    assert "extension option 1 (illustrative)" in home


def test_the_northamptonshire_joint_committee_decision_belongs_to_both_councils(demo):
    d = Decision.objects.get(decision_maker="Shared Services Joint Committee")
    assert d.authority.name == "West Northamptonshire Council"
    assert [a.name for a in d.joint_authorities.all()] == ["North Northamptonshire Council"]
    north = d.joint_authorities.get()
    assert d in Decision.objects.for_authority(north)
    assert d.number.startswith("WNC ")


def test_every_demo_decision_prints_its_councils_prefix_and_every_taken_one_has_a_date(demo):
    decisions = list(Decision.objects.select_related("authority"))
    assert decisions
    for d in decisions:
        assert d.number.startswith(d.authority.decision_number_prefix), d.number
        if d.status == Decision.Status.TAKEN:
            assert d.decision_date is not None, d.number
        d.full_clean()  # the model's own rules hold for the demo too
