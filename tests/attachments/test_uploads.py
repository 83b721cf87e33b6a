"""Attaching, downloading and withdrawing files on the decision and contract pages.

Clerks attach files to decisions, commissioners to contracts (each role edits its own
app: accounts.roles). Auditors change nothing; users with no role read nothing.
"""

import hashlib

import pytest
from django.urls import reverse

from contracts.models import ContractAttachment
from decisions.models import DecisionAttachment
from tests.attachments import files
from tests.attachments.factories import attach
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import DecisionFactory
from ui.attachments import MAX_BYTES, AttachmentsAreWithdrawn
from ui.uploads import FORM_OVERHEAD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def storage(attachment_storage):
    return attachment_storage


def _add_url(record) -> str:
    if hasattr(record, "decision_type"):
        return reverse("decisions:attachment_add", args=[record.pk])
    return reverse("contracts:attachment_add", args=[record.pk])


def _post(client, record, name, data, **fields):
    return client.post(
        _add_url(record),
        {
            "title": "Appendix title",
            "kind": fields.pop(
                "kind", "appendix" if hasattr(record, "decision_type") else "notice"
            ),
            "exempt_paragraph": "",
            "file": files.upload(name, data),
            **fields,
        },
    )


# --- Each type, by its content --------------------------------------------------------


@pytest.mark.parametrize("key", files.ACCEPTED)
def test_a_clerk_attaches_each_accepted_type_to_a_decision(key, clerk_client, clerk, storage):
    decision = DecisionFactory()
    name, data, content_type = files.ACCEPTED[key]
    response = _post(clerk_client, decision, name, data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"{decision.get_absolute_url()}#attachments")
    attachment = DecisionAttachment.objects.get(decision=decision)
    assert attachment.original_filename == name
    assert attachment.content_type == content_type
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.uploaded_by == clerk
    assert storage.open(attachment.stored_name).read() == data
    assert attachment.history.get().history_type == "+"


@pytest.mark.parametrize("key", ["pdf", "xlsx", "csv"])
def test_a_commissioner_attaches_a_file_to_a_contract(key, commissioner_client, storage):
    contract = ContractFactory()
    name, data, content_type = files.ACCEPTED[key]
    response = _post(commissioner_client, contract, name, data, kind="signed_contract")
    assert response.status_code == 302
    attachment = ContractAttachment.objects.get(contract=contract)
    assert (attachment.kind, attachment.content_type) == ("signed_contract", content_type)
    assert storage.open(attachment.stored_name).read() == data


def test_a_renamed_file_is_refused_with_the_reason_on_the_field(clerk_client):
    decision = DecisionFactory()
    response = _post(clerk_client, decision, "report.docx", files.PDF)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "report.docx is not a Word document: its content is a PDF."
    ]
    html = response.content.decode()
    assert "There is a problem" in html  # the error summary, linking to the field
    assert 'href="#id_file"' in html
    assert not DecisionAttachment.objects.exists()


def test_a_file_of_an_unaccepted_type_is_refused(commissioner_client):
    contract = ContractFactory()
    response = _post(commissioner_client, contract, "setup.exe", b"MZ\x90\x00")
    assert "setup.exe is not a type of file that can be attached" in response.content.decode()
    assert not ContractAttachment.objects.exists()


def test_a_missing_title_or_file_is_asked_for(clerk_client):
    decision = DecisionFactory()
    response = clerk_client.post(_add_url(decision), {"title": "", "kind": "appendix"})
    errors = response.context["form"].errors
    assert errors["file"] == ["Choose a file to attach."]
    assert "title" in errors


def test_a_file_over_20_mb_is_refused_before_it_is_read(clerk_client):
    decision = DecisionFactory()
    big = files.PDF + b"0" * (MAX_BYTES + FORM_OVERHEAD)
    response = _post(clerk_client, decision, "big.pdf", big)
    assert response.status_code == 413
    assert not DecisionAttachment.objects.exists()


def test_the_form_itself_refuses_a_file_over_20_mb():
    from decisions.forms import DecisionAttachmentForm

    big = files.upload("big.pdf", files.PDF + b"0" * MAX_BYTES)
    form = DecisionAttachmentForm(
        {"title": "Big", "kind": "appendix", "exempt_paragraph": ""}, {"file": big}
    )
    assert form.errors["file"] == ["big.pdf is larger than 20 MB: attach a smaller file."]


def test_the_page_offers_the_upload_form_to_those_who_may_attach(clerk_client, auditor_client):
    decision = DecisionFactory()
    page = clerk_client.get(decision.get_absolute_url()).content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="file"' in page
    assert "No files are attached to this decision." in page
    page = auditor_client.get(decision.get_absolute_url()).content.decode()
    assert 'name="file"' not in page


# --- Roles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, record_kind, status",
    [
        ("commissioner_client", "decision", 403),  # reads decisions, edits contracts
        ("clerk_client", "contract", 403),  # edits decisions, reads contracts
        ("auditor_client", "decision", 403),
        ("auditor_client", "contract", 403),
        ("outsider_client", "decision", 403),
        ("outsider_client", "contract", 403),
    ],
)
def test_roles_that_do_not_edit_the_record_cannot_attach(request, role, record_kind, status):
    client = request.getfixturevalue(role)
    record = DecisionFactory() if record_kind == "decision" else ContractFactory()
    assert _post(client, record, "report.pdf", files.PDF).status_code == status
    assert not DecisionAttachment.objects.exists() and not ContractAttachment.objects.exists()


def test_a_user_with_no_role_cannot_download_or_withdraw(outsider_client):
    decision = DecisionFactory()
    attachment = attach(decision)
    args = [decision.pk, attachment.pk]
    assert (
        outsider_client.get(reverse("decisions:attachment_download", args=args)).status_code == 403
    )
    assert (
        outsider_client.get(reverse("decisions:attachment_withdraw", args=args)).status_code == 403
    )


def test_an_uncleared_clerk_cannot_attach_to_an_exempt_decision(roles):
    from django.test import Client

    from accounts.roles import CLERK
    from tests.accounts.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="uncleared-clerk", role=CLERK))
    decision = DecisionFactory(exempt_paragraph=3)
    assert _post(client, decision, "report.pdf", files.PDF).status_code == 403


# --- Download -----------------------------------------------------------------------


def test_a_download_streams_the_bytes_as_an_attachment_never_sniffed(commissioner_client):
    decision = DecisionFactory()
    attachment = attach(decision, name="Budget 2025.xlsx", data=files.XLSX)
    url = reverse("decisions:attachment_download", args=[decision.pk, attachment.pk])
    response = commissioner_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Budget 2025.xlsx"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == attachment.content_type


def test_a_download_of_another_records_file_is_not_found(commissioner_client):
    attachment = attach(DecisionFactory())
    other = DecisionFactory()
    url = reverse("decisions:attachment_download", args=[other.pk, attachment.pk])
    assert commissioner_client.get(url).status_code == 404


def test_the_stored_file_is_named_by_its_hash_not_by_the_users_name():
    attachment = attach(ContractFactory(), name="../../etc/passwd.pdf")
    assert attachment.stored_name == f"attachments/{attachment.sha256[:2]}/{attachment.sha256}"
    assert attachment.original_filename == "passwd.pdf"


# --- Withdrawal ---------------------------------------------------------------------


def _withdraw_url(attachment) -> str:
    return reverse("decisions:attachment_withdraw", args=[attachment.decision_id, attachment.pk])


def test_withdrawing_needs_a_reason(clerk_client):
    attachment = attach(DecisionFactory())
    response = clerk_client.post(_withdraw_url(attachment), {"reason": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [
        "Give the reason for withdrawing the file."
    ]
    attachment.refresh_from_db()
    assert attachment.withdrawn_at is None


def test_withdrawing_keeps_the_row_its_history_and_its_bytes(
    clerk_client, clerk, commissioner_client, auditor_client, storage
):
    decision = DecisionFactory()
    attachment = attach(decision, title="Draft tender evaluation")
    page = clerk_client.get(_withdraw_url(attachment))
    assert "Draft tender evaluation" in page.content.decode()
    data = {"reason": "Superseded by the final evaluation", "version": attachment.version}
    response = clerk_client.post(_withdraw_url(attachment), data)
    assert response.status_code == 302

    attachment.refresh_from_db()
    assert attachment.withdrawn_by == clerk
    assert attachment.withdrawal_reason == "Superseded by the final evaluation"
    assert storage.exists(attachment.stored_name)
    latest = attachment.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Superseded by the final evaluation"
    assert latest.history_type == "~"

    # Gone from the lists, but not from the auditor's view or the history.
    assert "Draft tender evaluation" not in _attachments_section(commissioner_client, decision)
    auditor_page = _attachments_section(auditor_client, decision)
    assert "Draft tender evaluation" in auditor_page
    assert "Superseded by the final evaluation" in auditor_page
    download = reverse("decisions:attachment_download", args=[decision.pk, attachment.pk])
    assert commissioner_client.get(download).status_code == 404
    assert auditor_client.get(download).status_code == 200


def _attachments_section(client, decision) -> str:
    html = client.get(decision.get_absolute_url()).content.decode()
    return html.split('id="attachments"', 1)[1].split('id="history"', 1)[0]


def test_an_attachment_is_never_deleted_only_withdrawn():
    attachment = attach(ContractFactory())
    with pytest.raises(AttachmentsAreWithdrawn):
        attachment.delete()
    with pytest.raises(AttachmentsAreWithdrawn):
        ContractAttachment.objects.all().delete()
    assert ContractAttachment.objects.filter(pk=attachment.pk).exists()


def test_a_record_with_files_cannot_be_deleted_from_under_them():
    from django.db.models import ProtectedError

    contract = ContractFactory()
    attach(contract)
    with pytest.raises(ProtectedError):
        contract.delete()


def test_a_withdrawal_without_a_reason_is_refused_by_the_database_too():
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    attachment = attach(ContractFactory())
    attachment.withdrawn_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        attachment.save()
