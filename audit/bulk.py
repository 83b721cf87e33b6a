"""The one bulk path for audited models: fast writes with the history a save would write.

The audited managers refuse ``bulk_create``/``bulk_update`` because Django's versions
send no signals, so simple-history would record nothing. These do the bulk write and
then write each object's history row exactly as a single save would (the same
``changes``, reason, user and user name, and linked onto the chain), in one
transaction. For imports at scale (see the scale issue); nothing uses them yet.

Derived data that a model's save() keeps up to date (a contract's stored figures, see
contracts.models) would miss a bulk write, so after each one :data:`bulk_written` is
sent, inside the same transaction, for the owners of such data to catch up.
"""

from django.db import models, transaction
from django.dispatch import Signal
from django.utils import timezone
from simple_history.signals import post_create_historical_record, pre_create_historical_record

# Sent after a bulk write, in its transaction: sender is the model, objs the objects
# written (with their primary keys), fields the fields updated (None for a create).
bulk_written = Signal()


def _history_model(model):
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager_name is None:
        raise TypeError(f"{model.__name__} has no history.")
    return getattr(model, manager_name).model


def _m2m_rows(history_model, history_row, instance) -> None:
    """Copy the related rows of each tracked many-to-many field, as simple-history does."""
    for field in history_model._history_m2m_fields:
        m2m_history = getattr(history_model, field.name).model
        through = field.remote_field.through
        names = [f.name for f in through._meta.fields]
        rows = [
            m2m_history(history=history_row, **{n: getattr(row, n) for n in names})
            for row in through.objects.filter(**{field.m2m_field_name(): instance.pk})
        ]
        m2m_history.objects.bulk_create(rows)


def _record(model, objs, history_type: str, *, reason: str, user) -> list:
    history_model = _history_model(model)
    now = timezone.now()
    rows = []
    for obj in objs:
        row = history_model(
            history_date=getattr(obj, "_history_date", now),
            history_type=history_type,
            history_user=user,
            history_change_reason=reason,
            **{f.attname: getattr(obj, f.attname) for f in history_model.tracked_fields},
        )
        pre_create_historical_record.send(
            sender=history_model,
            instance=obj,
            history_date=row.history_date,
            history_user=user,
            history_change_reason=reason,
            history_instance=row,
            using=None,
        )
        rows.append(row)
    history_model.objects.bulk_create(rows)
    for obj, row in zip(objs, rows, strict=True):
        _m2m_rows(history_model, row, obj)
        post_create_historical_record.send(
            sender=history_model,
            instance=obj,
            history_instance=row,
            history_date=row.history_date,
            history_user=user,
            history_change_reason=reason,
            using=None,
        )
    return rows


def bulk_create_with_history(objs, *, reason: str = "", user=None, batch_size=None) -> list:
    """Insert audited objects in bulk, each with its "Created" history row."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    with transaction.atomic():
        created = models.QuerySet(model).bulk_create(objs, batch_size=batch_size)
        _record(model, created, "+", reason=reason, user=user)
        bulk_written.send(sender=model, objs=created, fields=None)
    return created


def bulk_update_with_history(objs, fields, *, reason: str = "", user=None, batch_size=None) -> int:
    """Update audited objects in bulk, each with its "Changed" history row."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    with transaction.atomic():
        updated = models.QuerySet(model).bulk_update(objs, fields, batch_size=batch_size)
        _record(model, objs, "~", reason=reason, user=user)
        bulk_written.send(sender=model, objs=objs, fields=list(fields))
    return updated
