"""Exempt information (LGA 1972 Sch 12A): one test per surface.

A user not cleared for exempt information (here the commissioner) sees an exempt
decision's title and "Exempt under paragraph 3", and nothing else, on the page,
the lists, search, the exports, the PDFs and the history. A cleared user (the
clerk) reads it all. Every secret below contains the word SECRET, so one check
finds any leak; the title and number are what an uncleared user may see.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from tests.contracts.factories import AuthorityFactory, ContractFactory
from tests.decisions.factories import (
    DecisionContractLinkFactory,
    DecisionFactory,
    PathwayStageFactory,
    RecommendationFactory,
    ReportSectionFactory,
)
from tests.decisions.pdfs import pdf_text

pytestmark = pytest.mark.django_db

SECRET = "Zanzibarsecret"
TITLE = "Award of the substance misuse contract"
LABEL = "Exempt under paragraph 3"


@pytest.fixture
def exempt():
    authority = AuthorityFactory(name="Kent County Council")
    decision = DecisionFactory(
        authority=authority,
        number="24/00077",
        title=TITLE,
        decision_type=Decision.Type.EXECUTIVE_KEY,
        exempt_paragraph=3,
        public_interest_reason=f"The bidders' prices ({SECRET}) are commercially sensitive.",
        decision_maker=f"Councillor {SECRET}",
        summary=f"The {SECRET} bid was the best value.",
        reasons=f"Reasons {SECRET}.",
        is_key_decision=True,
        key_decision_reason="Over £1m",
        decision_date=timezone.localdate() + timedelta(days=40),
        status=Decision.Status.PLANNED,
        forward_plan_published_on=timezone.localdate(),
    )
    RecommendationFactory(decision=decision, verb="APPROVE", text=f"the award to {SECRET} Ltd")
    ReportSectionFactory(decision=decision, heading=f"Bids from {SECRET}", body=f"{SECRET} bid.")
    PathwayStageFactory(decision=decision, body=f"{SECRET} Procurement Board")
    return decision


@pytest.fixture
def unrestricted():
    return DecisionFactory(number="24/00001", title="Open decision", summary="Nothing to hide.")


def _csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


# --- Pages -------------------------------------------------------------------------


def test_the_decision_page_shows_an_uncleared_user_only_the_title_and_paragraph(
    commissioner_client, clerk_client, exempt
):
    url = reverse("decisions:detail", args=[exempt.pk])
    html = commissioner_client.get(url).content.decode()
    assert TITLE in html and LABEL in html
    assert SECRET not in html
    # A cleared user reads everything, with the warning that it is not for publication.
    html = clerk_client.get(url).content.decode()
    assert f"The {SECRET} bid was the best value." in html
    assert f"the award to {SECRET} Ltd" in html
    assert "Not for publication" in html


def test_an_exempt_decision_on_a_contract_page_shows_only_its_title_and_paragraph(
    commissioner_client, clerk_client, exempt
):
    contract = ContractFactory(lead_authority=exempt.authority)
    DecisionContractLinkFactory(decision=exempt, contract=contract, note=f"{SECRET} note")
    url = reverse("contracts:detail", args=[contract.pk])
    html = commissioner_client.get(url).content.decode()
    assert exempt.number in html and LABEL in html
    assert SECRET not in html
    assert "Awards" not in html  # what the decision does to the contract is content
    assert "Awards" in clerk_client.get(url).content.decode()


def test_the_home_page_lists_an_exempt_decision_by_title_and_paragraph_only(
    commissioner_client, clerk_client, exempt
):
    html = commissioner_client.get(reverse("home")).content.decode()
    assert TITLE in html and LABEL in html
    assert SECRET not in html
    clerk_html = clerk_client.get(reverse("home")).content.decode()
    assert "On the forward plan" in clerk_html


# --- Lists -------------------------------------------------------------------------


def test_the_decisions_list_hides_an_exempt_decisions_columns(
    commissioner_client, clerk_client, exempt, unrestricted
):
    url = reverse("decisions:list")
    response = commissioner_client.get(url)
    html = response.content.decode()
    assert TITLE in html and LABEL in html
    assert SECRET not in html
    assert "Councillor" not in html
    assert f"Councillor {SECRET}" in clerk_client.get(url).content.decode()


def test_the_forward_plan_lists_an_exempt_key_decision_as_regulation_9_requires(
    commissioner_client, clerk_client, exempt
):
    # The matter, the decision maker, the date and that it is to be taken in private
    # (the paragraph) are published for every key decision; the report is not.
    url = reverse("decisions:forward_plan")
    html = commissioner_client.get(url).content.decode()
    assert TITLE in html and LABEL in html
    assert f"Councillor {SECRET}" in html
    assert "On the forward plan in time" in html
    assert "The Zanzibarsecret bid" not in html and "Reasons" not in html
    assert f"Councillor {SECRET}" in clerk_client.get(url).content.decode()


def test_filtering_on_an_exempt_decisions_details_does_not_reveal_them(
    commissioner_client, clerk_client, exempt
):
    # "Is it a key decision?" and "who decides?" are content: an uncleared user's
    # filters match unrestricted decisions only, so a match cannot give them away.
    for url, params in [
        (reverse("decisions:list"), {"is_key_decision": "true"}),
        (reverse("decisions:list"), {"decision_type": "executive_key"}),
    ]:
        rows = commissioner_client.get(url, params).context["table"].rows
        assert [r.record.number for r in rows] == [], params
        rows = clerk_client.get(url, params).context["table"].rows
        assert [r.record.number for r in rows] == ["24/00077"], params


# --- Search ------------------------------------------------------------------------


def test_search_finds_an_exempt_decision_by_its_text_only_for_cleared_users(
    commissioner_client, clerk_client, exempt, unrestricted
):
    url = reverse("decisions:list")
    assert list(commissioner_client.get(url, {"q": SECRET}).context["table"].rows) == []
    assert list(commissioner_client.get(url, {"q": "best value"}).context["table"].rows) == []
    # By number or title, everyone finds it, and sees only title and paragraph.
    response = commissioner_client.get(url, {"q": "substance misuse"})
    assert [r.record.number for r in response.context["table"].rows] == ["24/00077"]
    assert SECRET not in response.content.decode()
    rows = clerk_client.get(url, {"q": SECRET}).context["table"].rows
    assert [r.record.number for r in rows] == ["24/00077"]


# --- Exports -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["decisions:list", "decisions:forward_plan"])
def test_exports_give_an_uncleared_user_only_the_title_and_paragraph(
    commissioner_client, clerk_client, exempt, name
):
    response = commissioner_client.get(reverse(name), {"_export": "csv"})
    assert response.status_code == 200
    body = response.getvalue().decode("utf-8-sig")  # a streamed export reads once
    [row] = [r for r in csv.DictReader(io.StringIO(body)) if r["Number"] == "24/00077"]
    assert row["Subject"] == TITLE
    assert row["Classification"] == LABEL
    # The forward plan publishes the decision maker of every key decision (reg 9).
    expected = f"Councillor {SECRET}" if name == "decisions:forward_plan" else "–"
    assert row["Decision maker"] == expected
    if name == "decisions:list":
        assert SECRET not in body
    [row] = [
        r
        for r in _csv_rows(clerk_client.get(reverse(name), {"_export": "csv"}))
        if r["Number"] == "24/00077"
    ]
    assert row["Decision maker"] == f"Councillor {SECRET}"


def test_the_history_export_hides_an_exempt_decisions_changes(
    commissioner_client, auditor_client, clerk_client, exempt
):
    for client in (commissioner_client, auditor_client):
        text = client.get(reverse("audit:changes"), {"_export": "csv"}).getvalue().decode()
        assert TITLE in text  # the record's name is its title
        assert SECRET not in text
    assert (
        SECRET in clerk_client.get(reverse("audit:changes"), {"_export": "csv"}).getvalue().decode()
    )


# --- PDFs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["decisions:report_pdf", "decisions:record_pdf", "decisions:notice_pdf"]
)
def test_a_decisions_pdfs_are_refused_to_an_uncleared_user(
    commissioner_client, clerk_client, exempt, name
):
    url = reverse(name, args=[exempt.pk])
    assert commissioner_client.get(url).status_code == 403
    cleared = pdf_text(clerk_client.get(url).content)
    assert f"Councillor {SECRET}" in cleared
    assert "NOT FOR PUBLICATION" in cleared
    assert "Exempt under paragraph 3 of Schedule 12A to the Local Government Act 1972" in cleared


def test_the_forward_plan_pdf_shows_an_exempt_key_decision_as_the_page_does(
    commissioner_client, clerk_client, exempt
):
    url = reverse("decisions:forward_plan_pdf")
    text = pdf_text(commissioner_client.get(url).content)
    assert TITLE in text and LABEL in text
    assert f"Councillor {SECRET}" in text  # the decision maker is published (reg 9)
    assert "best value" not in text
    assert f"Councillor {SECRET}" in pdf_text(clerk_client.get(url).content)


# --- History -----------------------------------------------------------------------


def test_the_history_on_the_decision_page_is_redacted_for_uncleared_users(
    commissioner_client, clerk_client, exempt
):
    url = reverse("decisions:detail", args=[exempt.pk])
    rows = commissioner_client.get(url).context["history"]
    assert rows and all(r.redacted and not r.changes for r in rows)
    rows = clerk_client.get(url).context["history"]
    assert rows and not any(r.redacted for r in rows)
    assert any(SECRET in str(new) for r in rows for _label, _old, new in r.changes)


def test_the_history_feed_and_record_history_hide_an_exempt_decisions_parts(
    auditor_client, clerk_client, exempt
):
    feed = auditor_client.get(reverse("audit:changes")).content.decode()
    assert "24/00077: recommendation" in feed  # parts are named, not quoted
    assert SECRET not in feed
    recommendation = exempt.recommendations.get()
    for label, pk in [
        ("decisions.decision", exempt.pk),
        ("decisions.recommendation", recommendation.pk),
    ]:
        url = reverse("audit:record", args=[label, pk])
        today = timezone.localdate().isoformat()
        html = auditor_client.get(url, {"as_of": today}).content.decode()
        assert SECRET not in html, label
        assert SECRET in clerk_client.get(url, {"as_of": today}).content.decode(), label


def test_changes_made_before_a_decision_became_exempt_are_hidden_once_it_is(
    clerk_client, auditor_client
):
    decision = DecisionFactory(number="24/00078", title="Open at first", summary=f"{SECRET}")
    RecommendationFactory(decision=decision, text=f"award to {SECRET}")
    assert SECRET in auditor_client.get(reverse("audit:changes")).content.decode()
    data = {
        "authority": decision.authority.pk,
        "number": decision.number,
        "title": decision.title,
        "decision_type": "executive_non_key",
        "status": "planned",
        "summary": decision.summary,
        "electoral_divisions": "All",
        "exempt_paragraph": "3",
        "public_interest_reason": "Commercially sensitive.",
        "reason": "Made exempt",
    }
    response = clerk_client.post(reverse("decisions:edit", args=[decision.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    feed = auditor_client.get(reverse("audit:changes")).content.decode()
    assert "Open at first" in feed
    assert SECRET not in feed
    record = reverse("audit:record", args=["decisions.decision", decision.pk])
    assert SECRET not in auditor_client.get(record).content.decode()
    assert SECRET in clerk_client.get(record).content.decode()
