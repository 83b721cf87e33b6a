"""History as users read it: one row per change, with old → new per field."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Value

from accounts.roles import is_cleared
from audit.feed import ACTIONS

REDACTED = "Exempt information: you are not cleared to read the changes."
# Changes made outside a signed-in session: imports, demo data, management commands.
NO_USER = "System (no signed-in user)"


@dataclass(frozen=True)
class HistoryRow:
    when: datetime
    who: str
    action: str
    reason: str
    changes: list[tuple[str, str | None, str | None]]
    redacted: bool
    record_label: str = ""


def readable_history(history_qs):
    """History rows annotated with ``restricted_now`` and ``label_now``, worked out now.

    A model whose history can be restricted (an exempt decision and its parts) says
    how in ``annotate_history_visibility``; for any other, the ``restricted`` flag and
    label written at the time stand. Every page, feed and export reads history
    through here, so the restriction follows the record's classification today.
    """
    if "restricted_now" in history_qs.query.annotations:
        return history_qs
    model = history_qs.model.instance_type
    hook = getattr(model, "annotate_history_visibility", None)
    if hook is not None:
        return hook(history_qs)
    return history_qs.annotate(restricted_now=F("restricted"), label_now=F("record_label"))


def labelled_by_parent(history_qs, parent_model, *, parent_id: str, parent_label: str):
    """``readable_history`` for a part of another record (a contract's option or cost
    share): its label now begins with its parent's (``"KCC-PH-0123: Option 1 ..."``),
    read from the parent as it is today, so every row, old ones included, says whose
    part it is. A part whose parent was deleted keeps the label written at the time."""
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce, Concat

    prefix = Subquery(
        parent_model._base_manager.filter(pk=OuterRef(parent_id))
        .annotate(prefix=Concat(parent_label, Value(": ")))
        .values("prefix")[:1]
    )
    return history_qs.annotate(
        restricted_now=F("restricted"),
        label_now=Concat(Coalesce(prefix, Value("")), F("record_label")),
    )


def redact_for(user, entry) -> bool:
    """Changes to an exempt record are hidden from users not cleared for them.

    ``entry`` is a row of ``readable_history`` (a dict or a historical instance).
    """
    restricted = entry["restricted_now"] if isinstance(entry, dict) else entry.restricted_now
    return bool(restricted) and not is_cleared(user)


ENTRY_FIELDS = (
    "history_date",
    "history_user_name",
    "history_type",
    "history_change_reason",
    "changes",
    "history_id",
)


def history_rows(history_qs, user, limit: int | None = None) -> list[HistoryRow]:
    """A record's (or several records') history, newest first, ready for a template."""
    entries = list(
        readable_history(history_qs)
        .order_by("-history_date", "-history_id")
        .values(*ENTRY_FIELDS, "restricted_now", "label_now")[:limit]
    )
    return _rows(entries, user)


def _rows(entries, user) -> list[HistoryRow]:
    rows = []
    for e in entries:
        redacted = redact_for(user, e)
        rows.append(
            HistoryRow(
                when=e["history_date"],
                who=e["history_user_name"] or NO_USER,
                action=ACTIONS.get(e["history_type"], e["history_type"]),
                reason="" if redacted else (e["history_change_reason"] or ""),
                changes=[]
                if redacted
                else [(label, old, new) for label, (old, new) in e["changes"].items()],
                redacted=redacted,
                record_label=e["label_now"],
            )
        )
    return rows


def combined_history(*history_querysets, user, limit: int = 200) -> list[HistoryRow]:
    """History of a record and its parts (e.g. a contract with its options and shares).

    One UNION ALL query reads them all, each part with its visibility and label worked
    out now (readable_history), newest first, then in the order given, then newest id.
    """
    if len(history_querysets) > 1:
        parts = [
            readable_history(qs)
            .annotate(part=Value(n))
            .order_by()
            .values(*ENTRY_FIELDS, "restricted_now", "label_now", "part")
            for n, qs in enumerate(history_querysets)
        ]
        union = parts[0].union(*parts[1:], all=True)
        entries = union.order_by("-history_date", "part", "-history_id")[:limit]
        return _rows(list(entries), user)
    rows: list[HistoryRow] = []
    for qs in history_querysets:
        rows += history_rows(qs, user, limit=limit)
    rows.sort(key=lambda r: r.when, reverse=True)
    return rows[:limit]
