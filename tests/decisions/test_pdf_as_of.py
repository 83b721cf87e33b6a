"""A decision's documents show its contracts and pathway as they stood on the
document's date, and never say "Today" (issue 12, "As it stood")."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from contracts.services import decide_option
from decisions import reports
from decisions.models import Decision, DecisionContractLink
from tests.contracts.factories import ContractFactory, OptionFactory
from tests.decisions.factories import (
    DecisionContractLinkFactory,
    DecisionFactory,
    PathwayStageFactory,
)
from tests.decisions.pdfs import pdf_text

pytestmark = pytest.mark.django_db

MEETING = date(2024, 7, 2)  # the committee 24/00056 went to


@pytest.fixture
def demo(db):
    from contracts import demo as contracts_demo
    from decisions import demo as decisions_demo

    contracts_demo.load()
    decisions_demo.load()


@pytest.fixture
def option_1_exercised_today(demo):
    """Extension option 1 of the contract 24/00056 awarded, exercised today: long after
    the July 2024 report."""
    contract = Contract.objects.get(reference="KCC-PH-YPDA-2025")
    option = contract.options.get(sequence=1)
    decide_option(
        contract_id=contract.pk,
        option_id=option.pk,
        exercise=True,
        decided_on=timezone.localdate(),
        reason="Performance is good",
    )
    return Decision.objects.get(number="KCC 24/00056")


def _report(decision, user, as_of=None) -> str:
    return pdf_text(
        reports.decision_pdf(
            Decision.objects.get(pk=decision.pk),
            "report",
            user=user,
            base_url="http://testserver/",
            as_of=as_of,
        )
    )


def test_the_24_00056_report_shows_option_1_not_exercised_as_it_stood_before_it_was(
    option_1_exercised_today, clerk
):
    text = _report(option_1_exercised_today, clerk, as_of=MEETING)
    assert "Option 1: 24 months, pending" in text
    assert "exercised" not in text
    assert "Today" not in text


def test_the_24_00056_report_downloaded_as_a_draft_is_as_at_its_meeting(
    option_1_exercised_today, clerk_client
):
    url = reverse("decisions:report_pdf", args=[option_1_exercised_today.pk])
    text = pdf_text(clerk_client.get(url).content)
    assert "Option 1: 24 months, pending" in text
    assert "Today" not in text


def test_the_report_dated_after_the_option_was_exercised_shows_it_exercised_as_at_its_date(
    option_1_exercised_today, clerk
):
    today = timezone.localdate()
    text = _report(option_1_exercised_today, clerk, as_of=today)
    assert "Option 1: 24 months, exercised" in text
    assert f"As at {today.day} {today:%b %Y}" in text
    assert "Today" not in text


def test_the_document_date_is_the_meeting_else_the_decision_date_else_today():
    today = date(2026, 12, 6)
    both = Decision(meeting_date=MEETING, decision_date=date(2024, 7, 10))
    assert reports.document_date(both, today=today) == MEETING
    assert reports.document_date(Decision(decision_date=date(2024, 7, 10)), today=today) == date(
        2024, 7, 10
    )
    assert reports.document_date(Decision(), today=today) == today


def test_the_report_prints_a_stage_after_its_date_as_future_pathway(clerk):
    decision = DecisionFactory(meeting_date=MEETING)
    PathwayStageFactory(decision=decision, order=1, body="Scrutiny", date=date(2024, 6, 10))
    PathwayStageFactory(decision=decision, order=2, body="Committee", date=date(2024, 6, 20))
    contract = ContractFactory()
    OptionFactory(contract=contract, sequence=1, months=12)
    DecisionContractLinkFactory(
        decision=decision, contract=contract, kind=DecisionContractLink.Kind.AWARD
    )
    text = _report(decision, clerk, as_of=date(2024, 6, 15))
    assert "Past Pathway of report: Scrutiny, 10 June 2024" in text
    assert "Future Pathway of report: Committee, 20 June 2024" in text
    assert "Today" not in text
