"""What the decision documents print: everything the clerk typed on the decision form,
under the right heading, with the authority named, and DRAFT until issued."""

import re
from datetime import date

import pytest
from django.urls import reverse

from contracts.models import StrategicPriority
from decisions import pdf, reports
from decisions.models import Decision, PathwayStage
from decisions.reports import DETAIL_PREFETCH
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory, PathwayStageFactory, RecommendationFactory
from tests.decisions.pdfs import pdf_pages, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

DOCUMENTS = ["decisions:report_pdf", "decisions:record_pdf", "decisions:notice_pdf"]

# Every field of the decision form (decisions.forms.DecisionForm), as a clerk would type
# it, with the words the report must then print. The number is left blank (allocated);
# the form's own ``reason`` is the change's reason for the history, not report content.
FORM = {
    "title": ("Kent Young Person Drug and Alcohol Contract Commissioning", None),
    "decision_type": ("executive_key", "Executive decision: key"),
    "status": ("taken", "Status: Taken"),
    "decision_maker": ("Dan Watkins", "Dan Watkins"),
    "decision_maker_role": ("Cabinet Member for Adult Social Care", None),
    "report_from": ("Dr Anjan Ghosh, Director of Public Health", None),
    "report_to": ("Health Reform and Public Health Cabinet Committee", None),
    "meeting_date": ("02/07/2024", "Committee, 2 July 2024"),
    "decision_date": ("30/07/2024", "Date of decision: 30 July 2024"),
    "amount_involved": ("£4,099,533.88", "Savings involved: £4,099,533.88"),
    "involves_savings": ("on", "Savings involved:"),
    "divisions_significantly_affected": ("3", "divisions significantly affected: 3"),
    "electoral_divisions": ("Ashford East", "Electoral Division: Ashford East"),
    "is_key_decision": ("on", "Key decision: Yes"),
    "key_decision_reason": ("it involves savings of more than £1m", None),
    "exempt_paragraph": ("", None),
    "public_interest_reason": ("", None),
    "call_in_eligible": ("on", "eligible for call-in? Yes"),
    "summary": ("Young persons' services cost around £800k a year.", None),
    "recommendation_intro": ("The Cabinet Committee is asked to ENDORSE:", None),
    "options_rejected": ("Decommissioning the service was rejected as non-viable.", None),
    "reasons": ("The current contract expires on 31 January 2025.", None),
    "financial_implications": ("Funded entirely from the Public Health Grant.", None),
    "legal_implications": ("The Provider Selection Regime applies.", None),
    "equalities_implications": ("An EQIA found no negative impact.", None),
    "data_protection_implications": ("The DPIA will be updated after award.", None),
    "conflicts_of_interest": ("Cllr Example declared a pecuniary interest.", None),
    "dispensations": ("The Standards Committee granted a dispensation.", None),
    "background_documents": ("From Harm to Hope, HM Government (2021)", None),
    "contacts": ("Rebecca Eley, Senior Commissioner, 03000 418777", None),
    "appendices": ("B: Proposed changes to the specification", None),
    "approved_maximum": ("£4.2m", "Approved maximum value: £4,200,000.00"),
    "forward_plan_published_on": ("01/07/2024", "First on the forward plan: 1 July 2024"),
    "late_notice_reason": ("The contract expiry left no time for notice.", None),
    "published_on": ("31/07/2024", "Record of decision published: 31 July 2024"),
    "intention_notice_on": ("05/08/2024", "Intention to award notice: 5 August 2024"),
    "representations_decided_on": ("20/08/2024", "after representations: 20 August 2024"),
}


@pytest.fixture
def typed_decision(clerk_client) -> Decision:
    """A decision added through the form with every field filled in."""
    kent = AuthorityFactory(name="Kent County Council")
    priority = StrategicPriority.objects.create(
        strategy="Kent Drug and Alcohol Strategy 2023-2028", name="Reduce drug-related deaths"
    )
    data = {name: value for name, (value, _) in FORM.items() if value}
    data |= {"authority": kent.pk, "number": "", "strategic_priorities": [priority.pk]}
    response = clerk_client.post(reverse("decisions:create"), data)
    assert response.status_code == 302, response.context["form"].errors
    return Decision.objects.get(title=FORM["title"][0])


def _report(client, decision) -> str:
    return pdf_text(client.get(reverse("decisions:report_pdf", args=[decision.pk])).content)


def test_the_form_lists_the_fields_this_test_fills_in():
    from decisions.forms import DecisionForm

    assert set(DecisionForm.Meta.fields) - set(FORM) == {
        "authority",
        "number",
        "strategic_priorities",
        "joint_authorities",
    }


def test_the_report_prints_every_field_typed_into_the_decision_form(clerk_client, typed_decision):
    text = _report(clerk_client, typed_decision)
    missing = [
        name
        for name, (value, printed) in FORM.items()
        if (printed or value) and (printed or value) not in text
    ]
    assert missing == []
    assert "Kent County Council" in text
    assert typed_decision.number in text
    assert "Reduce drug-related deaths" in text


def test_the_report_prints_implications_and_rejected_options_in_the_seed_reports_order(
    clerk_client, typed_decision
):
    text = _report(clerk_client, typed_decision)
    headings = [
        "Options considered and rejected 1.1 Decommissioning the service was rejected",
        "Reasons for the decision 2.1 The current contract expires",
        "Financial implications 3.1 Funded entirely from the Public Health Grant.",
        "Legal implications 4.1 The Provider Selection Regime applies.",
        "Equalities implications 5.1 An EQIA found no negative impact.",
        "Data protection implications 6.1 The DPIA will be updated after award.",
        "Conflicts of interest and dispensations 7.1 Interests declared: Cllr Example",
        "7.2 Dispensations granted: The Standards Committee granted",
        "Recommendation(s) 8.1 The Cabinet Committee is asked to ENDORSE:",
        "Background Documents 9.1 From Harm to Hope",
        "Contact details Rebecca Eley",
        "Appendices B: Proposed changes to the specification",
        "Appendix A",
    ]
    positions = [text.find(heading) for heading in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions, strict=True) if p < 0]
    assert positions == sorted(positions)


def test_parts_left_empty_are_left_out_and_the_numbers_close_up(clerk_client):
    decision = DecisionFactory(summary="", legal_implications="No legal implications.")
    text = _report(clerk_client, decision)
    assert "1. Legal implications 1.1 No legal implications." in text
    for empty in (
        "Summary:",
        "Recommendation(s)",
        "Options considered",
        "Financial implications",
        "Background Documents",
        "Contact details",
        "Appendices",
    ):
        assert empty not in text, empty


@pytest.mark.parametrize(
    ("decision_type", "heading"),
    [
        (Decision.Type.EXECUTIVE_NON_KEY, "REPORT FOR DECISION"),
        (Decision.Type.OFFICER, "REPORT FOR DECISION"),
        (Decision.Type.BOARD, "FOR DECISION / NOTE"),  # shared/seeds/002
    ],
)
def test_a_non_key_decisions_report_is_headed_as_its_body_heads_it(
    clerk_client, decision_type, heading
):
    decision = DecisionFactory(decision_type=decision_type, is_key_decision=False)
    data = clerk_client.get(reverse("decisions:report_pdf", args=[decision.pk])).content
    text = pdf_text(data)
    assert f"{heading} From:" in text
    assert "Key decision: No" in text
    assert "KEY DECISION REPORT" not in text.upper().replace(heading, "")
    assert "Key Decision Report" not in pdf_reader(data).metadata.title
    assert pdf_reader(data).metadata.title.startswith(heading.capitalize())


def test_a_key_decisions_report_is_headed_key_decision_report(clerk_client):
    decision = DecisionFactory(is_key_decision=True, key_decision_reason="Over £1m")
    data = clerk_client.get(reverse("decisions:report_pdf", args=[decision.pk])).content
    assert "KEY DECISION REPORT From:" in pdf_text(data)
    assert pdf_reader(data).metadata.title.startswith("Key Decision Report ")


def test_a_taken_decision_prints_its_date_in_the_report_and_the_record(clerk_client):
    decision = DecisionFactory(status=Decision.Status.TAKEN, decision_date=date(2024, 7, 30))
    RecommendationFactory(decision=decision)
    assert "Date of decision: 30 July 2024" in _report(clerk_client, decision)
    record = pdf_text(clerk_client.get(reverse("decisions:record_pdf", args=[decision.pk])).content)
    assert "Date of decision: 30 July 2024" in record
    assert "Date: 30 July 2024" in record


def test_a_taken_decision_without_a_decision_date_prints_the_date_it_was_decided_at(
    clerk_client,
):
    # The demo's 24/00056 is Taken with no decision date: the record printed "–".
    decision = DecisionFactory(status=Decision.Status.TAKEN, decision_date=None)
    PathwayStageFactory(
        decision=decision,
        body="Cabinet Member decision",
        date=date(2024, 8, 2),
        purpose=PathwayStage.Purpose.DECIDE,
        outcome=PathwayStage.Outcome.DECIDED,
    )
    record = pdf_text(clerk_client.get(reverse("decisions:record_pdf", args=[decision.pk])).content)
    assert "Date of decision: 2 August 2024" in record
    assert "Date of decision: –" not in record


def test_a_taken_decision_with_no_date_anywhere_says_it_is_not_recorded(clerk_client):
    decision = DecisionFactory(status=Decision.Status.TAKEN, decision_date=None)
    assert "Date of decision: Not recorded" in _report(clerk_client, decision)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_each_document_names_its_authority_on_its_first_page(clerk_client, name):
    decision = DecisionFactory(authority=AuthorityFactory(name="West Northamptonshire Council"))
    data = clerk_client.get(reverse(name, args=[decision.pk])).content
    assert "Logo of the authority West Northamptonshire Council" in pdf_pages(data)[0]
    assert pdf_reader(data).metadata.author == "West Northamptonshire Council"


def test_the_forward_plan_names_the_council_it_is_filtered_to(clerk_client):
    kent = AuthorityFactory(name="Kent County Council")
    southend = AuthorityFactory(name="Southend-on-Sea City Council")
    DecisionFactory(authority=kent, title="Kent matter", is_key_decision=True)
    DecisionFactory(authority=southend, title="Southend matter", is_key_decision=True)
    url = reverse("decisions:forward_plan_pdf")
    data = clerk_client.get(url, {"authority": kent.pk}).content
    text = pdf_text(data)
    assert "Kent County Council: forward plan of key decisions" in text
    assert "Kent matter" in text and "Southend" not in text
    assert pdf_reader(data).metadata.title.startswith("Kent County Council: forward plan")


def test_the_forward_plan_of_a_council_with_nothing_planned_still_names_it(clerk_client):
    kent = AuthorityFactory(name="Kent County Council")
    text = pdf_text(
        clerk_client.get(reverse("decisions:forward_plan_pdf"), {"authority": kent.pk}).content
    )
    assert "Kent County Council: forward plan of key decisions" in text
    assert "No key decisions are planned." in text


def test_the_unfiltered_forward_plan_has_one_section_a_page_per_council(clerk_client):
    kent = AuthorityFactory(name="Kent County Council")
    southend = AuthorityFactory(name="Southend-on-Sea City Council")
    DecisionFactory(authority=southend, title="Southend matter", is_key_decision=True)
    DecisionFactory(authority=kent, title="Kent matter", is_key_decision=True)
    pages = pdf_pages(clerk_client.get(reverse("decisions:forward_plan_pdf")).content)
    assert len(pages) == 2
    assert "Kent County Council: forward plan" in pages[0] and "Kent matter" in pages[0]
    assert "Southend matter" not in pages[0]
    assert "Southend-on-Sea City Council: forward plan" in pages[1]
    assert "Southend matter" in pages[1]


def _decision_for_pdf(decision):
    return Decision.objects.with_related().prefetch_related(*DETAIL_PREFETCH).get(pk=decision.pk)


@pytest.mark.parametrize("document", [pdf.REPORT, pdf.RECORD, pdf.NOTICE])
def test_a_draft_says_draft_on_every_page_and_an_issued_version_nowhere(clerk, document):
    decision = DecisionFactory(number="24/00056")
    for _ in range(3):
        RecommendationFactory(decision=decision, text="the award " * 150)
    decision = _decision_for_pdf(decision)
    draft = reports.decision_pdf(decision, document, user=clerk, base_url="http://testserver/")
    issued = reports.decision_pdf(
        decision, document, user=clerk, base_url="http://testserver/", draft=False
    )
    draft_pages = pdf_pages(draft)
    assert len(draft_pages) > 1 or document == pdf.NOTICE  # the notice has no recommendations
    for page in draft_pages:
        assert "Decision no: 24/00056 DRAFT – not issued Unrestricted" in page
    assert "DRAFT" not in pdf_text(issued)
    assert "Decision no: 24/00056 Unrestricted" in pdf_text(issued)


def test_the_forward_plan_pdf_is_a_draft(clerk_client):
    DecisionFactory(is_key_decision=True)
    text = pdf_text(clerk_client.get(reverse("decisions:forward_plan_pdf")).content)
    assert "DRAFT – not issued" in text


# The lines every page carries in its margins; what is left is the page's own content.
RUNNING = re.compile(
    r"Decision no: \S+( \d+/\d+)?|DRAFT – not issued|Unrestricted( · exempt items show their "
    r"paragraph only)?|NOT FOR PUBLICATION · Exempt under paragraph \d|Page \d+ of \d+|"
    r".{0,80}: forward plan of key decisions"
)


@pytest.fixture
def demo(db):
    from contracts import demo as contracts_demo
    from decisions import demo as decisions_demo

    contracts_demo.load()
    decisions_demo.load()


def test_no_page_of_any_demo_document_is_blank(demo, clerk_client):
    urls = [reverse("decisions:forward_plan_pdf")] + [
        reverse(name, args=[pk])
        for pk in Decision.objects.values_list("pk", flat=True)
        for name in DOCUMENTS
    ]
    blank = []
    for url in urls:
        for number, page in enumerate(pdf_pages(clerk_client.get(url).content), start=1):
            content = RUNNING.sub("", page).strip()
            if len(content) < 40:
                blank.append(f"{url} page {number}: {content!r}")
    assert len(urls) > 20
    assert blank == []
