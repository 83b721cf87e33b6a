"""Fill in the old → new changes on each historical row as it is written."""

import datetime
from decimal import Decimal

from django.db import models
from django.dispatch import receiver
from simple_history.signals import (
    post_create_historical_m2m_records,
    pre_create_historical_record,
)

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


def _tracked_fields(history_instance) -> list[models.Field]:
    instance_model = history_instance.instance_type
    return [
        f
        for f in instance_model._meta.concrete_fields
        if f.name not in IGNORED_FIELDS
        and f.name not in getattr(instance_model, "history_hidden_fields", ())
    ]


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


@receiver(pre_create_historical_record)
def record_changes(sender, instance, history_instance, **kwargs) -> None:
    if not hasattr(history_instance, "changes"):
        return
    history_instance.record_label = str(instance)[:300]
    history_instance.restricted = bool(getattr(instance, "history_restricted", False))
    fields = _tracked_fields(history_instance)
    if history_instance.history_type == "-":
        history_instance.changes = {}
        return
    previous = (
        sender.objects.filter(**{instance._meta.pk.attname: instance.pk})
        .exclude(pk=history_instance.pk)
        .order_by("-history_date", "-history_id")
        .first()
    )
    changes = {}
    for field in fields:
        new = _value(instance, field)
        old = _value(previous, field) if previous is not None else None
        if previous is None and new is None:
            continue
        if old != new:
            changes[str(field.verbose_name)] = [old, new]
    history_instance.changes = changes


def _m2m_labels(rows, field: models.ManyToManyField) -> str | None:
    """The related records of one many-to-many field, as a user would read them."""
    target = field.m2m_reverse_field_name()
    labels = sorted(str(getattr(row, target)) for row in rows)
    return "; ".join(labels) or None


@receiver(post_create_historical_m2m_records)
def record_m2m_changes(sender, created_rows, history_instance, instance, field, **kwargs) -> None:
    """Add a many-to-many field's old → new (e.g. a contract's subcontractors).

    simple-history copies the related rows after the historical row is written, so
    the comparison with the previous version happens here rather than above.
    """
    if not hasattr(history_instance, "changes") or history_instance.history_type == "-":
        return
    previous = (
        type(history_instance)
        .objects.filter(**{instance._meta.pk.attname: instance.pk})
        .exclude(pk=history_instance.pk)
        .order_by("-history_date", "-history_id")
        .first()
    )
    old_rows = sender.objects.filter(history=previous) if previous is not None else []
    old, new = _m2m_labels(old_rows, field), _m2m_labels(created_rows, field)
    if old != new:
        history_instance.changes[str(field.verbose_name)] = [old, new]
        history_instance.save(update_fields=["changes"])
