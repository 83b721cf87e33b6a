"""The base of every table: pagination that no query string can stretch or break."""

import django_tables2 as tables
from django.core.paginator import Paginator

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25


def per_page_from(value, default: int = DEFAULT_PER_PAGE) -> int:
    """``?per_page=`` as a page size from 1 to MAX_PER_PAGE; anything else gives the default."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    if number < 1:
        return default
    return min(number, MAX_PER_PAGE)


class Table(tables.Table):
    """Every table derives from this, so ``?per_page=-1`` or ``=10**9`` cannot reach the
    paginator: a huge page would render every row, and a negative one raises."""

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        per_page = per_page_from(per_page, default=self._meta.per_page or DEFAULT_PER_PAGE)
        return super().paginate(paginator_class, per_page, page, *args, **kwargs)
