"""Files attached to records (a decision's appendices, a contract's signed copy): the
part every app shares.

- :func:`identify` and :func:`check_upload`: what a file is, read from its content
  (never from its name alone), and whether its name agrees. Pure functions.
- :class:`Attachment`: the abstract model (title, kind, classification, the stored
  bytes' name and SHA-256, who uploaded it and when, and its withdrawal). Concrete
  models live with their record (contracts.ContractAttachment,
  decisions.DecisionAttachment) and say which record's classification they inherit.
- Who sees what of an attachment (:func:`withheld`, :func:`shown_to`,
  ``Attachment.objects.readable_by``, :func:`annotate_history`): the one place that
  decides it, for the pages, the download, the history, the admin and the PDFs. A user
  not cleared for exempt information (``cleared_for_exempt``, as in
  decisions.visibility.is_cleared) sees of an exempt attachment only "Exempt appendix
  (paragraph N)": not its title, kind, file name, size or content.
- Storage: the bytes go through Django's storage API (``default_storage``) under a name
  made of their SHA-256, so a name typed by a user never reaches a path, and nothing is
  served from a public media URL: downloads stream through a permission-checked view
  (:func:`download_response`).

What a file is, from its content, is worked out in ui.file_types (pure functions,
standard library only) and re-exported here.
"""

import hashlib
import io
from dataclasses import dataclass, replace
from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

# What a file is (ui.file_types), under the names the apps use.
from accounts.roles import is_cleared
from audit.models import AuditedModel, AuditedQuerySet
from ui import exports
from ui.file_types import (  # noqa: F401 (re-exported: apps use ui.attachments.*)
    ACCEPT_ATTRIBUTE,
    ACCEPTED_TEXT,
    FILE_TYPES,
    MAX_BYTES,
    MAX_MEGABYTES,
    FileType,
    check_upload,
    identify,
    size_label,
    type_for_name,
)
from ui.forms import DeleteForm, GovukModelForm, ReasonField

# --- Storage -------------------------------------------------------------------------


def sha256_of(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def storage_name(sha256: str) -> str:
    """Where bytes with this hash are kept: the same bytes are stored once, and kept
    (a withdrawn attachment's bytes stay for the documents that cite them)."""
    return f"attachments/{sha256[:2]}/{sha256}"


def store(file) -> tuple[str, str, int]:
    """Save ``file``'s bytes in the default storage: (name, sha256, size)."""
    sha256 = sha256_of(file)
    name = storage_name(sha256)
    if not default_storage.exists(name):
        # Two uploads of the same bytes at once: the second gets a suffixed name of
        # its own (FileSystemStorage never overwrites), which is returned and kept.
        name = default_storage.save(name, file)
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    return name, sha256, size


# --- The model -----------------------------------------------------------------------

EXEMPT_PARAGRAPHS = range(1, 8)  # Local Government Act 1972 Sch 12A Part 1, paras 1–7


class AttachmentsAreWithdrawn(Exception):
    """Raised by a delete of an attachment: it is withdrawn instead, and its bytes kept."""


def sees_withdrawn(user) -> bool:
    """Auditors and administrators see withdrawn attachments, and download them (an
    issued document's appendices stay available to them)."""
    from accounts.roles import ADMINISTRATOR, AUDITOR, role_of

    return role_of(user) in (AUDITOR, ADMINISTRATOR)


class AttachmentQuerySet(AuditedQuerySet):
    def current(self):
        return self.filter(withdrawn_at__isnull=True)

    def listed_for(self, user):
        """Current attachments, and for auditors and administrators the withdrawn too."""
        return self if sees_withdrawn(user) else self.current()

    def readable_by(self, user):
        """Attachments whose title and content ``user`` may read (the admin's list, a
        download): for a user not cleared, none exempt in itself or by its record."""
        if is_cleared(user):
            return self
        readable = Q(exempt_paragraph__isnull=True)
        if self.model.parent_exempt_lookup:
            readable &= Q(**{f"{self.model.parent_exempt_lookup}__isnull": True})
        return self.filter(readable)

    def delete(self):
        raise AttachmentsAreWithdrawn(
            "Attachments are withdrawn with a reason, never deleted: see Attachment.withdraw."
        )


class Attachment(AuditedModel):
    """A file attached to a record. Concrete models add the record's foreign key
    (``parent_field``), its ``Kind`` choices and ``history = audited_history()``."""

    title = models.CharField(
        max_length=200, help_text="As the file is listed, for example “Equality impact assessment”."
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        "exempt under paragraph",
        null=True,
        blank=True,
        choices=[(n, f"Paragraph {n}") for n in EXEMPT_PARAGRAPHS],
        help_text="Schedule 12A paragraph, if this file is exempt even though its record "
        "may not be. Leave blank for an unrestricted file.",
    )
    original_filename = models.CharField("file name", max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(help_text="In bytes.")
    sha256 = models.CharField("SHA-256", max_length=64)
    stored_name = models.CharField(
        max_length=255, help_text="The file's name in the storage (made of its SHA-256)."
    )
    # PROTECT: users are deactivated, not deleted (accounts.models), and one who
    # uploaded or withdrew a file has history. SET_NULL would be a bulk update of an
    # audited table, which audit refuses (a user without files deletes as before).
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank for files added by imports or commands.",
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawal_reason = models.TextField(blank=True)

    objects = models.Manager.from_queryset(AttachmentQuerySet)()

    # Where the bytes are is bookkeeping; their SHA-256 (in the history) names them.
    history_hidden_fields = ("stored_name",)

    # The lookup from the attachment to its record's exempt paragraph, if it has one.
    parent_field = ""
    parent_exempt_lookup = ""

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        # Wherever Django names a record by itself (the admin's "cannot delete, these
        # depend on it" page, a history row's label), an exempt file is only its label.
        if self.is_exempt:
            return exempt_label(self.effective_paragraph)
        return self.title

    @property
    def parent(self):
        return getattr(self, self.parent_field)

    @property
    def parent_exempt_paragraph(self) -> int | None:
        return None

    @property
    def effective_paragraph(self) -> int | None:
        """Its own paragraph, else its record's: a file of an exempt decision is exempt."""
        if self.exempt_paragraph is not None:
            return self.exempt_paragraph
        return self.parent_exempt_paragraph

    @property
    def is_exempt(self) -> bool:
        return self.effective_paragraph is not None

    @property
    def history_restricted(self) -> bool:
        return self.is_exempt

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def file_type(self) -> FileType | None:
        return next((t for t in FILE_TYPES.values() if t.content_type == self.content_type), None)

    @classmethod
    def annotate_history_visibility(cls, history_qs):
        """See audit.history.readable_history."""
        return annotate_history(history_qs, model=cls)

    @classmethod
    def parent_exempt_now(cls):
        """An expression: the record's exempt paragraph now, for a history row's
        ``OuterRef``; None when the record cannot be exempt."""
        return None

    def delete(self, *args, **kwargs):
        raise AttachmentsAreWithdrawn(
            f"{self._meta.verbose_name} {self.pk} is withdrawn with a reason, never deleted."
        )

    def withdraw(self, *, by, reason: str) -> None:
        """Hide it from lists (not from auditors or the history), keeping its bytes."""
        if not reason.strip():
            raise ValidationError({"reason": "Give the reason for withdrawing the file."})
        with transaction.atomic():
            self.withdrawn_at = timezone.now()
            self.withdrawn_by = by
            self.withdrawal_reason = reason
            self._change_reason = reason
            self.save()


def save_upload(attachment: Attachment, upload, file_type: FileType, *, user) -> Attachment:
    """Store the upload's bytes and save ``attachment`` (with history) describing them."""
    name, sha256, size = store(upload)
    attachment.stored_name = name
    attachment.sha256 = sha256
    attachment.size = size
    attachment.content_type = file_type.content_type
    attachment.original_filename = _clean_filename(upload.name)
    attachment.uploaded_by = user
    attachment.uploaded_at = timezone.now()
    attachment.full_clean()
    attachment.save()
    return attachment


def _clean_filename(name: str) -> str:
    """The name as uploaded, on one line, without a path, at most 255 characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()) or "file"
    if len(name) > 255:
        stem, dot, ext = name.rpartition(".")
        name = stem[: 254 - len(ext)] + dot + ext if dot and len(ext) < 20 else name[:255]
    return name


# --- Who sees what -------------------------------------------------------------------

APPENDIX = "appendix"
BACKGROUND_PAPER = "background_paper"


def exempt_label(paragraph: int) -> str:
    return f"Exempt appendix (paragraph {paragraph})"


def withheld(attachment: Attachment, user) -> bool:
    """Whether ``user`` may see only "Exempt appendix (paragraph N)" of ``attachment``."""
    return attachment.is_exempt and not is_cleared(user)


@dataclass(frozen=True)
class Shown:
    """An attachment as one reader may see it. A withheld one carries nothing but its
    key, its paragraph and its label, so no template can show more of it."""

    pk: int
    withheld: bool
    label: str
    paragraph: int | None = None
    kind: str = ""
    kind_label: str = ""
    filename: str = ""
    type_name: str = ""
    size: str = ""
    uploaded_at: datetime | None = None
    uploaded_by: str = ""
    withdrawn_at: datetime | None = None
    withdrawn_by: str = ""
    withdrawal_reason: str = ""
    report_label: str = ""

    @property
    def details(self) -> str:
        """ "PDF, 120 KB"; empty when withheld."""
        return f"{self.type_name}, {self.size}" if self.type_name else ""


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def shown(attachment: Attachment, user) -> Shown:
    paragraph = attachment.effective_paragraph
    if withheld(attachment, user):
        return Shown(
            pk=attachment.pk,
            withheld=True,
            label=exempt_label(paragraph),
            paragraph=paragraph,
            report_label=exempt_label(paragraph),
        )
    file_type = attachment.file_type
    return Shown(
        pk=attachment.pk,
        withheld=False,
        label=attachment.title,
        paragraph=paragraph,
        kind=attachment.kind,
        kind_label=attachment.get_kind_display(),
        filename=attachment.original_filename,
        type_name=file_type.short_name if file_type else attachment.content_type,
        size=size_label(attachment.size),
        uploaded_at=attachment.uploaded_at,
        uploaded_by=_name(attachment.uploaded_by),
        withdrawn_at=attachment.withdrawn_at,
        withdrawn_by=_name(attachment.withdrawn_by),
        withdrawal_reason=attachment.withdrawal_reason,
    )


def shown_to(user, attachments, *, withdrawn: bool = False, letters_taken: int = 0) -> list[Shown]:
    """The attachments (prefetched with their uploaders) as ``user`` may see them:
    current ones, and with ``withdrawn`` the withdrawn ones too for those who see them.

    Each current appendix and background paper has its ``report_label``, as the report
    lists it: appendices lettered in order of upload, from the letter after the
    ``letters_taken`` that the report's own appendices use (decisions.rules.
    appendix_letters_taken), "Appendix A – Title (PDF,
    120 KB)", and "Background paper – Title (PDF, 12 KB)". A withheld one keeps its
    place and letter, so every reader's report letters the same file alike, and reads
    "Appendix B – Exempt appendix (paragraph 3)".
    """
    include_withdrawn = withdrawn and sees_withdrawn(user)
    listed = []
    appendices = letters_taken
    for attachment in attachments:
        if attachment.withdrawn_at is not None and not include_withdrawn:
            continue
        item = shown(attachment, user)
        text = item.label if item.withheld else f"{item.label} ({item.details})"
        current = attachment.withdrawn_at is None
        if current and attachment.kind == APPENDIX:
            item = replace(item, report_label=f"Appendix {_letter(appendices)} – {text}")
            appendices += 1
        elif current and attachment.kind == BACKGROUND_PAPER:
            item = replace(item, report_label=f"Background paper – {text}")
        listed.append(item)
    return listed


def _letter(n: int) -> str:
    """A, B, ..., Z, AA, AB, ..."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- History, restricted at read time -------------------------------------------------


def annotate_history(history_qs, *, model):
    """History rows of attachments with ``restricted_now`` and ``label_now``: restricted
    when written so, or the attachment or its record is exempt now (a file made exempt
    later hides its earlier history at once), labelled then "Exempt appendix
    (paragraph N)"."""
    live = model._base_manager.filter(pk=OuterRef("id")).values("exempt_paragraph")[:1]
    latest = (
        model.history.filter(id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("exempt_paragraph")[:1]
    )
    own_now = Coalesce(Subquery(live), Subquery(latest))
    parent_now = model.parent_exempt_now()
    paragraph_now = own_now if parent_now is None else Coalesce(own_now, parent_now)
    return history_qs.alias(_paragraph_now=paragraph_now).annotate(
        restricted_now=Case(
            When(restricted=True, then=Value(True)),
            When(_paragraph_now__isnull=False, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        label_now=Case(
            When(
                _paragraph_now__isnull=False,
                then=Concat(
                    Value("Exempt appendix (paragraph "),
                    F("_paragraph_now"),
                    Value(")"),
                    output_field=CharField(),
                ),
            ),
            When(restricted=True, then=Value("Exempt appendix")),
            default=F("record_label"),
            output_field=CharField(),
        ),
    )


# --- Downloads -----------------------------------------------------------------------


def download_response(attachment: Attachment):
    """The stored bytes, streamed, as a download under the uploaded name; the browser
    is told not to guess another type (nosniff) or show it inline."""
    response = exports.download(
        default_storage.open(attachment.stored_name, "rb"),
        attachment.original_filename,
        attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Forms ---------------------------------------------------------------------------


class AttachmentForm(GovukModelForm):
    """Upload one file: title, kind, classification and the file, checked by content.

    Concrete forms set ``Meta.model`` and may relabel the paragraphs."""

    submit_label = "Attach file"

    file = forms.FileField(
        label="File",
        help_text=f"{ACCEPTED_TEXT}, up to {MAX_MEGABYTES} MB.",
        error_messages={"required": "Choose a file to attach."},
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )

    class Meta:
        fields = ["title", "kind", "exempt_paragraph"]
        labels = {"exempt_paragraph": "Classification"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exempt_paragraph"].choices = [
            ("", "Unrestricted"),
            *[(n, label) for n, label in self.paragraph_choices()],
        ]
        self.file_type: FileType | None = None

    def paragraph_choices(self) -> list[tuple[int, str]]:
        return [(n, f"Exempt under paragraph {n} of Schedule 12A") for n in EXEMPT_PARAGRAPHS]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise ValidationError(
                f"{upload.name} is larger than {MAX_MEGABYTES} MB: attach a smaller file."
            )
        self.file_type = check_upload(upload.name, upload)
        return upload


class WithdrawForm(DeleteForm):
    """Confirms a withdrawal (with the version the page was opened with); the reason is
    required, and kept in the history."""

    reason = ReasonField(
        required=True,
        label="Reason for withdrawing",
        help_text="Recorded in the history. The file stays available to auditors.",
        error_messages={"required": "Give the reason for withdrawing the file."},
    )


# --- Views' shared steps (each app's views fetch the record and check the role) ------


def get_readable(model, user, **lookup) -> Attachment:
    """The attachment for a download or a withdrawal: 404 if none (or withdrawn, for
    those who do not see withdrawn files), 403 if it is withheld from ``user``."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    queryset = model.objects.select_related(model.parent_field).listed_for(user)
    attachment = get_object_or_404(queryset, **lookup)
    if withheld(attachment, user):
        raise PermissionDenied("Exempt information: you are not cleared to read this file.")
    return attachment


def upload_page(request, *, attachment: Attachment, form_class, back: str, caption: str):
    """Bind the upload form; on a valid file, store it and save ``attachment`` (new,
    with its record set) and go back to the record; else the form with its errors."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    form = form_class(request.POST or None, request.FILES or None, instance=attachment)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with transaction.atomic():
            save_upload(form.save(commit=False), upload, form.file_type, user=request.user)
        messages.success(request, f"{attachment.title} attached.")
        return redirect(back)
    return render(
        request,
        "ui/attachment_form.html",
        {"form": form, "title": "Attach a file", "caption": caption, "cancel_url": back},
    )


def withdraw_page(request, *, attachment: Attachment, back: str, caption: str):
    """Confirm, with a reason, then withdraw the attachment (its bytes are kept)."""
    from django.contrib import messages
    from django.shortcuts import redirect, render

    from audit.versioning import EditConflict
    from ui.edit import CONFLICT_STATUS

    if attachment.is_withdrawn:
        messages.info(request, f"{attachment.title} was already withdrawn.")
        return redirect(back)
    form = WithdrawForm(request.POST if request.method == "POST" else None, instance=attachment)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            attachment.withdraw(by=request.user, reason=form.cleaned_data["reason"])
        except EditConflict:
            form.add_error(
                None,
                "Someone else changed this file's details meanwhile, so it was not "
                "withdrawn. Check them again before withdrawing it.",
            )
            status = CONFLICT_STATUS
        else:
            messages.success(request, f"{attachment.title} withdrawn.")
            return redirect(back)
    return render(
        request,
        "ui/attachment_confirm_withdraw.html",
        {
            "form": form,
            "attachment": shown(attachment, request.user),
            "caption": caption,
            "cancel_url": back,
        },
        status=status,
    )


# --- The admin -----------------------------------------------------------------------


def attachment_admin_base():
    # A function, so that audit.admin (and django.contrib.admin) are imported when the
    # apps' admin modules are, not while contracts.models imports this module.
    """The admin of an attachment model: its list and forms show only the files the
    user may read (``readable_by``), so an uncleared user's changelist, search and
    change pages never hold an exempt file; its history is refused as other exempt
    history is (audit.admin.HistoryAdmin). Files are added through the record's page,
    which checks their content, and withdrawn there with a reason: never added or
    deleted here, and the stored file's details are read-only."""
    from audit.admin import HistoryAdmin

    class AttachmentAdmin(HistoryAdmin):
        list_display = ("title", "kind", "exempt_paragraph", "uploaded_at", "withdrawn_at")
        list_filter = ("kind", "exempt_paragraph")
        search_fields = ("title", "original_filename")
        readonly_fields = (
            "original_filename",
            "content_type",
            "size",
            "sha256",
            "stored_name",
            "uploaded_by",
            "uploaded_at",
            "withdrawn_at",
            "withdrawn_by",
            "withdrawal_reason",
        )

        def get_queryset(self, request):
            return super().get_queryset(request).readable_by(request.user)

        def has_add_permission(self, request):
            return False

        def has_delete_permission(self, request, obj=None):
            return False

    return AttachmentAdmin
