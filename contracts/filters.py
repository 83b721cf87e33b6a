import django_filters
from django import forms
from django.db.models import Q

from contracts.models import Authority, Provider


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)


class AuthorityFilter(SearchFilterSet):
    search_fields = ("name", "short_name")
    nation = django_filters.ChoiceFilter(choices=Authority.Nation.choices, empty_label="Any")

    class Meta:
        model = Authority
        fields = ["q", "nation"]


class ProviderFilter(SearchFilterSet):
    search_fields = ("name", "charity_number", "company_number", "postcode")
    provider_type = django_filters.ChoiceFilter(
        label="Type", choices=Provider.Type.choices, empty_label="Any"
    )
    is_sme = django_filters.BooleanFilter(
        label="SME",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )
    is_vcse = django_filters.BooleanFilter(
        label="VCSE",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )

    class Meta:
        model = Provider
        fields = ["q", "provider_type", "is_sme", "is_vcse"]
