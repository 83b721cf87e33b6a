"""Issued documents: rendered once, stored as exact bytes, never changed or deleted.

Who may do what here (tests/conftest.py): the clerk issues and is cleared for exempt
information; the commissioner and the auditor read decisions and download issued
versions but may not issue; the outsider reads nothing.
"""

import hashlib
from datetime import date, timedelta

import pytest
from django.contrib.admin.sites import site as admin_site
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CLERK
from contracts.models import ExtensionOption
from contracts.services import decide_option
from decisions import issuing
from decisions.models import (
    Decision,
    IssuedDocument,
    IssuedDocumentIsPermanent,
    ReportSection,
)
from tests.accounts.factories import UserFactory
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory, ReportSectionFactory
from tests.decisions.issued import stored_document
from tests.decisions.pdfs import pdf_text

pytestmark = pytest.mark.django_db

BASE_URL = "http://testserver/"
SECRET = "qzxexemptsecret"


def _issue(decision, user, kind=IssuedDocument.Kind.REPORT, reason=""):
    return issuing.issue_document(
        decision=decision, kind=kind, user=user, reason=reason, base_url=BASE_URL
    )


def _download(client, document) -> bytes:
    response = client.get(reverse("decisions:issued_download", args=[document.pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


@pytest.fixture
def decision(db):
    decision = DecisionFactory(
        number="24/00123", title="Community drug and alcohol service", summary="The summary."
    )
    ReportSectionFactory(decision=decision, heading="Background", body="Why we decide.")
    return decision


@pytest.fixture
def exempt_decision(db):
    decision = DecisionFactory(
        number="24/00124",
        title="Award of the treatment contract",
        summary=f"{SECRET} summary",
        financial_implications=f"{SECRET} prices",
        exempt_paragraph=3,
    )
    ReportSectionFactory(decision=decision, heading=f"{SECRET} heading", body=f"{SECRET} body")
    return decision


# --- Issuing ------------------------------------------------------------------------------


def test_issuing_stores_version_1_with_the_sha256_of_the_stored_bytes(decision, clerk):
    document = _issue(decision, clerk)

    assert document.version == 1
    assert document.kind == IssuedDocument.Kind.REPORT
    assert document.issued_by == clerk
    assert document.as_of == timezone.localdate()
    assert document.exempt_paragraph is None
    assert not document.public_file
    with document.file.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == document.sha256
    assert "Community drug and alcohol service" in pdf_text(data)


def test_a_reissue_makes_version_2_and_keeps_version_1(decision, clerk, clerk_client):
    first = _issue(decision, clerk)
    first_bytes = _download(clerk_client, first)
    decision.summary = "A corrected summary."
    decision.save()

    second = _issue(decision, clerk, reason="Corrected the summary")

    assert second.version == 2
    assert second.reason == "Corrected the summary"
    assert list(decision.issued_documents.values_list("version", flat=True)) == [2, 1]
    assert _download(clerk_client, first) == first_bytes
    assert "A corrected summary." in pdf_text(_download(clerk_client, second))
    assert "A corrected summary." not in pdf_text(first_bytes)


def test_each_document_kind_has_its_own_versions(decision, clerk):
    _issue(decision, clerk, kind=IssuedDocument.Kind.REPORT)
    record = _issue(decision, clerk, kind=IssuedDocument.Kind.RECORD)
    assert record.version == 1


def test_the_service_refuses_a_reissue_without_a_reason(decision, clerk):
    _issue(decision, clerk)
    with pytest.raises(ValidationError) as error:
        _issue(decision, clerk, reason="   ")
    assert "reason" in error.value.message_dict
    assert decision.issued_documents.count() == 1


def test_the_database_refuses_a_reissue_without_a_reason(decision, clerk):
    stored_document(decision, user=clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        IssuedDocument.objects.create(
            kind="report",
            decision=decision,
            version=2,
            issued_by=clerk,
            as_of=timezone.localdate(),
            sha256="0" * 64,
            file="issued/x.pdf",
        )


@pytest.mark.parametrize("kind", ["report", "record", "notice"])
def test_the_issue_page_issues_a_first_version_without_a_reason(clerk_client, decision, kind):
    url = reverse("decisions:issue", args=[decision.pk, kind])
    assert clerk_client.get(url).status_code == 200

    response = clerk_client.post(url, {"reason": ""})

    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:issue_progress", args=[decision.pk, kind, 1])
    document = decision.issued_documents.get(kind=kind)
    assert document.version == 1
    assert document.reason == ""


def test_the_issue_page_refuses_a_reissue_without_a_reason_with_a_field_error(
    clerk_client, clerk, decision
):
    _issue(decision, clerk)
    url = reverse("decisions:issue", args=[decision.pk, "report"])

    response = clerk_client.post(url, {"reason": "  "})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Error: " in html
    assert issuing.REISSUE_NEEDS_A_REASON in html
    assert decision.issued_documents.count() == 1
    response = clerk_client.post(url, {"reason": "Corrected the figures"})
    assert response.status_code == 302
    assert decision.issued_documents.get(version=2).reason == "Corrected the figures"


def test_the_progress_page_refreshes_until_the_version_is_issued(clerk_client, clerk, decision):
    url = reverse("decisions:issue_progress", args=[decision.pk, "report", 1])
    waiting = clerk_client.get(url).content.decode()
    assert 'http-equiv="refresh"' in waiting
    assert 'id="issue-waiting"' in waiting

    _issue(decision, clerk)
    done = clerk_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert 'id="issue-result"' in done


def test_an_unknown_document_kind_is_not_found(clerk_client, decision):
    for kind in ("forward_plan", "minutes"):
        url = reverse("decisions:issue", args=[decision.pk, kind])
        assert clerk_client.get(url).status_code == 404


# --- The same bytes, whatever changed since ----------------------------------------------


@pytest.fixture
def demo(db):
    from contracts import demo as contracts_demo
    from decisions import demo as decisions_demo

    contracts_demo.load()
    decisions_demo.load()


def test_an_issued_24_00056_report_is_byte_identical_after_its_contract_and_decision_change(
    demo, clerk, clerk_client
):
    decision = Decision.objects.get(number="KCC 24/00056")
    document = _issue(decision, clerk)
    before = _download(clerk_client, document)
    assert hashlib.sha256(before).hexdigest() == document.sha256
    live_before = clerk_client.get(reverse("decisions:report_pdf", args=[decision.pk])).content

    # The linked contract's next option is exercised; the decision and its parts edited.
    link = decision.contract_links.select_related("contract").first()
    option = link.contract.options.filter(status=ExtensionOption.Status.PENDING).first()
    assert option is not None, "the demo contract has a pending option"
    decide_option(
        contract_id=link.contract_id,
        option_id=option.pk,
        exercise=True,
        decided_on=timezone.localdate(),
        reason="Exercised after the report",
    )
    decision.refresh_from_db()
    decision.summary = "An edited summary, after issue."
    decision.financial_implications = "Edited implications."
    decision.save()
    section = decision.sections.first()
    section.body = "An edited section."
    section.save()
    ReportSection.objects.create(decision=decision, order=99, heading="Added", body="Later.")

    after = _download(clerk_client, document)
    assert after == before
    assert hashlib.sha256(after).hexdigest() == document.sha256
    # The live draft did change: the comparison could fail.
    live_after = clerk_client.get(reverse("decisions:report_pdf", args=[decision.pk])).content
    assert "An edited section." in pdf_text(live_after)
    assert "An edited section." not in pdf_text(after)
    assert live_after != live_before


# --- Never deleted, never changed -----------------------------------------------------


@pytest.fixture
def issued(decision, clerk):
    return stored_document(decision, user=clerk)


def test_the_model_refuses_to_delete_or_change_an_issued_document(issued):
    with pytest.raises(IssuedDocumentIsPermanent):
        issued.delete()
    issued.reason = "rewritten"
    with pytest.raises(IssuedDocumentIsPermanent):
        issued.save()
    assert IssuedDocument.objects.get(pk=issued.pk).reason == ""


def test_the_queryset_refuses_delete_and_update(issued):
    with pytest.raises(IssuedDocumentIsPermanent):
        IssuedDocument.objects.all().delete()
    with pytest.raises(IssuedDocumentIsPermanent):
        IssuedDocument.objects.filter(pk=issued.pk).update(sha256="0" * 64)
    with pytest.raises(IssuedDocumentIsPermanent):
        IssuedDocument._base_manager.all().delete()
    assert IssuedDocument.objects.filter(pk=issued.pk).exists()


def test_deleting_the_decision_is_refused_while_it_has_issued_documents(issued):
    with pytest.raises(ProtectedError):
        issued.decision.delete()


def _raw(sql: str, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM decisions_issueddocument WHERE id = %s",
        "UPDATE decisions_issueddocument SET sha256 = 'forged' WHERE id = %s",
        "UPDATE decisions_issueddocument SET file = 'issued/other.pdf' WHERE id = %s",
        "UPDATE decisions_issueddocument SET public_sha256 = '' WHERE id = %s",
    ],
    ids=["delete", "update sha256", "update file", "update public sha256"],
)
def test_the_database_refuses_raw_sql_that_deletes_or_changes_an_issued_document(issued, sql):
    # PostgreSQL: the pgtrigger; SQLite: the triggers of migration 0010. Both databases.
    with pytest.raises(DatabaseError, match="(?i)cannot (update or )?delete|cannot update"):
        _raw(sql, [issued.pk])
    stored = IssuedDocument.objects.get(pk=issued.pk)
    assert stored.sha256 == issued.sha256
    assert stored.file.name == issued.file.name


def test_the_admin_is_read_only_and_cannot_delete_even_for_a_superuser(issued, clerk):
    superuser = UserFactory(
        username="root", is_staff=True, is_superuser=True, cleared_for_exempt=True
    )
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = admin_site._registry[IssuedDocument]
    assert not model_admin.has_delete_permission(request, issued)
    assert not model_admin.has_change_permission(request, issued)
    assert not model_admin.has_add_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)

    client = Client()
    client.force_login(superuser)
    delete_url = reverse("admin:decisions_issueddocument_delete", args=[issued.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    change_url = reverse("admin:decisions_issueddocument_change", args=[issued.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert reverse("decisions:issued_download", args=[issued.pk]) in page.content.decode()
    assert IssuedDocument.objects.filter(pk=issued.pk).exists()


def test_no_role_is_given_a_permission_to_change_or_delete_issued_documents(roles):
    codenames = set(
        Permission.objects.filter(content_type__model="issueddocument").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"add_issueddocument", "view_issueddocument"}


# --- Exempt decisions --------------------------------------------------------------------


def test_an_exempt_decision_issues_a_full_and_a_public_file(exempt_decision, clerk):
    document = _issue(exempt_decision, clerk)

    assert document.exempt_paragraph == 3
    with document.file.open("rb") as full, document.public_file.open("rb") as public:
        full_bytes, public_bytes = full.read(), public.read()
    assert hashlib.sha256(full_bytes).hexdigest() == document.sha256
    assert hashlib.sha256(public_bytes).hexdigest() == document.public_sha256
    assert SECRET in pdf_text(full_bytes)
    public_text = pdf_text(public_bytes)
    assert SECRET not in public_text
    assert "paragraph 3" in public_text.lower()


def test_an_uncleared_reader_downloads_the_public_file_and_a_cleared_one_the_full(
    exempt_decision, clerk, clerk_client, commissioner_client, auditor_client
):
    document = _issue(exempt_decision, clerk)

    assert SECRET in pdf_text(_download(clerk_client, document))
    for client in (commissioner_client, auditor_client):
        text = pdf_text(_download(client, document))
        assert SECRET not in text
        assert "paragraph 3" in text.lower()


def test_each_reader_is_told_which_version_the_download_is(
    exempt_decision, clerk, clerk_client, commissioner_client
):
    document = _issue(exempt_decision, clerk)
    slug = exempt_decision.number.replace("/", "-").replace(" ", "")
    url = reverse("decisions:issued_download", args=[document.pk])
    full = clerk_client.get(url)["Content-Disposition"]
    public = commissioner_client.get(url)["Content-Disposition"]
    assert full == f'attachment; filename="{slug}-report-v1.pdf"'
    assert public == f'attachment; filename="{slug}-report-v1-public.pdf"'


def test_a_decision_made_exempt_after_issue_is_not_served_to_an_uncleared_reader(
    decision, clerk, clerk_client, commissioner_client
):
    document = _issue(decision, clerk)
    assert _download(commissioner_client, document)  # public while unrestricted

    decision.exempt_paragraph = 3
    decision.save()

    response = commissioner_client.get(reverse("decisions:issued_download", args=[document.pk]))
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")
    assert "exempt under paragraph 3" in response.content.decode()
    assert not response.content.startswith(b"%PDF")
    assert _download(clerk_client, document).startswith(b"%PDF")


def test_an_uncleared_clerk_may_not_issue_an_exempt_decision(exempt_decision, roles):
    uncleared = UserFactory(username="uncleared-clerk", role=CLERK)
    with pytest.raises(PermissionDenied):
        _issue(exempt_decision, uncleared)
    client = Client()
    client.force_login(uncleared)
    url = reverse("decisions:issue", args=[exempt_decision.pk, "report"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403
    assert not exempt_decision.issued_documents.exists()


@pytest.mark.parametrize(
    "cleared, was_exempt, exempt_now, expected",
    [
        (True, False, False, "full"),
        (True, False, True, "full"),
        (True, True, True, "full"),
        (False, False, False, "full"),
        (False, True, True, "public"),
        (False, True, False, "public"),
        (False, False, True, None),
    ],
)
def test_which_file_a_reader_gets(cleared, was_exempt, exempt_now, expected):
    decision = Decision(pk=1, number="24/1", title="t", exempt_paragraph=3 if exempt_now else None)
    document = IssuedDocument(
        decision=decision,
        file="issued/full.pdf",
        public_file="issued/public.pdf" if was_exempt else "",
        exempt_paragraph=3 if was_exempt else None,
    )
    reader = AnonymousUser()
    reader.cleared_for_exempt = cleared
    served = document.file_for(reader)
    names = {"issued/full.pdf": "full", "issued/public.pdf": "public"}
    assert (names[served.name] if served else None) == expected


# --- Who may do what --------------------------------------------------------------------


def test_wrong_roles_may_not_issue(decision, commissioner_client, auditor_client, outsider_client):
    url = reverse("decisions:issue", args=[decision.pk, "report"])
    for client in (commissioner_client, auditor_client, outsider_client):
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "x"}).status_code == 403
    assert not decision.issued_documents.exists()


def test_an_outsider_may_not_download(issued, outsider_client, client):
    url = reverse("decisions:issued_download", args=[issued.pk])
    assert outsider_client.get(url).status_code == 403
    assert client.get(url).status_code == 302  # signed out: sent to sign in


# --- The decision page and its history ----------------------------------------------------


def test_the_decision_page_lists_the_versions_with_download_links(decision, clerk, clerk_client):
    first = _issue(decision, clerk)
    second = _issue(decision, clerk, reason="Corrected the summary")

    html = clerk_client.get(decision.get_absolute_url()).content.decode()

    assert 'id="issued"' in html
    for document in (first, second):
        assert reverse("decisions:issued_download", args=[document.pk]) in html
        assert document.sha256[:12] in html
    assert "Corrected the summary" in html
    assert reverse("decisions:issue", args=[decision.pk, "report"]) in html
    assert "Re-issue the Key Decision Report" in html


def test_the_decision_page_shows_no_issue_buttons_to_a_reader(decision, clerk, commissioner_client):
    document = _issue(decision, clerk)
    html = commissioner_client.get(decision.get_absolute_url()).content.decode()
    assert reverse("decisions:issued_download", args=[document.pk]) in html
    assert reverse("decisions:issue", args=[decision.pk, "report"]) not in html


def test_an_exempt_decisions_page_gives_an_uncleared_reader_the_public_hash_only(
    exempt_decision, clerk, commissioner_client
):
    document = _issue(exempt_decision, clerk, reason="")
    second = _issue(exempt_decision, clerk, reason=f"{SECRET} reason")
    html = commissioner_client.get(exempt_decision.get_absolute_url()).content.decode()

    assert document.public_sha256[:12] in html
    assert document.sha256[:12] not in html
    assert second.public_sha256[:12] in html
    assert SECRET not in html


def test_the_history_shows_the_issue_event(decision, clerk, commissioner_client):
    _issue(decision, clerk, kind=IssuedDocument.Kind.RECORD)
    html = commissioner_client.get(decision.get_absolute_url()).content.decode()
    assert "24/00123: Record of Decision, version 1" in html


def test_an_exempt_decisions_issue_event_hides_its_reason_from_an_uncleared_reader(
    exempt_decision, clerk, commissioner_client, clerk_client
):
    _issue(exempt_decision, clerk)
    _issue(exempt_decision, clerk, reason=f"{SECRET} reissue")
    url = reverse("audit:record", args=["decisions.decision", exempt_decision.pk])
    assert (
        SECRET not in commissioner_client.get(exempt_decision.get_absolute_url()).content.decode()
    )
    assert SECRET not in commissioner_client.get(url).content.decode()
    assert (
        f"{SECRET} reissue" in clerk_client.get(exempt_decision.get_absolute_url()).content.decode()
    )


def test_the_decision_pages_query_count_does_not_grow_with_issued_versions(
    decision, clerk, commissioner_client, django_assert_num_queries
):
    stored_document(decision, user=clerk)
    url = decision.get_absolute_url()
    commissioner_client.get(url)
    with CaptureQueriesContext(connection) as few:
        commissioner_client.get(url)
    for version in range(2, 7):
        stored_document(decision, user=clerk, version=version)
    with django_assert_num_queries(len(few.captured_queries)):
        commissioner_client.get(url)


# --- The forward plan ---------------------------------------------------------------------


def test_a_forward_plan_is_issued_per_authority_and_period_with_its_own_versions(clerk):
    authority = AuthorityFactory(name="Kent County Council")
    today = timezone.localdate()
    DecisionFactory(
        authority=authority,
        title="A planned key decision",
        is_key_decision=True,
        decision_date=today + timedelta(days=40),
    )
    period = (today, today + timedelta(days=120))

    first = issuing.issue_document(
        kind=IssuedDocument.Kind.FORWARD_PLAN,
        authority=authority,
        period=period,
        user=clerk,
        base_url=BASE_URL,
    )
    second = issuing.issue_document(
        kind=IssuedDocument.Kind.FORWARD_PLAN,
        authority=authority,
        period=period,
        user=clerk,
        reason="Added a decision",
        base_url=BASE_URL,
    )
    other_period = issuing.issue_document(
        kind=IssuedDocument.Kind.FORWARD_PLAN,
        authority=authority,
        period=(today, today + timedelta(days=30)),
        user=clerk,
        base_url=BASE_URL,
    )

    assert (first.version, second.version, other_period.version) == (1, 2, 1)
    with first.file.open("rb") as stored:
        data = stored.read()
    assert hashlib.sha256(data).hexdigest() == first.sha256
    assert "A planned key decision" in pdf_text(data)
    assert str(first) == "Kent County Council: Forward plan, version 1"


def test_a_forward_plan_period_must_not_end_before_it_starts(clerk):
    authority = AuthorityFactory()
    with pytest.raises(ValidationError):
        issuing.issue_document(
            kind=IssuedDocument.Kind.FORWARD_PLAN,
            authority=authority,
            period=(date(2026, 12, 31), date(2026, 1, 1)),
            user=clerk,
            base_url=BASE_URL,
        )


def _plan_post(authority, reason="", start="01/01/2027", end="30/04/2027") -> dict:
    return {"authority": authority.pk, "period_from": start, "period_to": end, "reason": reason}


def test_a_clerk_issues_a_forward_plan_from_its_page_and_a_reissue_needs_a_reason(clerk_client):
    authority = AuthorityFactory(name="Kent County Council")
    url = reverse("decisions:forward_plan_issue")
    assert clerk_client.get(url).status_code == 200

    response = clerk_client.post(url, _plan_post(authority))
    assert response.status_code == 302
    first = IssuedDocument.objects.get(kind=IssuedDocument.Kind.FORWARD_PLAN)
    assert (first.authority, first.period_from, first.period_to) == (
        authority,
        date(2027, 1, 1),
        date(2027, 4, 30),
    )

    again = clerk_client.post(url, _plan_post(authority))
    assert again.status_code == 200
    assert issuing.REISSUE_NEEDS_A_REASON in again.content.decode()
    assert IssuedDocument.objects.count() == 1

    clerk_client.post(url, _plan_post(authority, reason="Added a decision"))
    assert sorted(authority.issued_forward_plans.values_list("version", flat=True)) == [1, 2]
    page = clerk_client.get(url).content.decode()
    assert reverse("decisions:issued_download", args=[first.pk]) in page


def test_a_forward_plan_period_that_ends_before_it_starts_is_a_field_error(clerk_client):
    authority = AuthorityFactory()
    url = reverse("decisions:forward_plan_issue")
    response = clerk_client.post(url, _plan_post(authority, start="30/04/2027", end="01/01/2027"))
    assert response.status_code == 200
    assert "The period must end on or after its start." in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_wrong_roles_may_not_issue_a_forward_plan(
    commissioner_client, auditor_client, outsider_client
):
    authority = AuthorityFactory()
    url = reverse("decisions:forward_plan_issue")
    for client in (commissioner_client, auditor_client, outsider_client):
        assert client.get(url).status_code == 403
        assert client.post(url, _plan_post(authority)).status_code == 403
    assert not IssuedDocument.objects.exists()


def test_any_reader_downloads_an_issued_forward_plan(clerk, commissioner_client):
    authority = AuthorityFactory()
    document = issuing.issue_document(
        kind=IssuedDocument.Kind.FORWARD_PLAN,
        authority=authority,
        period=(date(2027, 1, 1), date(2027, 4, 30)),
        user=clerk,
        base_url=BASE_URL,
    )
    data = _download(commissioner_client, document)
    assert hashlib.sha256(data).hexdigest() == document.sha256
