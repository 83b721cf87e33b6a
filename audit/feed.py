"""Recent changes across every audited record, for auditors.

Each audited model has its own historical table; the feed is a UNION of them reduced
to common columns, so one ordered, paginated query serves every record type.

It stays fast at a million history rows because every part of it reads an index:
PostgreSQL merges the tables' ``history_date`` indexes newest first (a page reads 25
rows, not the tables), the date filter compares ``history_date`` itself with the
bounds of the days (never ``history_date::date``), and the user and action filters
have their own indexes (audit.models.history_indexes). Nothing counts the whole feed:
``FeedPaginator`` counts up to ``COUNT_LIMIT`` changes and then says "more than".
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.apps import apps
from django.core.paginator import EmptyPage
from django.db import connection
from django.db.models import CharField, F, Value
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tables2.paginators import LazyPaginator
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


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in the site's time zone, as ``__date`` reads it."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered_history(model, flt: FeedFilter):
    qs = model.history.all()
    if flt.date_from:
        qs = qs.filter(history_date__gte=start_of_day(flt.date_from))
    if flt.date_to and flt.date_to < date.max:
        qs = qs.filter(history_date__lt=start_of_day(flt.date_to + timedelta(days=1)))
    if flt.user_id:
        qs = qs.filter(history_user_id=flt.user_id)
    if flt.action:
        qs = qs.filter(history_type=flt.action)
    return qs


def _feed_models(flt: FeedFilter, user) -> list:
    return [
        m
        for m in readable_models(user)
        if not flt.record_type or flt.record_type == m._meta.label_lower
    ]


def _union(parts: list, order: tuple[str, ...], first_rows: int | None):
    """The parts as one UNION ALL, in ``order``.

    With ``first_rows``, each part is cut to its first rows in that order before the
    union (where the database allows it: PostgreSQL, not SQLite), so that each reads
    its own index and no more rows than a page can need. PostgreSQL would otherwise
    merge the tables' indexes only when no filter is given: with a filter it sorts
    every matching row of every table.
    """
    if not parts:
        return []
    if len(parts) == 1:
        return parts[0].order_by(*order)
    if first_rows is not None and connection.features.supports_slicing_ordering_in_compound:
        parts = [part.order_by(*order)[:first_rows] for part in parts]
    else:
        parts = [part.order_by() for part in parts]
    first, *rest = parts
    return first.union(*rest, all=True).order_by(*order)


NEWEST_FIRST = ("-history_date", "-history_id")
OLDEST_FIRST = ("history_date", "history_id")


def changes_feed(flt: FeedFilter, user, *, newest_first: bool = True, first_rows=None):
    """One queryset of dict rows, newest (or oldest) first, over every audited model the
    user may view; ``first_rows`` says how many rows from the start will be read."""
    from audit.history import readable_history  # audit.history imports ACTIONS from here

    parts = []
    for model in _feed_models(flt, user):
        qs = readable_history(_filtered_history(model, flt))
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
                record_id=F(model._meta.pk.attname),
                record_type=Value(model._meta.label_lower, output_field=CharField()),
            )
        )
    return _union(parts, NEWEST_FIRST if newest_first else OLDEST_FIRST, first_rows)


def count_changes(flt: FeedFilter, user, *, limit: int) -> int:
    """How many changes match, counting no further than ``limit``.

    Reads only the history tables' own columns (no labels or restrictions worked out).
    """
    parts = [
        _filtered_history(model, flt).values("history_id", "history_date")
        for model in _feed_models(flt, user)
    ]
    feed = _union(parts, NEWEST_FIRST, limit)
    if isinstance(feed, list):
        return 0
    return feed[:limit].count()


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


# How far the feed counts its changes, and pages through them: further would read that
# many rows of every history table. Older changes are found by narrowing the dates.
COUNT_LIMIT = 1000


class FeedPaginator(LazyPaginator):
    """Pages of the feed, with "next" while there are more, and no count of it all.

    A page reads its rows and one more (LazyPaginator). ``counter(limit)`` counts up to
    ``limit`` changes: ``count`` is at most ``COUNT_LIMIT`` and ``count_is_limited``
    says there are more. Pages stop at the ``COUNT_LIMIT``th change.
    """

    count_limit = COUNT_LIMIT

    def __init__(self, object_list, per_page, *, counter, **kwargs):
        self.counter = counter
        super().__init__(object_list, per_page, **kwargs)

    @cached_property
    def _counted(self) -> int:
        return self.counter(self.count_limit + 1)

    @property
    def count(self) -> int:
        return min(self._counted, self.count_limit)

    @property
    def count_is_limited(self) -> bool:
        return self._counted > self.count_limit

    @classmethod
    def last_page_for(cls, per_page: int) -> int:
        return max(1, -(-cls.count_limit // per_page))

    @property
    def last_page(self) -> int:
        return self.last_page_for(self.per_page)

    def validate_number(self, number):
        number = super().validate_number(number)
        if number > self.last_page:
            raise EmptyPage("Narrow the dates to see older changes.")
        return number

    def page(self, number):
        page = super().page(number)
        if number and int(number) >= self.last_page:
            self._num_pages = self._final_num_pages = page.number
        return page
