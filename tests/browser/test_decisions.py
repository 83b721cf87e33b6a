"""A clerk adds a decision, its pathway and recommendations, and downloads its PDFs."""

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from decisions.models import Decision, PathwayStage
from tests.browser.conftest import ERROR_TITLE, axe_check, sign_in
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory
from tests.decisions.pdfs import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kent(db):
    return AuthorityFactory(
        name="Kent County Council", short_name="KCC", key_decision_threshold=Decimal("1000000")
    )


def _download_text(page, link_name: str, tmp_path: Path) -> tuple[str, str]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return download.suggested_filename, pdf_text(target.read_bytes())


def test_a_clerk_creates_a_decision_adds_its_pathway_and_downloads_both_pdfs(
    page, clerk, kent, tmp_path
):
    sign_in(page, "clerk")
    page.goto("/decisions/")
    axe_check(page)
    page.get_by_role("button", name="Add").click()
    axe_check(page)

    # A key decision without the reason is refused, with the error linked to its field.
    page.get_by_label("Authority").select_option(label="Kent County Council")
    page.get_by_label("Subject").fill("Kent Young Person Drug and Alcohol Contract Commissioning")
    page.get_by_label("Decision maker", exact=True).fill("Dan Watkins")
    page.get_by_label("Decision maker's role").fill(
        "Cabinet Member for Adult Social Care and Public Health"
    )
    page.get_by_label("To", exact=True).fill("Health Reform and Public Health Cabinet Committee")
    page.get_by_label("Meeting date").fill("02/07/2024")
    page.get_by_label("Money involved (£)").fill("4,099,533.88")
    page.get_by_label("Key decision", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary a[href='#id_key_decision_reason']")).to_be_visible()
    expect(page).to_have_title(ERROR_TITLE)
    axe_check(page)

    page.get_by_label("Why it is a key decision").fill(
        "It involves expenditure or savings of more than £1m"
    )
    page.get_by_label("Summary").fill("Young persons' services cost around £800k a year.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    decision = Decision.objects.get()
    assert decision.number.endswith("/00001")
    assert decision.amount_involved == Decimal("4099533.88")
    axe_check(page)

    # Pathway: the Cabinet Committee meeting, then the Cabinet Member's decision.
    for body, when, purpose, outcome in [
        (
            "Health Reform and Public Health Cabinet Committee",
            "02/07/2024",
            "Consider and endorse",
            "Endorsed",
        ),
        ("Cabinet Member Decision", "", "Decide", ""),
    ]:
        page.get_by_role("link", name="Add a pathway stage").click()
        axe_check(page)
        page.get_by_label("Body").fill(body)
        page.get_by_label("Date").fill(when)
        page.get_by_label("Purpose").select_option(label=purpose)
        if outcome:
            page.get_by_label("Outcome").select_option(label=outcome)
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    stages = list(PathwayStage.objects.filter(decision=decision).order_by("order"))
    assert [s.order for s in stages] == [1, 2]
    pathway = page.locator("#pathway + *").inner_text()
    assert "Health Reform and Public Health Cabinet Committee" in pathway
    assert "Cabinet Member Decision" in pathway
    axe_check(page)

    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Verb").fill("APPROVE")
    page.get_by_label("Text").fill("the procurement and award of a contract")
    page.get_by_role("button", name="Save").click()
    axe_check(page)

    slug = decision.number.replace("/", "-").replace(" ", "")
    name, report = _download_text(page, "Key Decision Report (PDF)", tmp_path)
    assert name == f"{slug}-report.pdf"
    assert f"Decision no: {decision.number}" in report
    assert "Past Pathway of report: N/A" in report
    assert "Future Pathway of report: Cabinet Member Decision" in report
    assert "I. APPROVE the procurement and award of a contract" in report

    name, record = _download_text(page, "Record of Decision (PDF)", tmp_path)
    assert name == f"{slug}-record.pdf"
    assert "KENT COUNTY COUNCIL – RECORD OF DECISION" in record
    assert "Health Reform and Public Health Cabinet Committee, 2 July 2024: Consider and" in record


def test_the_decision_pages_are_accessible_and_fit_a_phone(browser, live_server, clerk, kent):
    decision = DecisionFactory(authority=kent, number="24/00056", is_key_decision=True)
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "clerk")
    for path in [
        "/decisions/",
        "/decisions/forward-plan/",
        "/decisions/?q=00056",
        f"/decisions/{decision.pk}/",
        f"/decisions/{decision.pk}/edit/",
    ]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False, f"{path} scrolls sideways at 390 px"
        axe_check(page)
    context.close()
