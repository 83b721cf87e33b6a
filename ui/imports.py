"""One import pipeline for every CSV import: upload → preview → confirm → run.

Each app supplies an :class:`Importer`: how to read and check a file (``plan``, which
writes nothing) and how to write a checked plan (``apply``, all or nothing, in batches
through audit.bulk). Everything else is here, once, with the same rules for every
import (docs/contracts-csv.md, docs/grants-csv.md):

- a file of at most :data:`MAX_BYTES`, read as UTF-8 (with or without Excel's
  byte-order mark) or else Windows-1252, as Excel saves "CSV" on Windows;
- errors name the line (the header is line 1) and the column; any error means nothing
  is written;
- the same count keys everywhere: ``added``, ``updated``, ``unchanged``;
- nothing is kept in a process: the uploaded text, the checked counts and the
  progress are an :class:`ui.models.ImportJob` row, so any app server can show the
  preview and any worker can run it;
- a confirmed file of up to :data:`INLINE_ROWS` rows is imported in the request; a
  longer one is a background task (``python manage.py db_worker`` runs it, see
  README "Deploying") with a progress page that refreshes itself without JavaScript.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from audit.versioning import EditConflict
from ui.forms import GovukForm
from ui.models import ImportJob

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
ENCODINGS = ("utf-8-sig", "cp1252")
# Imports of up to this many rows run in the request; longer ones in the background.
INLINE_ROWS = 200
# How often (in rows) a running import writes its progress.
PROGRESS_EVERY = 500

# What importing a row does, and the keys of the counts, the same for every import.
ADD, UPDATE, UNCHANGED = "add", "update", "unchanged"
COUNT_KEYS = {ADD: "added", UPDATE: "updated", UNCHANGED: "unchanged"}

# Importers by name, as a job names them: a worker finds the code from the job's row.
IMPORTERS = {
    "contracts": "contracts.csv_format.IMPORTER",
    "grants": "grants.transfer.IMPORTER",
}

Progress = Callable[[int], None]


def no_progress(done: int) -> None:
    return None


@dataclass
class Plan:
    """What importing a file would do: each good row (with ``line`` and ``action``), or
    every problem as ``line N: column: what is wrong``."""

    rows: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)

    def counts(self) -> dict[str, int]:
        """Rows by what importing them would do (after a plan with its preview)."""
        counts = dict.fromkeys(COUNT_KEYS.values(), 0)
        for row in self.rows:
            counts[COUNT_KEYS[row.action]] += 1
        return counts


@dataclass(frozen=True)
class Importer:
    name: str  # its key in IMPORTERS
    plural: str  # "contracts", for messages
    permission: str
    # plan(text, progress, preview=True) -> Plan: reads and checks; writes nothing.
    # With preview=False the rows' actions may be left to apply.
    plan: Callable[..., Plan]
    # apply(plan, *, reason, user) -> counts: writes it all in one transaction, or
    # raises (ValidationError, EditConflict) having written nothing.
    apply: Callable[..., dict[str, int]]
    upload_template: str
    preview_template: str
    # preview_context(plan) -> extra context for the preview template.
    preview_context: Callable[[Plan], dict[str, Any]]
    upload_url_name: str
    done_url_name: str
    upload_context: dict[str, Any] = field(default_factory=dict)


def importer_named(name: str) -> Importer:
    path = IMPORTERS[name]
    module, _, attribute = path.rpartition(".")
    return getattr(import_module(module), attribute)


def decode(raw: bytes) -> str:
    """The file's text: UTF-8 (a byte-order mark is dropped), else Windows-1252."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnicodeDecodeError("cp1252", raw, 0, len(raw), "not UTF-8 or Windows-1252 text")


def megabytes(limit: int = MAX_BYTES) -> str:
    return f"{limit / (1024 * 1024):g} MB"


class UploadForm(GovukForm):
    submit_label = "Upload and preview"
    MAX_BYTES = MAX_BYTES

    file = forms.FileField(
        label="CSV file",
        help_text=f"A CSV file of up to {megabytes()}, with the header row first. Nothing is "
        "saved until you confirm the preview.",
        error_messages={"required": "Choose a CSV file to upload."},
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(f"The file must be smaller than {megabytes()}.")
        try:
            return decode(upload.read())
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "The file must be a CSV saved as text (Excel: Save as CSV UTF-8)."
            ) from error


# --- Running a confirmed job -------------------------------------------------------------


def _finish(job_id, **values) -> None:
    ImportJob.objects.filter(pk=job_id).update(finished_at=timezone.now(), text="", **values)


def run(job_id) -> dict[str, int]:
    """Import a confirmed job's file: check it again (the data may have changed since
    the preview), then write it all or nothing. Safe to call twice: only the call that
    moves the job from queued to running does anything."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), rows_done=0
    )
    if not claimed:
        return {}
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    importer = importer_named(job.importer)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_done=min(done, job.rows_total))

    try:
        plan = importer.plan(job.text, progress, preview=False)
        if not plan.ok:
            _finish(job_id, status=ImportJob.Status.FAILED, errors=plan.errors or ["No rows."])
            return {}
        counts = importer.apply(plan, reason=f"Imported from {job.file_name}", user=job.created_by)
    except EditConflict as conflict:  # someone saved a record the file changes
        errors = [f"Nothing was imported: {conflict} Upload the file again."]
    except ValidationError as error:  # e.g. a commitment added since the preview
        errors = [f"Nothing was imported: {message}" for message in error.messages]
    except Exception:
        logger.exception("Import %s failed", job_id)
        errors = ["Nothing was imported: the import stopped on an unexpected error."]
    else:
        _finish(
            job_id,
            status=ImportJob.Status.DONE,
            counts=counts,
            rows_done=job.rows_total,
            errors=[],
        )
        return counts
    _finish(job_id, status=ImportJob.Status.FAILED, errors=errors)
    return {}


@task()
def run_import(job_id: str) -> dict[str, int]:
    """The background task: ``python manage.py db_worker`` runs it (or, with
    TASKS_IMMEDIATE, the request that confirmed the import)."""
    return run(job_id)


# --- The pages ---------------------------------------------------------------------------


def _summary(name: str, counts: dict[str, int]) -> str:
    return (
        f"Imported {name}: {counts.get('added', 0)} added, {counts.get('updated', 0)} "
        f"updated, {counts.get('unchanged', 0)} unchanged."
    )


def _upload_page(request, importer: Importer, form, errors=(), status=200):
    return render(
        request,
        importer.upload_template,
        {
            "form": form,
            "errors": list(errors),
            "limit": megabytes(),
            "cancel_url": reverse(importer.done_url_name),
            **importer.upload_context,
        },
        status=status,
    )


def _job_from_token(request, importer: Importer) -> ImportJob | None:
    token = request.POST.get("token", "")
    try:
        return ImportJob.objects.get(
            pk=token,
            importer=importer.name,
            created_by=request.user,
            status=ImportJob.Status.CHECKED,
        )
    except (ImportJob.DoesNotExist, ValidationError, ValueError):
        return None


def _confirm(request, importer: Importer):
    job = _job_from_token(request, importer)
    queued = (
        job is not None
        and ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
            status=ImportJob.Status.QUEUED
        )
        == 1
    )
    if not queued:  # expired, forged, someone else's, or confirmed twice
        messages.error(request, "That preview has expired. Upload the file again.")
        return redirect(importer.upload_url_name)
    if job.rows_total > INLINE_ROWS:
        transaction.on_commit(lambda: run_import.enqueue(str(job.pk)))
        return redirect("import_job", job.pk)
    counts = run(job.pk)
    job.refresh_from_db()
    if job.status != ImportJob.Status.DONE:
        return _upload_page(request, importer, UploadForm(), errors=job.errors)
    messages.success(request, _summary(job.file_name, counts))
    return redirect(importer.done_url_name)


def import_view(request, importer: Importer):
    """The upload page, its preview, and the confirmation, for any importer. The view
    that calls it checks the permission and the upload limit (ui.uploads)."""
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, importer)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, importer, form)
    plan = importer.plan(form.cleaned_data["file"])
    if not plan.ok:
        return _upload_page(request, importer, form, errors=plan.errors or ["No rows to import."])
    job = ImportJob.objects.create(
        importer=importer.name,
        file_name=request.FILES["file"].name[:255],
        text=form.cleaned_data["file"],
        rows_total=len(plan.rows),
        counts=plan.counts(),
        created_by=request.user,
    )
    return render(
        request,
        importer.preview_template,
        {
            "job": job,
            "token": str(job.pk),
            "name": job.file_name,
            "counts": job.counts,
            "background": job.rows_total > INLINE_ROWS,
            "title": "Check the import",
            **importer.preview_context(plan),
        },
    )


def job_detail(request, pk):
    """An import's progress and result: only its owner or staff may see it. While it
    runs the page reloads itself every few seconds (a meta refresh, not a script)."""
    job = get_object_or_404(ImportJob, pk=pk)
    if not job.visible_to(request.user):
        raise Http404("No such import.")
    importer = importer_named(job.importer)
    return render(
        request,
        "ui/import_job.html",
        {
            "job": job,
            "title": f"Import of {job.file_name}",
            "refresh_seconds": 3 if job.active else None,
            "percent": (100 * job.rows_done // job.rows_total) if job.rows_total else 0,
            "summary": _summary(job.file_name, job.counts),
            "upload_url": reverse(importer.upload_url_name),
            "done_url": reverse(importer.done_url_name),
        },
    )
