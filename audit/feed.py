"""Recent changes across every audited record, for auditors.

Each audited model has its own historical table; the feed is a UNION of them reduced
to common columns, so one ordered, paginated query serves every record type.
"""

from dataclasses import dataclass
from datetime import date

from django.apps import apps
from django.db.models import CharField, F, Value
from django.urls import NoReverseMatch, reverse
from simple_history.models import registered_models

ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def audited_models() -> list:
    """Domain models with history, in a stable order."""
    return sorted(
        (m for m in registered_models.values() if hasattr(m, "history")),
        key=lambda m: m._meta.label,
    )


def readable_models(user) -> list:
    """The audited models whose records the user may view: the feed shows only those."""
    return [
        m
        for m in audited_models()
        if user.has_perm(f"{m._meta.app_label}.view_{m._meta.model_name}")
    ]


def record_type_choices(user) -> list[tuple[str, str]]:
    return [
        (m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in readable_models(user)
    ]


@dataclass(frozen=True)
class FeedFilter:
    date_from: date | None = None
    date_to: date | None = None
    user_id: int | None = None
    record_type: str | None = None
    action: str | None = None


def changes_feed(flt: FeedFilter, user):
    """One queryset of dict rows, newest first, over every audited model the user may view."""
    from audit.history import readable_history  # audit.history imports ACTIONS from here

    parts = []
    for model in readable_models(user):
        label = model._meta.label_lower
        if flt.record_type and flt.record_type != label:
            continue
        qs = readable_history(model.history.all())
        if flt.date_from:
            qs = qs.filter(history_date__date__gte=flt.date_from)
        if flt.date_to:
            qs = qs.filter(history_date__date__lte=flt.date_to)
        if flt.user_id:
            qs = qs.filter(history_user_id=flt.user_id)
        if flt.action:
            qs = qs.filter(history_type=flt.action)
        pk_name = model._meta.pk.attname
        parts.append(
            qs.values(
                "history_id",
                "history_date",
                "history_type",
                "history_user_id",
                "history_user_name",
                "history_change_reason",
                "changes",
                "label_now",
                "restricted_now",
                record_id=F(pk_name),
                record_type=Value(label, output_field=CharField()),
            ).order_by()
        )
    if not parts:
        return []
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-history_date", "-history_id")


def record_url(record_type: str, record_id) -> str | None:
    """The page of a record, for models that name it in ``history_url_name``.

    Built from the primary key alone, so a page of the feed costs no extra queries.
    """
    model = apps.get_model(record_type)
    url_name = getattr(model, "history_url_name", None)
    if not url_name:
        return None
    try:
        return reverse(url_name, args=[record_id])
    except NoReverseMatch:
        return None
