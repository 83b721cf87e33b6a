"""The clerks' PDFs, read back as text the way a reader's tools (and pypdf) read them."""

import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from decisions import pdf as pdf_module
from decisions import reports
from decisions.models import Decision, DecisionContractLink
from decisions.reports import DETAIL_PREFETCH
from tests.contracts.factories import AuthorityFactory, ContractFactory, OptionFactory
from tests.decisions.factories import (
    DecisionContractLinkFactory,
    DecisionFactory,
    PathwayStageFactory,
    RecommendationFactory,
)
from tests.decisions.pdfs import pdf_pages, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

# A copy of shared/seeds/000 (a public council report), so the check runs in any clone.
SEED_000 = Path(__file__).parent / "data" / "seed_000_kent_24_00056.txt"

# The header block of the Kent report 24/00056 (shared/seeds/000), label and value.
SEED_HEADER = [
    ("From:", "Dan Watkins, Cabinet Member for Adult Social Care and Public Health"),
    ("", "Dr Anjan Ghosh, Director of Public Health"),
    ("To:", "Health Reform and Public Health Cabinet Committee, 2 July 2024"),
    ("Subject:", "Kent Young Person Drug and Alcohol Contract Commissioning"),
    ("Decision no:", "24/00056"),
    ("Key decision:", "Yes - it involves expenditure or savings of more than £1m"),
    ("Classification:", "Unrestricted"),
    ("Past Pathway of report:", "N/A"),
    ("Future Pathway of report:", "Cabinet Member Decision"),
    ("Electoral Division:", "All"),
    ("Is the decision eligible for call-in?", "Yes"),
]
SEED_RECOMMENDATIONS = [
    ("I.", "APPROVE", "the procurement and award of a contract for the Kent Young Persons Drug"),
    ("II.", "DELEGATE", "authority to the Director of Public Health to take relevant actions"),
    ("III.", "DELEGATE", "authority to the Director of Public Health, in consultation with the"),
    ("IV.", "CONFIRM", "that future Office for Health Improvement and Disparities (OHID) grant"),
]


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def demo(db):
    from contracts import demo as contracts_demo
    from decisions import demo as decisions_demo

    contracts_demo.load()
    decisions_demo.load()


@pytest.fixture
def report_24_00056(demo, clerk_client) -> bytes:
    decision = Decision.objects.get(number="KCC 24/00056")
    response = clerk_client.get(reverse("decisions:report_pdf", args=[decision.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="KCC24-00056-report.pdf"' in response["Content-Disposition"]
    return response.content


def test_the_expected_header_and_recommendations_are_the_seed_reports_own_words():
    seed = _squash(SEED_000.read_text())
    for _label, value in SEED_HEADER:
        assert value in seed.replace("Committee, 2 July", "Committee, 2 July"), value
    for _numeral, verb, text in SEED_RECOMMENDATIONS:
        assert f"**{verb}** {text}" in seed


def test_the_24_00056_report_carries_the_seed_reports_header_in_order(report_24_00056):
    first_page = pdf_pages(report_24_00056)[0]
    expected = " ".join(f"{label} {value}".strip() for label, value in SEED_HEADER)
    # The app prints every number with its council's prefix (issue 13); the seed, Kent's own.
    expected = expected.replace("Decision no: 24/00056", "Decision no: KCC 24/00056")
    # The seed's header, then the rest of the form's header fields, then the summary.
    assert "KEY DECISION REPORT " + expected + " Date of decision:" in first_page
    assert first_page.index("Type of decision: Executive decision: key") < first_page.index(
        "Summary:"
    )


def test_the_24_00056_report_carries_the_seed_recommendations_with_verbs_in_bold(
    report_24_00056,
):
    text = pdf_text(report_24_00056)
    assert "The Cabinet Committee is asked to CONSIDER and ENDORSE or make recommendations" in text
    for numeral, verb, words in SEED_RECOMMENDATIONS:
        # Once in the Recommendation(s), once in its numbered section, once in Appendix A.
        assert text.count(f"{numeral} {verb} {words}") == 3, verb
    assert "in accordance with key decision 22/00041" in text

    bold_runs: list[str] = []

    def visit(run, _cm, _tm, font, _size):
        if font and "Bold" in str(font.get("/BaseFont", "")):
            bold_runs.append(run.strip())

    for page in pdf_reader(report_24_00056).pages:
        page.extract_text(visitor_text=visit)
    bold = " ".join(bold_runs)
    for verb in ("APPROVE", "DELEGATE", "CONFIRM", "CONSIDER", "ENDORSE"):
        assert verb in bold
    assert "the procurement and award" not in bold  # the text after the verb is plain


def test_the_24_00056_report_has_numbered_sections_documents_contacts_and_appendix_a(
    report_24_00056,
):
    text = pdf_text(report_24_00056)
    assert "1. Introduction 1.1 This report seeks approval" in text
    assert "1.2 The report also seeks endorsement" in text
    assert re.search(r"\d+\. Background Documents \d+\.1 ", text)
    assert re.search(r"\d+\. Contact details", text)
    assert "Dr Anjan Ghosh, Director of Public Health" in text
    appendix = text[text.index("Appendix A") :]
    assert "KENT COUNTY COUNCIL – PROPOSED RECORD OF DECISION" in appendix
    assert "Decision to be taken by: Dan Watkins, Cabinet Member for Adult Social Care" in appendix
    assert "As Cabinet Member for Adult Social Care and Public Health, I propose to:" in appendix
    assert (
        "Health Reform and Public Health Cabinet Committee, 2 July 2024: Consider and" in appendix
    )


def test_every_page_has_its_number_and_the_running_header(report_24_00056):
    pages = pdf_pages(report_24_00056)
    assert len(pages) > 5
    for n, page in enumerate(pages, start=1):
        assert page.endswith(f"Page {n} of {len(pages)}"), n
        assert "Decision no: KCC 24/00056 DRAFT – not issued Unrestricted" in page, n


def test_a_decision_that_awards_a_contract_prints_its_timeline(report_24_00056):
    text = pdf_text(report_24_00056)
    assert "Contract timeline" in text
    assert "Initial term 1 Feb 2025 – 31 Jan 2027" in text
    assert "Option 2: 12 months" in text
    assert "KCC-PH-YPDA-2025 Kent Young Persons Drug and Alcohol Service" in text


def test_a_decision_that_only_varies_a_contract_prints_no_timeline(clerk_client):
    decision = DecisionFactory()
    DecisionContractLinkFactory(
        decision=decision, contract=ContractFactory(), kind=DecisionContractLink.Kind.VARY
    )
    url = reverse("decisions:report_pdf", args=[decision.pk])
    assert "Contract timeline" not in pdf_text(clerk_client.get(url).content)


def _assert_pdf_ua(data: bytes, title: str) -> None:
    """PDF/UA-1 as pypdf can check it (veraPDF is on neither Debian nor PyPI): tagged, with
    a structure tree, a language, a title shown as the window title, every font embedded."""
    reader = pdf_reader(data)
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/StructTreeRoot"].get_object()["/K"]  # the tree has content
    assert root["/Lang"] == "en-GB"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert title in reader.metadata.title
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    assert title in xmp  # dc:title
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            embedded = any(f"/FontFile{n}" in descriptor for n in ("", "2", "3"))
            fonts.append((font["/BaseFont"], embedded))
    assert fonts and all(embedded for _name, embedded in fonts), fonts


@pytest.mark.parametrize("draft", [True, False], ids=["draft", "issued"])
@pytest.mark.parametrize("document", [pdf_module.REPORT, pdf_module.RECORD, pdf_module.NOTICE])
def test_each_pdf_is_tagged_pdf_ua_with_its_fonts_embedded(clerk, document, draft):
    decision = DecisionFactory(number="24/00056", title="Kent Young Person Drug and Alcohol")
    RecommendationFactory(decision=decision)
    decision = (
        Decision.objects.with_related().prefetch_related(*DETAIL_PREFETCH).get(pk=decision.pk)
    )
    data = reports.decision_pdf(
        decision, document, user=clerk, base_url="http://testserver/", draft=draft
    )
    _assert_pdf_ua(data, "24/00056: Kent Young Person Drug and Alcohol")


@pytest.mark.parametrize("draft", [True, False], ids=["draft", "issued"])
def test_the_forward_plan_pdf_is_tagged_pdf_ua_with_its_fonts_embedded(draft):
    kent = AuthorityFactory(name="Kent County Council")
    decision = DecisionFactory(authority=kent, is_key_decision=True)
    context = {
        "plans": [{"authority": kent, "rows": [{"decision": decision, "hidden": False}]}],
        "today": date(2026, 12, 1),
        "draft": draft,
    }
    data = pdf_module.render_forward_plan_pdf(context, base_url="http://testserver/")
    _assert_pdf_ua(data, "Kent County Council: forward plan of key decisions, 1 December 2026")


def test_the_record_of_decision_has_the_reg_12_and_13_contents(clerk_client):
    kent = AuthorityFactory(name="Kent County Council", call_in_working_days=5)
    decision = DecisionFactory(
        authority=kent,
        number="24/00056",
        title="Kent Young Person Drug and Alcohol Contract Commissioning",
        decision_date=date(2024, 7, 17),
        published_on=date(2024, 7, 18),
        reasons="The current contract expires on 31 January 2025.",
        options_rejected="Keep the current service the same.",
        conflicts_of_interest="Cllr Smith declared an interest as a trustee.",
        dispensations="Dispensation granted by the Standards Committee on 1 July 2024.",
        status=Decision.Status.TAKEN,
    )
    RecommendationFactory(decision=decision, order=1, verb="APPROVE", text="the award")
    RecommendationFactory(decision=decision, order=2, verb="DELEGATE", text="authority")
    PathwayStageFactory(decision=decision, body="Health Reform and Public Health Cabinet Committee")
    text = pdf_text(clerk_client.get(reverse("decisions:record_pdf", args=[decision.pk])).content)
    assert "KENT COUNTY COUNCIL – RECORD OF DECISION" in text
    assert "Decision taken by: Dan Watkins, Cabinet Member for Adult Social Care" in text
    assert "Date of decision: 17 July 2024" in text
    assert "I agree to: I. APPROVE the award II. DELEGATE authority" in text
    assert "Reason(s) for decision: The current contract expires on 31 January 2025." in text
    assert "Any alternatives considered and rejected: Keep the current service the same." in text
    assert "Any interest declared when the decision was taken: Cllr Smith declared" in text
    assert "Any dispensation granted by the Proper Officer: Dispensation granted" in text
    assert "Health Reform and Public Health Cabinet Committee, 2 July 2024: Consider and" in text
    # Published Thu 18 July 2024: five working days end Thu 25 July; effective Fri 26 July.
    assert "Record published: 18 July 2024" in text
    assert "Call-in period ends: 25 July 2024" in text
    assert "Decision takes effect: 26 July 2024" in text


def test_the_forward_plan_notice_names_the_matter_maker_date_and_documents(clerk_client):
    decision = DecisionFactory(
        number="24/00056",
        title="Kent Young Person Drug and Alcohol Contract Commissioning",
        is_key_decision=True,
        key_decision_reason="It involves expenditure or savings of more than £1m",
        decision_date=date(2024, 7, 30),
        forward_plan_published_on=date(2024, 7, 2),
        late_notice_reason="The contract expiry left no time for 28 days' notice.",
        appendices="A: Proposed Record of Decision",
        contacts="Rebecca Eley, Senior Commissioner, 03000 418777",
    )
    PathwayStageFactory(decision=decision, body="Cabinet Committee", date=date(2024, 7, 2))
    text = pdf_text(clerk_client.get(reverse("decisions:notice_pdf", args=[decision.pk])).content)
    assert "NOTICE OF A KEY DECISION TO BE TAKEN" in text
    assert "Matter to be decided: Kent Young Person Drug and Alcohol Contract" in text
    assert "Decision maker: Dan Watkins, Cabinet Member for Adult Social Care" in text
    assert "Date of decision: 30 July 2024" in text
    assert "Pathway: Cabinet Committee, 2 July 2024 (consider and endorse)" in text
    # 30 July less 29 days is 1 July; first published 2 July is late: general exception.
    assert "On the forward plan by: 1 July 2024" in text
    assert "Notice: Late: needs general exception (reg 10)" in text
    assert "Reasons for general exception or special urgency: The contract expiry" in text
    assert "A: Proposed Record of Decision" in text
    assert "Rebecca Eley, Senior Commissioner, 03000 418777" in text
    assert "Decision no: 24/00056 DRAFT – not issued Unrestricted Page 1 of" in text


def test_the_forward_plan_pdf_lists_upcoming_key_decisions_by_date(clerk_client):
    today = timezone.localdate()
    kent = AuthorityFactory(name="Kent County Council")
    later = DecisionFactory(
        authority=kent,
        number="24/00090",
        title="Later",
        is_key_decision=True,
        decision_date=today + timedelta(60),
    )
    sooner = DecisionFactory(
        authority=kent,
        number="24/00091",
        title="Sooner",
        is_key_decision=True,
        decision_date=today + timedelta(3),
        forward_plan_published_on=today,
    )
    DecisionFactory(
        authority=kent, number="24/00092", title="Not key", decision_date=today + timedelta(5)
    )
    DecisionFactory(
        authority=kent,
        number="24/00093",
        title="Past",
        is_key_decision=True,
        decision_date=today - timedelta(1),
    )
    elsewhere = DecisionFactory(
        number="24/00094", title="Elsewhere", is_key_decision=True, decision_date=today
    )
    text = pdf_text(clerk_client.get(reverse("decisions:forward_plan_pdf")).content)
    assert text.index("24/00091 Sooner") < text.index("24/00090 Later")
    assert "Late: needs special urgency (reg 11)" in text  # 2 clear days' notice
    assert "Not key" not in text and "Past" not in text
    assert "Page 1 of 2" in text  # each authority's plan on its own page
    # The PDF lists what the filtered page lists.
    filtered = clerk_client.get(
        reverse("decisions:forward_plan_pdf"), {"authority": elsewhere.authority.pk}
    )
    text = pdf_text(filtered.content)
    assert "Elsewhere" in text and "Sooner" not in text and "Later" not in text
    assert later.authority == sooner.authority != elsewhere.authority


def test_an_exempt_decisions_pdf_carries_not_for_publication_and_its_paragraph_on_every_page(
    clerk_client,
):
    decision = DecisionFactory(
        number="24/00077", exempt_paragraph=3, public_interest_reason="Commercial."
    )
    for _ in range(3):
        RecommendationFactory(decision=decision, text="the award " * 200)
    pages = pdf_pages(clerk_client.get(reverse("decisions:report_pdf", args=[decision.pk])).content)
    assert len(pages) > 1
    assert pages[0].startswith(
        "NOT FOR PUBLICATION: Exempt under paragraph 3 of Schedule 12A to the Local "
        "Government Act 1972."
    )
    for page in pages:
        assert (
            "Decision no: 24/00077 DRAFT – not issued NOT FOR PUBLICATION · Exempt under "
            "paragraph 3" in page
        )


def test_the_pdf_shows_the_ceiling_contracts_timeline_of_an_extension(clerk_client):
    contract = ContractFactory(reference="KCC-YP-2022", annual_value=Decimal("800000"))
    OptionFactory(contract=contract, sequence=1, months=10)
    decision = DecisionFactory(number="23/00032")
    DecisionContractLinkFactory(
        decision=decision, contract=contract, kind=DecisionContractLink.Kind.EXTEND
    )
    text = pdf_text(clerk_client.get(reverse("decisions:report_pdf", args=[decision.pk])).content)
    assert "Contract timeline" in text
    assert "Option 1: 10 months" in text


PDFTOPPM, PDFTOTEXT = shutil.which("pdftoppm"), shutil.which("pdftotext")


@pytest.mark.skipif(
    not (PDFTOPPM and PDFTOTEXT), reason="needs poppler-utils (pdftoppm and pdftotext)"
)
def test_the_24_00056_report_renders_as_png_pages_and_reads_the_same_in_poppler(
    report_24_00056, tmp_path
):
    from PIL import Image

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(report_24_00056)
    subprocess.run([PDFTOPPM, "-png", "-r", "40", pdf, tmp_path / "page"], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == len(pdf_pages(report_24_00056))
    for png in pngs:
        image = Image.open(png).convert("L")
        width, height = image.size
        assert abs(height / width - 297 / 210) < 0.02, png.name  # A4 portrait
        # Ink in the running header band and in the page-number band of every page.
        header = image.crop((0, 0, width, height // 10))
        footer = image.crop((0, height * 9 // 10, width, height))
        assert header.getextrema()[0] < 128, f"{png.name}: no running header"
        assert footer.getextrema()[0] < 128, f"{png.name}: no page number"
    # A second reader, poppler's, finds the same header, recommendations and pathway.
    text = _squash(subprocess.run([PDFTOTEXT, pdf, "-"], capture_output=True, text=True).stdout)
    for label, value in SEED_HEADER:
        assert value in text, label
    for numeral, verb, words in SEED_RECOMMENDATIONS:
        assert f"{numeral} {verb} {words}" in text


def test_the_report_pdf_runs_a_fixed_number_of_queries(clerk_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.decisions.factories import ReportSectionFactory

    decision = DecisionFactory()
    url = reverse("decisions:report_pdf", args=[decision.pk])

    def add_parts(n):
        for _ in range(n):
            RecommendationFactory(decision=decision)
            ReportSectionFactory(decision=decision)
            PathwayStageFactory(decision=decision)
            contract = ContractFactory()
            OptionFactory(contract=contract, months=12)
            DecisionContractLinkFactory(decision=decision, contract=contract)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = clerk_client.get(url)
        assert response.status_code == 200
        return len(captured.captured_queries)

    add_parts(1)
    clerk_client.get(url)  # session and permission caches
    one = queries()
    add_parts(4)
    assert queries() == one
    assert one <= 25
