"""History for every domain model.

Each audited model declares ``history = audited_history()``; django-simple-history then
writes a historical row for every create, update and delete, whatever path made it
(forms, admin, management commands, imports), with the user from the request.
On top of that we store the field-by-field change (old → new) on each historical row,
so history pages and the auditors' feed never have to diff rows one by one.

Bulk writes bypass model signals, so the audited managers forbid them (see
AuditedQuerySet), and so does the base manager and the guard on many-to-many through
tables: history is complete or the write is impossible. ``audit.bulk`` is the one bulk
path, and records history as a single save would.

History rows are append-only: their managers refuse update and delete, PostgreSQL
triggers refuse UPDATE, DELETE and TRUNCATE, and each row carries a chained HMAC
(``audit.chain``) that ``manage.py verify_history`` checks.
"""

import threading
from functools import cached_property

import pgtrigger
import simple_history
from django.db import models, router
from django.db.models.signals import class_prepared, m2m_changed
from django.dispatch import receiver
from simple_history.manager import HistoricalQuerySet, HistoryDescriptor
from simple_history.models import HistoricalRecords

from audit import bulk, chain
from audit.versioning import VersionedModel


class HistoryIsAppendOnly(Exception):
    """Raised by any attempt to change or remove a history row."""


def display_name(user) -> str:
    """A user's name as history shows it: full name, else username."""
    return user.get_full_name() or user.username


class AppendOnlyQuerySetMixin:
    """History rows are only ever added, each linked onto its table's chain."""

    def _refuse(self, what: str):
        raise HistoryIsAppendOnly(
            f"{what}() on {self.model.__name__}: history rows are never changed or removed."
        )

    def update(self, **kwargs):
        # Django's delete of a related row (e.g. a user with no history) issues
        # SET_NULL updates that match nothing; those change no history, so they pass.
        if self.exists():
            self._refuse("update")
        return 0

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse("bulk_update")

    def delete(self):
        self._refuse("delete")

    def update_or_create(self, *args, **kwargs):
        self._refuse("update_or_create")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if not objs:
            return objs
        parent = super()
        using = self._db or router.db_for_write(self.model)

        def insert():
            # COPY where it can (audit.bulk.copy_insert): the chain has set every id.
            plain = not args and set(kwargs) <= {"batch_size"}
            if plain and bulk.copy_insert(self.model, objs, using):
                return objs
            return parent.bulk_create(objs, *args, **kwargs)

        return chain.append(self.model, objs, insert, using=using)


class AppendOnlyQuerySet(AppendOnlyQuerySetMixin, models.QuerySet):
    pass


class AuditedHistoricalQuerySet(AppendOnlyQuerySetMixin, HistoricalQuerySet):
    """``Model.history`` querysets: reads as simple-history's, writes append only."""


AppendOnlyManager = models.Manager.from_queryset(AppendOnlyQuerySet)


def append_only_triggers() -> list:
    """PostgreSQL triggers refusing UPDATE, DELETE and TRUNCATE on a history table.

    Declared in each history model's Meta, so they live in migrations. PostgreSQL only:
    SQLite has no such triggers, and relies on the hmac chain to show tampering. Only
    the test suite's flush lifts them (``pgtrigger.ignore`` in tests/conftest.py).
    """
    return [
        pgtrigger.Protect(
            name="history_append_only", operation=pgtrigger.Update | pgtrigger.Delete
        ),
        pgtrigger.Trigger(
            name="history_no_truncate",
            level=pgtrigger.Statement,
            when=pgtrigger.Before,
            operation=pgtrigger.Truncate,
            func="RAISE EXCEPTION 'history is append-only: cannot truncate %', TG_TABLE_NAME;",
        ),
    ]


def history_indexes(model) -> list[models.Index]:
    """Indexes of a history table, besides simple-history's on ``history_date`` alone.

    Each serves a read newest first that would otherwise sort or scan the whole table:
    the feed filtered by who made the change or by action (audit.feed), and a record's
    own history (its page, and a decision's latest row in decisions.visibility).
    Django names them from the table and the fields.
    """
    return [
        models.Index(fields=["history_user", "-history_date"]),
        models.Index(fields=["history_type", "-history_date"]),
        models.Index(fields=[model._meta.pk.attname, "-history_date"]),
    ]


class ChainedRow(models.Model):
    """A row of a history table: appended once, linked onto its table's hmac chain."""

    history_prev_hmac = models.CharField(max_length=64, blank=True, editable=False)
    history_hmac = models.CharField(max_length=64, blank=True, editable=False)

    objects = AppendOnlyManager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsAppendOnly(f"{type(self).__name__} rows are never changed.")
        kwargs["force_insert"] = True
        parent = super()
        chain.append(
            type(self), [self], lambda: parent.save(*args, **kwargs), using=kwargs.get("using")
        )

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly(f"{type(self).__name__} rows are never removed.")


class AuditedHistory(ChainedRow):
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
    # The name of the user who made the change, written with the row: it stays when
    # ``history_user`` (SET_NULL in simple-history) is gone.
    history_user_name = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True

    def prepare_for_chain(self) -> None:
        if self.history_user_id and not self.history_user_name:
            self.history_user_name = display_name(self.history_user)


class AuditedM2MHistory(ChainedRow):
    """Extra columns on every many-to-many history table (the related rows of a version)."""

    class Meta:
        abstract = True


class CachedHistoryDescriptor(HistoryDescriptor):
    """``Model.history`` without building a manager class on every access.

    simple-history's descriptor calls ``Manager.from_queryset()`` each time, which
    copies every queryset method onto a new class (about 3 ms): the history feed reads
    ``history`` of each model several times, and spent a third of its time there.
    """

    @cached_property
    def _manager(self):
        return self.manager_class.from_queryset(self.queryset_class)

    def __get__(self, instance, owner):
        return self._manager(self.model, instance)


class AuditedHistoricalRecords(HistoricalRecords):
    """simple-history with append-only, chained history tables, and no way to skip it."""

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:
            descriptor.__class__ = CachedHistoryDescriptor

    def add_extra_methods(self, cls):
        super().add_extra_methods(cls)

        def save_without_historical_record(self, *args, **kwargs):
            raise BulkWriteForbidden(
                f"{type(self).__name__}: every save is recorded. Call save() instead."
            )

        cls.save_without_historical_record = save_without_historical_record

    def post_save(self, instance, created, using=None, **kwargs):
        # Unlike simple-history's, ignores ``skip_history_when_saving``.
        if not kwargs.get("raw", False):
            self.create_historical_record(instance, "+" if created else "~", using=using)

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **_):
        if action in ("post_add", "post_remove", "post_clear"):
            self.create_historical_record(instance, "~")

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["triggers"] = append_only_triggers()
        options["indexes"] = history_indexes(model)
        options["base_manager_name"] = "objects"
        return options

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        options["triggers"] = append_only_triggers()
        options["base_manager_name"] = "objects"
        return options


def _history_options(kwargs: dict) -> dict:
    kwargs.setdefault("bases", [AuditedHistory])
    kwargs.setdefault("m2m_bases", [AuditedM2MHistory])
    kwargs.setdefault("historical_queryset", AuditedHistoricalQuerySet)
    kwargs.setdefault("cascade_delete_history", False)
    return kwargs


def audited_history(**kwargs) -> HistoricalRecords:
    """The history descriptor every audited model uses."""
    return AuditedHistoricalRecords(**_history_options(kwargs))


def register_audited_history(model, *, app: str, **kwargs) -> None:
    """The same history for a model we do not own (e.g. django.contrib.auth's Group)."""
    simple_history.register(
        model, app=app, records_class=AuditedHistoricalRecords, **_history_options(kwargs)
    )


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


@receiver(class_prepared)
def _audited_base_manager(sender, **kwargs) -> None:
    """Django's plain ``_base_manager`` would allow bulk writes: use the audited one.

    (The base manager is what related lookups and ``Model.save`` use internally; the
    audited manager filters nothing, so it serves them unchanged.)
    """
    if issubclass(sender, AuditedModel) and not sender._meta.abstract:
        sender._meta.base_manager_name = "objects"
        sender._meta.__dict__.pop("base_manager", None)


# Many-to-many ``through`` tables. Their rows change history only through the related
# managers (add/remove/set/clear), which send ``m2m_changed`` around the write, and
# simple-history records the new set. Writing the through table directly sends nothing,
# so it is refused unless a signalled change of that table is under way in this thread.
_signalled = threading.local()


def _signalled_changes() -> dict:
    if not hasattr(_signalled, "depth"):
        _signalled.depth = {}
    return _signalled.depth


@receiver(m2m_changed)
def _track_signalled_m2m_change(sender, action, **kwargs) -> None:
    depth = _signalled_changes()
    if action.startswith("pre_"):
        depth[sender] = depth.get(sender, 0) + 1
    elif action.startswith("post_") and depth.get(sender):
        depth[sender] -= 1


class GuardedThroughQuerySet(models.QuerySet):
    def _allow(self, what: str) -> None:
        if not _signalled_changes().get(self.model):
            raise BulkWriteForbidden(
                f"{what}() on {self.model.__name__} would change a many-to-many field "
                "without history. Use the related manager (add, remove, set, clear)."
            )

    def bulk_create(self, objs, *args, **kwargs):
        self._allow("bulk_create")
        return super().bulk_create(objs, *args, **kwargs)

    def update(self, **kwargs):
        self._allow("update")
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, batch_size=None):
        self._allow("bulk_update")
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def delete(self):
        self._allow("delete")
        return super().delete()


GuardedThroughManager = models.Manager.from_queryset(GuardedThroughQuerySet)


def guard_through_tables(models_with_history) -> None:
    """Give the auto-created through models of history-tracked m2m fields the guard."""
    for model in models_with_history:
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue  # an explicit through model is audited itself
            for manager in (*through._meta.managers, through._meta.base_manager):
                if type(manager) is models.Manager:
                    manager.__class__ = GuardedThroughManager
