"""History for every domain model.

Each audited model declares ``history = audited_history()``; django-simple-history then
writes a historical row for every create, update and delete, whatever path made it
(forms, admin, management commands, imports), with the user from the request.
On top of that we store the field-by-field change (old → new) on each historical row,
so history pages and the auditors' feed never have to diff rows one by one.

Bulk writes bypass model signals, so the audited managers forbid them (see
AuditedQuerySet): history is complete or the write is impossible.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from audit.versioning import VersionedModel


class AuditedHistory(models.Model):
    """Extra columns on every historical table."""

    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text="Field label → [old, new] as shown to users.",
    )
    record_label = models.CharField(max_length=300, blank=True)
    # Set from the record's ``history_restricted`` (an exempt decision): only users
    # cleared for exempt information may read the changes.
    restricted = models.BooleanField(default=False)

    class Meta:
        abstract = True


def audited_history(**kwargs) -> HistoricalRecords:
    """The history descriptor every domain model uses."""
    kwargs.setdefault("bases", [AuditedHistory])
    kwargs.setdefault("cascade_delete_history", False)
    return HistoricalRecords(**kwargs)


class BulkWriteForbidden(Exception):
    """Raised by bulk writes on audited models, which would leave no history."""


class AuditedQuerySet(models.QuerySet):
    """Querysets of audited models: bulk writes that skip history are impossible."""

    def _forbid(self, what: str):
        raise BulkWriteForbidden(
            f"{what}() on {self.model.__name__} would change rows without history. "
            "Save each object instead."
        )

    def update(self, **kwargs):
        self._forbid("update")

    def bulk_update(self, objs, fields, batch_size=None):
        self._forbid("bulk_update")

    def bulk_create(self, objs, *args, **kwargs):
        self._forbid("bulk_create")

    def update_or_create(self, defaults=None, create_defaults=None, **kwargs):
        # Django's version saves through the model, so history is kept.
        return super().update_or_create(
            defaults=defaults, create_defaults=create_defaults, **kwargs
        )


AuditedManager = models.Manager.from_queryset(AuditedQuerySet)


class AuditedModel(VersionedModel):
    """Base for domain models: audited manager, and a version checked on every save
    (audit.versioning). Subclasses add ``history``."""

    objects = AuditedManager()

    class Meta:
        abstract = True
