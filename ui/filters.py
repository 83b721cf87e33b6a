"""Filter sets shared by every app's tables."""

import django_filters
from django.db.models import Q


class SearchFilterSet(django_filters.FilterSet):
    """A table's "Search" box: ``q`` matches any of ``search_fields`` (contains, any case)."""

    q = django_filters.CharFilter(label="Search", method="search")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)
