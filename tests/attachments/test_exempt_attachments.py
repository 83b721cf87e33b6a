"""An exempt attachment shows an uncleared user "Exempt appendix (paragraph N)" and
nothing more, on every surface: the contract page, the decision page, the download,
the history (the record's page, the history page, the changes feed and its export),
the admin and the report PDF. ui.attachments decides it once; each test is a surface.

The exempt files' titles and names carry the marker "qzx_secret"; a cleared user reads them
(so each test can fail), an uncleared one never does.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import AUDITOR, COMMISSIONER
from decisions.models import DecisionAttachment
from tests.accounts.factories import UserFactory
from tests.attachments import files
from tests.attachments.factories import attach
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import DecisionFactory
from tests.decisions.pdfs import pdf_text

pytestmark = pytest.mark.django_db

MARKER = "qzx_secret"


@pytest.fixture(autouse=True)
def storage(attachment_storage):
    return attachment_storage


def _client(**kwargs) -> Client:
    client = Client()
    client.force_login(UserFactory(**kwargs))
    return client


@pytest.fixture
def uncleared(roles):
    """Who must never read an exempt file: a commissioner, an auditor, an admin."""
    return {
        "commissioner": _client(username="u-commissioner", role=COMMISSIONER),
        "auditor": _client(username="u-auditor", role=AUDITOR),
        "superuser": _client(username="u-super", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def cleared(roles):
    return _client(username="c-super", is_staff=True, is_superuser=True, cleared_for_exempt=True)


@pytest.fixture
def decision():
    """An open decision with an open appendix and one exempt under paragraph 3."""
    decision = DecisionFactory(number="24/00777", title="Award of the sexual health service")
    attach(decision, title="Service specification", name="specification.pdf")
    attach(
        decision,
        title="qzx_secret tender prices",
        name="qzx_secretprices.xlsx",
        data=files.XLSX,
        exempt_paragraph=3,
    )
    attach(
        decision,
        title="Consultation summary",
        name="consultation.docx",
        data=files.DOCX,
        kind=DecisionAttachment.Kind.BACKGROUND_PAPER,
    )
    return decision


def _text(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "ignore")
    return response.content.decode("utf-8", "ignore")


def test_the_decision_page_shows_an_uncleared_user_only_the_exempt_label(
    decision, uncleared, cleared
):
    for name, client in uncleared.items():
        page = _text(client.get(decision.get_absolute_url()))
        assert "Exempt appendix (paragraph 3)" in page, name
        assert "Service specification" in page, name
        assert MARKER not in page, name
    assert "qzx_secret tender prices" in _text(cleared.get(decision.get_absolute_url()))


def test_the_contract_page_shows_an_uncleared_user_only_the_exempt_label(uncleared, cleared):
    contract = ContractFactory()
    attach(contract, title="Signed contract", name="signed.pdf")
    attach(
        contract,
        title="qzx_secret pricing schedule",
        name="qzx_secretpricing.pdf",
        exempt_paragraph=3,
    )
    for name, client in uncleared.items():
        page = _text(client.get(contract.get_absolute_url()))
        assert "Exempt appendix (paragraph 3)" in page, name
        assert "Signed contract" in page, name
        assert MARKER not in page, name
    assert "qzx_secret pricing schedule" in _text(cleared.get(contract.get_absolute_url()))


def test_a_file_of_an_exempt_decision_is_exempt_under_its_paragraph(uncleared, cleared):
    decision = DecisionFactory(exempt_paragraph=5)
    attachment = attach(decision, title="qzx_secret legal advice", name="qzx_secretadvice.pdf")
    assert attachment.effective_paragraph == 5
    download = reverse("decisions:attachment_download", args=[decision.pk, attachment.pk])
    for name, client in uncleared.items():
        assert MARKER not in _text(client.get(decision.get_absolute_url())), name
        assert client.get(download).status_code == 403, name
    assert cleared.get(download).status_code == 200


def test_downloading_an_exempt_file_is_forbidden_to_an_uncleared_user(decision, uncleared):
    exempt = decision.attachments.get(exempt_paragraph=3)
    url = reverse("decisions:attachment_download", args=[decision.pk, exempt.pk])
    for name, client in uncleared.items():
        response = client.get(url)
        assert response.status_code == 403, name
        assert MARKER not in _text(response), name
    withdraw = reverse("decisions:attachment_withdraw", args=[decision.pk, exempt.pk])
    assert uncleared["superuser"].get(withdraw).status_code == 403


def test_a_contracts_exempt_file_is_forbidden_to_an_uncleared_user(uncleared, cleared):
    contract = ContractFactory()
    exempt = attach(
        contract, title="qzx_secret pricing", name="qzx_secretpricing.pdf", exempt_paragraph=3
    )
    url = reverse("contracts:attachment_download", args=[contract.pk, exempt.pk])
    for name, client in uncleared.items():
        assert client.get(url).status_code == 403, name
    assert b"".join(cleared.get(url).streaming_content) == files.PDF


def _history_urls(decision) -> list[str]:
    feed = reverse("audit:changes")
    urls = [
        decision.get_absolute_url(),
        f"{feed}?record_type=decisions.decisionattachment&per_page=100",
        f"{feed}?record_type=decisions.decisionattachment&_export=csv",
        f"{feed}?per_page=100",
    ]
    for attachment in decision.attachments.all():
        urls.append(reverse("audit:record", args=["decisions.decisionattachment", attachment.pk]))
    return urls


def test_history_and_the_changes_feed_never_show_an_exempt_file(decision, uncleared, cleared):
    for name, client in uncleared.items():
        for url in _history_urls(decision):
            assert MARKER not in _text(client.get(url)), (name, url)
    feed = f"{reverse('audit:changes')}?record_type=decisions.decisionattachment&per_page=100"
    assert "Exempt appendix (paragraph 3)" in _text(uncleared["auditor"].get(feed))
    # A cleared user reads the changes (the feed labels the row safely for everyone).
    exempt = decision.attachments.get(exempt_paragraph=3)
    record = reverse("audit:record", args=["decisions.decisionattachment", exempt.pk])
    assert "qzx_secret tender prices" in _text(cleared.get(record))


def test_a_file_made_exempt_later_hides_its_earlier_history(uncleared):
    decision = DecisionFactory()
    attachment = attach(decision, title="qzx_secret site valuation", name="qzx_secretvaluation.pdf")
    attachment.exempt_paragraph = 3
    attachment.save()
    for name, client in uncleared.items():
        for url in _history_urls(decision):
            assert MARKER not in _text(client.get(url)), (name, url)


def test_a_decision_made_exempt_later_hides_its_files_earlier_history(uncleared):
    decision = DecisionFactory()
    attach(decision, title="qzx_secret site valuation", name="qzx_secretvaluation.pdf")
    decision.exempt_paragraph = 3
    decision.save()
    for name, client in uncleared.items():
        for url in _history_urls(decision):
            assert MARKER not in _text(client.get(url)), (name, url)


def test_the_admin_shows_an_uncleared_user_no_exempt_file(decision, uncleared, cleared):
    exempt = decision.attachments.get(exempt_paragraph=3)
    changelist = reverse("admin:decisions_decisionattachment_changelist")
    admin = uncleared["superuser"]
    for url in [changelist, f"{changelist}?q=tender"]:
        response = admin.get(url)
        assert response.status_code == 200
        assert MARKER not in _text(response)
    assert "Service specification" in _text(admin.get(changelist))
    for view in ("change", "history"):
        url = reverse(f"admin:decisions_decisionattachment_{view}", args=[exempt.pk])
        assert MARKER not in _text(admin.get(url))
    assert "qzx_secret tender prices" in _text(cleared.get(changelist))


def test_the_report_pdf_lists_the_files_as_each_reader_may_see_them(decision, uncleared, cleared):
    url = reverse("decisions:report_pdf", args=[decision.pk])
    text = pdf_text(uncleared["commissioner"].get(url).content)
    assert "Appendix B – Service specification (PDF, 77 bytes)" in text
    assert "Exempt appendix (paragraph 3)" in text
    assert "Consultation summary" in text
    assert MARKER not in text
    assert "qzx_secret tender prices" in pdf_text(cleared.get(url).content)


def test_the_reports_list_of_files_reads_in_a_pdf_as_each_reader_may_see_it(
    decision, commissioner, clerk
):
    """decisions/pdf/attachments.html with the report's context, rendered as the report
    is (decisions.pdf.html_to_pdf), read back with pypdf."""
    from django.template import Context, Template
    from django.utils import timezone

    from decisions.pdf import html_to_pdf
    from decisions.reports import detail_context

    page = Template(
        '<html lang="en-GB"><head><title>Report</title></head><body>'
        '{% include "decisions/pdf/attachments.html" %}</body></html>'
    )

    def text_for(user) -> str:
        context = detail_context(decision, user, today=timezone.localdate())
        return pdf_text(html_to_pdf(page.render(Context(context)), base_url="http://testserver/"))

    uncleared_text = text_for(commissioner)
    assert "Appendix B – Service specification (PDF, 77 bytes)" in uncleared_text
    assert "Appendix C – Exempt appendix (paragraph 3)" in uncleared_text
    assert "Background paper – Consultation summary (Word," in uncleared_text
    assert MARKER not in uncleared_text
    cleared_text = text_for(clerk)
    assert "Appendix C – qzx_secret tender prices (Excel," in cleared_text


def test_a_withdrawn_file_leaves_the_reports_list_and_the_letters_close_up(decision, clerk):
    from django.utils import timezone

    from decisions.reports import detail_context

    first = decision.attachments.get(title="Service specification")
    first.withdraw(by=clerk, reason="Replaced")
    decision = type(decision).objects.get(pk=decision.pk)
    labels = [
        a.report_label
        for a in detail_context(decision, clerk, today=timezone.localdate())["attachments"]
    ]
    assert labels[0].startswith("Appendix B – qzx_secret tender prices")
    assert not any("Service specification" in label for label in labels)


def test_an_exempt_file_names_itself_only_by_its_label(decision, uncleared):
    """Where Django names records by themselves (the admin's delete pages, which list
    what depends on a record), an exempt file shows only its label."""
    exempt = decision.attachments.get(exempt_paragraph=3)
    assert str(exempt) == "Exempt appendix (paragraph 3)"
    assert str(decision.attachments.get(title="Service specification")) == "Service specification"
    url = reverse("admin:decisions_decision_delete", args=[decision.pk])
    page = _text(uncleared["superuser"].get(url))
    assert "Cannot delete decision" in page  # its files are withdrawn, never deleted
    assert MARKER not in page


def test_attached_appendices_letter_on_from_the_reports_own(decision, clerk):
    """The report's Appendix A is the proposed record of decision, and the clerk's list
    may letter more (Kent's 24/00056 lists A to C): attached files start after them, so
    no two appendices of one report share a letter."""
    from django.utils import timezone

    from decisions.reports import detail_context

    decision.appendices = "A: Proposed Record of Decision\nB: Proposed changes\nC: EqIA"
    decision.save()
    decision = type(decision).objects.get(pk=decision.pk)
    labels = [
        a.report_label
        for a in detail_context(decision, clerk, today=timezone.localdate())["attachments"]
        if a.report_label.startswith("Appendix")
    ]
    assert [label.split(" – ")[0] for label in labels] == ["Appendix D", "Appendix E"]
