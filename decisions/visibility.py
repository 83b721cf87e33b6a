"""Who may see what of a decision, its parts and their history: the one place that decides.

A decision exempt under Schedule 12A to the Local Government Act 1972 shows a user
not cleared for exempt information (``cleared_for_exempt``) only PUBLIC_FIELDS: its
number, title, authority and paragraph. The forward plan adds what regulation 9 of
SI 2012/2089 requires it to publish of every key decision, including one to be taken
in private (FORWARD_PLAN_FIELDS). Everything else (the report, its parts, their
history, sorting and filtering by a withheld field) is for cleared users only.

Pages, lists, search, exports, PDFs, history, the changes feed and the admin all ask
here; none decides for itself. Files attached to a decision (or a contract) are decided
in ui.attachments, below both apps, with the same test of clearance: a file of an
exempt decision is exempt under its paragraph, and a file can be exempt on its own.

History is restricted at read time: a change is withheld when it was marked
``restricted`` as it was written, OR its decision is exempt now (the live decision's
classification, or a deleted decision's latest historical row). So a decision made
exempt by any path (a form, the admin, the shell, an import) hides its earlier
history at once, and no history row is ever updated.
"""

from django.core.exceptions import PermissionDenied
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
from django.shortcuts import get_object_or_404

from accounts import roles

# What an uncleared user sees of an exempt decision (field names on Decision).
PUBLIC_FIELDS = frozenset({"id", "pk", "number", "title", "authority", "exempt_paragraph"})
# Regulation 9: the matter, the decision maker, the date, and that the decision will be
# taken in private (the paragraph). Only the forward plan and the home panel, which
# shows no more than the forward plan, use this wider set.
FORWARD_PLAN_FIELDS = PUBLIC_FIELDS | {
    "decision_maker",
    "decision_maker_role",
    "decision_date",
    "is_key_decision",
}


def is_cleared(user) -> bool:
    return roles.is_cleared(user)


def withheld(decision, user) -> bool:
    """Whether ``user`` may see only the public fields of ``decision``."""
    return decision.is_exempt and not is_cleared(user)


def shows(decision, user, field: str, public=PUBLIC_FIELDS) -> bool:
    """Whether ``user`` may see ``field`` of ``decision`` (in a list with ``public`` fields)."""
    return field in public or not withheld(decision, user)


# --- Querysets -------------------------------------------------------------------------


def readable_decisions(queryset, user):
    """Decisions whose content ``user`` may read in full (edit pages, the admin)."""
    return queryset if is_cleared(user) else queryset.filter(exempt_paragraph__isnull=True)


def readable_parts(queryset, user):
    """Parts of decisions whose content ``user`` may read in full."""
    if is_cleared(user):
        return queryset
    return queryset.filter(decision__exempt_paragraph__isnull=True)


def ordered(queryset, user, *keys: str, public=PUBLIC_FIELDS, prefix: str = ""):
    """``queryset.order_by(*keys)``, where a withheld field sorts exempt rows by number only.

    For an uncleared user each key on a field outside ``public`` sorts by a value that
    is NULL for exempt rows, so those rows sit together after the others (in either
    direction), ordered by number: their position says nothing of the withheld field.
    ``prefix`` is the path to the decision (``"decision__"`` for a list of its links).
    """
    if is_cleared(user):
        return queryset.order_by(*keys)
    exempt = Q(**{f"{prefix}exempt_paragraph__isnull": False})
    order = []
    annotations = {}
    for key in keys:
        descending = key.startswith("-")
        path = key.lstrip("-")
        field = path.removeprefix(prefix).split("__")[0]
        if field in public:
            order.append(F(path).desc() if descending else F(path).asc())
            continue
        alias = "_sort_" + path.replace("__", "_")
        annotations[alias] = Case(When(exempt, then=Value(None)), default=F(path))
        order.append(
            F(alias).desc(nulls_last=True) if descending else F(alias).asc(nulls_last=True)
        )
    order.append(F(f"{prefix}number").asc())
    return queryset.alias(**annotations).order_by(*order)


def unless_withheld_fields_used(queryset, user, used: bool):
    """A filter on a withheld field never matches an exempt row for an uncleared user."""
    if used and not is_cleared(user):
        return queryset.filter(exempt_paragraph__isnull=True)
    return queryset


# --- Fetching one decision or part --------------------------------------------------


def decision_for_edit(queryset, pk, user):
    """The decision to edit (or make a PDF of): 404 if none, 403 if exempt and uncleared."""
    decision = get_object_or_404(queryset, pk=pk)
    if withheld(decision, user):
        raise PermissionDenied("Only officers cleared for exempt information may do this.")
    return decision


# --- History, restricted at read time -----------------------------------------------


def _decision_now(decision_id: str, field: str):
    """A field of the decision as it is now: the live row's value, else (the decision
    was deleted, or the value is blank) its latest historical row's. The two agree
    while history is complete; if they ever differ, the exempt one wins."""
    from decisions.models import Decision

    live = Decision.objects.filter(pk=OuterRef(decision_id)).values(field)[:1]
    latest = (
        Decision.history.filter(id=OuterRef(decision_id))
        .order_by("-history_date", "-history_id")
        .values(field)[:1]
    )
    return Coalesce(Subquery(live), Subquery(latest))


def decision_exempt_now(decision_id: str):
    """The exempt paragraph of the decision ``decision_id`` (a column of the outer
    query) as it is now: for the history of its attachments (ui.attachments)."""
    return _decision_now(decision_id, "exempt_paragraph")


def _restricted():
    """Restricted when written, or the decision is exempt now (needs ``_exempt_now``)."""
    return Case(
        When(restricted=True, then=Value(True)),
        When(_exempt_now__isnull=False, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def annotate_history(history_qs, *, decision_id: str, part_noun: str | None):
    """History rows of a decision (``part_noun`` None) or of its parts, with
    ``restricted_now`` and ``label_now``: the label to show, which for a restricted
    row names only the decision (its number and current title) or the kind of part.
    """
    number = _decision_now(decision_id, "number")
    if part_noun is None:
        safe_label = Concat(number, Value(" "), _decision_now(decision_id, "title"))
    else:
        safe_label = Concat(number, Value(f": {part_noun}"))
    return history_qs.alias(_exempt_now=_decision_now(decision_id, "exempt_paragraph")).annotate(
        restricted_now=_restricted(),
        label_now=Case(
            When(Q(restricted=True) | Q(_exempt_now__isnull=False), then=safe_label),
            default=F("record_label"),
            output_field=CharField(),
        ),
    )
