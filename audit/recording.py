"""Fill in the old → new changes on each historical row before it is written.

History rows are append-only (and chained, see audit.chain), so everything a row says,
many-to-many changes included, is worked out before the insert.
"""

import datetime
import functools
from decimal import Decimal

from django.db import models
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

# Never shown in a diff: bookkeeping, not content.
IGNORED_FIELDS = {"id", "version", "updated_at", "created_at", "search_vector"}


def display_value(field: models.Field, value) -> str | None:
    """A field's value as a user would read it, for history."""
    if value is None or value == "":
        return None
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if field.get_internal_type() == "DecimalField" else str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _tracked_fields(history_instance) -> tuple[models.Field, ...]:
    return _tracked_fields_of(type(history_instance))


@functools.cache
def _tracked_fields_of(history_model) -> tuple[models.Field, ...]:
    """The fields a history model's diff shows: worked out once per model, as a bulk
    import records thousands of rows of each."""
    instance_model = history_model.instance_type
    kept = {f.name for f in history_model.tracked_fields}
    return tuple(
        f
        for f in instance_model._meta.concrete_fields
        if f.name in kept
        and f.name not in IGNORED_FIELDS
        and f.name not in getattr(instance_model, "history_hidden_fields", ())
    )


def _value(obj, field: models.Field):
    if field.is_relation:
        related_id = getattr(obj, field.attname)
        if related_id is None:
            return None
        try:
            return str(getattr(obj, field.name))
        except field.related_model.DoesNotExist:
            return f"#{related_id}"
    return display_value(field, getattr(obj, field.attname))


def previous_version(history_instance, instance):
    """The record's history row before this one, if any."""
    return (
        type(history_instance)
        .objects.filter(**{instance._meta.pk.attname: instance.pk})
        .exclude(pk=history_instance.pk)
        .order_by("-history_date", "-history_id")
        .first()
    )


def field_changes(history_instance, instance, previous) -> dict:
    """Field label → [old, new] between the previous version and this one."""
    changes = {}
    for field in _tracked_fields(history_instance):
        new = _value(instance, field)
        old = _value(previous, field) if previous is not None else None
        if previous is None and new is None:
            continue
        if old != new:
            changes[str(field.verbose_name)] = [old, new]
    for field in getattr(history_instance, "_history_m2m_fields", ()):
        old, new = _m2m_change(history_instance, instance, previous, field)
        if old != new:
            changes[str(field.verbose_name)] = [old, new]
    return changes


def _m2m_labels(rows, field: models.ManyToManyField) -> str | None:
    """The related records of one many-to-many field, as a user would read them."""
    target = field.m2m_reverse_field_name()
    labels = sorted(str(getattr(row, target)) for row in rows)
    return "; ".join(labels) or None


def _m2m_change(history_instance, instance, previous, field) -> tuple:
    """A many-to-many field's old → new, worked out before the row is written.

    History rows are append-only, so the change must be known at insert: the new set
    is what simple-history is about to copy (the through rows as they stand now), the
    old one what it copied for the previous version.
    """
    known = getattr(history_instance, "_bulk_m2m_rows", None)
    if known is not None:  # audit.bulk read them for every row of the batch at once
        old_rows, current = known[field.name]
        return _m2m_labels(old_rows, field), _m2m_labels(current, field)
    through = field.remote_field.through
    current = through.objects.filter(**{field.m2m_field_name(): instance.pk})
    m2m_history = getattr(type(history_instance), field.name).model
    old_rows = m2m_history.objects.filter(history=previous) if previous is not None else []
    return _m2m_labels(old_rows, field), _m2m_labels(current, field)


@receiver(pre_create_historical_record)
def record_changes(sender, instance, history_instance, **kwargs) -> None:
    if not hasattr(history_instance, "changes"):
        return
    history_instance.record_label = str(instance)[:300]
    history_instance.restricted = bool(getattr(instance, "history_restricted", False))
    if history_instance.history_type == "-":
        history_instance.changes = {}
        return
    # A new record has no earlier version (and SQLite may reuse a deleted record's id).
    # audit.bulk reads the previous versions of a whole batch in one query.
    if history_instance.history_type == "+":
        previous = None
    elif hasattr(history_instance, "_bulk_previous"):
        previous = history_instance._bulk_previous
    else:
        previous = previous_version(history_instance, instance)
    history_instance.changes = field_changes(history_instance, instance, previous)
