from datetime import datetime, time

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from audit.feed import FeedFilter, FeedPaginator, changes_feed, count_changes
from audit.forms import AsOfForm, ChangesFilterForm
from audit.history import combined_history, history_rows, readable_history, redact_for
from audit.tables import ChangesTable
from ui import exports
from ui.tables import per_page_from


@login_required
def changes(request):
    """Recent changes across every record, for auditors (and anyone who asks)."""
    form = ChangesFilterForm(request.GET or None, user=request.user)
    flt = FeedFilter()
    if form.is_valid():
        data = form.cleaned_data
        flt = FeedFilter(
            date_from=data["date_from"],
            date_to=data["date_to"],
            user_id=data["user"].pk if data["user"] else None,
            record_type=data["record_type"] or None,
            action=data["action"] or None,
        )
    export_format = exports.requested_format(request)
    if export_format:
        table = ChangesTable(changes_feed(flt, request.user), user=request.user)
        RequestConfig(request, paginate=False).configure(table)
        return exports.response(
            exports.table_rows(table), export_format, "changes", title="Changes"
        )
    # A page reads as many rows from the start of the feed as it and the pages before it
    # hold, plus one to know whether there is a next (audit.feed.FeedPaginator).
    per_page = per_page_from(request.GET.get("per_page"))
    page = min(_page_number(request.GET.get("page")), FeedPaginator.last_page_for(per_page))
    feed = changes_feed(
        flt,
        request.user,
        newest_first=request.GET.get("sort") != "history_date",
        first_rows=page * per_page + 1,
    )
    table = ChangesTable(feed, user=request.user)
    RequestConfig(
        request,
        paginate={
            "per_page": per_page,
            "paginator_class": FeedPaginator,
            "counter": lambda limit: count_changes(flt, request.user, limit=limit),
        },
    ).configure(table)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/changes.html",
        {"form": form, "table": table, "export_query": query.urlencode()},
    )


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _audited_model(label: str):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404("No such record type.") from None
    if not hasattr(model, "history"):
        raise Http404("That record type has no history.")
    return model


@login_required
def record_history(request, label: str, pk: int):
    """A record's whole history, and the record as it stood on a chosen date."""
    model = _audited_model(label)
    if not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        raise PermissionDenied
    history = readable_history(model.history.filter(**{model._meta.pk.attname: pk}))
    if not history.exists():
        raise Http404("No history for that record.")
    form = AsOfForm(request.GET if "as_of" in request.GET else None)
    as_of = form.cleaned_data["as_of"] if form.is_valid() else None
    as_of_rows = contract_as_of = None
    if as_of:
        moment = timezone.make_aware(datetime.combine(as_of, time.max))
        snapshot = history.filter(history_date__lte=moment).order_by("-history_date").first()
        as_of_rows = _snapshot_rows(snapshot, request.user) if snapshot else []
        # A contract's page also shows what its documents of that date would: its
        # figures, options and shares as they stood (not while it stood deleted).
        stood = snapshot is not None and snapshot.history_type != "-"
        if stood and model._meta.label_lower == "contracts.contract":
            contract_as_of = _contract_as_it_stood(pk, as_of)
    latest = history.order_by("-history_date").first()
    return render(
        request,
        "audit/record_history.html",
        {
            "record_label": latest.label_now,
            "model_name": model._meta.verbose_name,
            "rows": _all_rows(model, pk, history, request.user),
            "show_labels": hasattr(model, "history_with_parts"),
            "form": form,
            "as_of": as_of,
            "as_of_rows": as_of_rows,
            "contract_as_of": contract_as_of,
        },
    )


def _all_rows(model, pk: int, history, user) -> list:
    """Every change of the record, and of its parts where the model names them
    (``history_with_parts``: a contract's options and cost shares)."""
    parts = getattr(model, "history_with_parts", None)
    if parts is None:
        return history_rows(history, user)
    return combined_history(*parts(pk), user=user, limit=None)


def _contract_as_it_stood(pk: int, as_of) -> dict:
    """A contract's figures, options and shares as they stood at the end of ``as_of``,
    as its documents of that date show them (contracts.asof): not only its own fields."""
    from contracts.asof import contract_as_of
    from contracts.figures import figures_for

    contract = contract_as_of(pk, as_of)
    return {
        "contract": contract,
        "figures": figures_for(contract, today=as_of),
        "options": list(contract.options.all()),
    }


def _snapshot_rows(snapshot, user) -> list[tuple[str, str]]:
    from audit.recording import _tracked_fields, _value

    if snapshot.history_type == "-":
        return [("Status", "Deleted on this date")]
    if redact_for(user, snapshot):
        return [("Record", snapshot.label_now), ("Details", "Exempt information")]
    return [
        (str(f.verbose_name).capitalize(), _value(snapshot, f) or "–")
        for f in _tracked_fields(snapshot)
    ]
