"""Work in progress that any app server (or background worker) must see: imports.

Several app servers and workers share nothing but the database, so an uploaded file,
its preview and the progress of its import live here, not in a process's memory, a
session or a local disk. A job is machinery, not a record: it keeps no history (the
records it writes do), and it is only ever read by its owner or staff.
"""

import uuid

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    """One uploaded CSV file: checked, then (once confirmed) imported, all or nothing."""

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, waiting for confirmation"
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    # Not a sequence number: the page's address must not let anyone count or guess jobs.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    importer = models.CharField(max_length=40, help_text="The name in ui.imports.IMPORTERS.")
    file_name = models.CharField(max_length=255)
    # The whole file, decoded. Cleared when the import finishes.
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    # ["line 3: annual_value: ...", ...] as the import reported them.
    errors = models.JSONField(default=list, blank=True)
    # {"added": n, "updated": n, "unchanged": n}: planned, then as imported.
    counts = models.JSONField(default=dict, blank=True)
    # Jobs are working data, not records: they go with their user (users are
    # deactivated rather than deleted, so in practice they stay).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="import_job_done_at_most_total",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display().lower()})"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    def visible_to(self, user) -> bool:
        """Its owner sees it, and staff (administrators) do; nobody else."""
        return user.is_authenticated and (user.pk == self.created_by_id or user.is_staff)
