import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils import timezone

from contracts import rules
from contracts.figures import figures_for
from contracts.forms import DATE_FORMATS
from contracts.models import Authority, Contract, Provider


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


STATUS_CHOICES = [(s, s.replace("_", " ").capitalize()) for s in rules.CONTRACT_STATUSES]


def _with_figures(queryset, keep, known: dict) -> models.QuerySet:
    """Filter on a computed figure: computed by figures_for for the candidates, so the
    register filters on the same number it shows. ``known`` keeps each contract's
    figures by id, so a second such filter and the register's rows reuse them."""
    today = timezone.localdate()
    ids = []
    for contract in queryset.with_related():
        if contract.pk not in known:
            known[contract.pk] = figures_for(contract, today=today)
        if keep(known[contract.pk]):
            ids.append(contract.pk)
    return queryset.filter(pk__in=ids)


class ContractFilter(SearchFilterSet):
    search_fields = ("reference", "title", "description", "lot", "notes")
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, empty_label="Any", method="filter_status"
    )
    # Text, not a <select>: there may be thousands of providers.
    provider = django_filters.CharFilter(
        label="Provider", method="filter_provider", help_text="Part of the name."
    )
    authority = django_filters.CharFilter(
        label="Authority", method="filter_authority", help_text="Lead or sharing the cost."
    )
    service_area = django_filters.ChoiceFilter(
        label="Service area", choices=Contract.ServiceArea.choices, empty_label="Any"
    )
    procurement_route = django_filters.ChoiceFilter(
        label="Route", choices=Contract.Route.choices, empty_label="Any"
    )
    ends_from = django_filters.DateFilter(
        label="Ends on or after",
        method="filter_ends_from",
        input_formats=DATE_FORMATS,
        help_text="The current end. For example 01/04/2026.",
    )
    ends_to = django_filters.DateFilter(
        label="Ends on or before",
        method="filter_ends_to",
        input_formats=DATE_FORMATS,
        help_text="For example 31/03/2027.",
    )

    class Meta:
        model = Contract
        fields = [
            "q",
            "status",
            "provider",
            "authority",
            "service_area",
            "procurement_route",
            "ends_from",
            "ends_to",
        ]

    def search(self, queryset, name, value):
        return super().search(queryset, name, value) | queryset.filter(
            provider__name__icontains=value.strip()
        )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.figures: dict = {}  # contract id -> figures, computed by the filters

    def filter_status(self, queryset, name, value):
        return _with_figures(queryset, lambda f: f.status == value, self.figures)

    def filter_provider(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(provider__name__icontains=value) | Q(subcontractors__name__icontains=value)
        ).distinct()

    def filter_authority(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(lead_authority__name__icontains=value)
            | Q(lead_authority__short_name__iexact=value)
            | Q(shares__authority__name__icontains=value)
        ).distinct()

    def filter_ends_from(self, queryset, name, value):
        return _with_figures(queryset, lambda f: f.current_end >= value, self.figures)

    def filter_ends_to(self, queryset, name, value):
        return _with_figures(queryset, lambda f: f.current_end <= value, self.figures)
