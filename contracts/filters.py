import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.http import QueryDict
from django.utils import timezone

from contracts import rules
from contracts.models import (
    Authority,
    Contract,
    CostShare,
    Provider,
    current_condition,
    status_condition,
)
from ui.fields import DATE_FORMATS
from ui.filters import SearchFilterSet


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


# The register opens on the contracts that are current (not expired or terminated), as
# people mostly want those; "All" is one choice away. Any path that filters contracts
# (the page, its CSV and XLSX, the import-format download) takes the same default.
CURRENT = "current"
ALL = "all"
STATUS_CHOICES = [
    (CURRENT, "Current"),
    (ALL, "All"),
    *((s, s.replace("_", " ").capitalize()) for s in rules.CONTRACT_STATUSES),
]


class ContractFilter(SearchFilterSet):
    search_fields = ("reference", "title", "description", "lot", "notes")
    MAX_LISTED_PROVIDERS = 1000
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=STATUS_CHOICES,
        empty_label=None,
        method="filter_status",
        help_text="Current: live, in extension or upcoming.",
    )
    # Text, not a <select>: there may be thousands of providers.
    provider = django_filters.CharFilter(
        label="Provider", method="filter_provider", help_text="Part of the name."
    )
    authority = django_filters.CharFilter(
        label="Authority", method="filter_authority", help_text="Lead or sharing the cost."
    )
    # Exact, from a provider's or an authority's page (contracts.portfolio): hidden in
    # the form, so filtering further keeps them.
    provider_id = django_filters.NumberFilter(method="filter_provider_id", widget=forms.HiddenInput)
    authority_id = django_filters.NumberFilter(
        method="filter_authority_id", widget=forms.HiddenInput
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

    def __init__(self, data=None, *args, **kwargs):
        if data is None or not data.get("status"):
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["status"] = CURRENT
        super().__init__(data, *args, **kwargs)

    class Meta:
        model = Contract
        fields = [
            "q",
            "status",
            "provider",
            "authority",
            "provider_id",
            "authority_id",
            "service_area",
            "procurement_route",
            "ends_from",
            "ends_to",
        ]

    def search(self, queryset, name, value):
        """Part of the reference, title, description, lot, notes or provider's name.

        Every condition is on the contract's own columns (the providers that match are
        looked up first), so on PostgreSQL each can use its trigram index (migration
        0011) and the planner can OR them together; SQLite reads every row."""
        value = value.strip()
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        providers = Provider.objects.filter(name__icontains=value).values_list("pk", flat=True)
        matched = list(providers[: self.MAX_LISTED_PROVIDERS + 1])
        if len(matched) > self.MAX_LISTED_PROVIDERS:
            query |= Q(provider_id__in=providers)  # too many to list: a subquery
        elif matched:
            query |= Q(provider_id__in=matched)
        return queryset.filter(query)

    def filter_status(self, queryset, name, value):
        if value == ALL:
            return queryset
        today = timezone.localdate()
        if value == CURRENT:
            return queryset.filter(current_condition(today))
        return queryset.filter(status_condition(value, today))

    def filter_provider(self, queryset, name, value):
        value = value.strip()
        partners = Contract.subcontractors.through.objects.filter(
            contract_id=OuterRef("pk"), provider__name__icontains=value
        )
        return queryset.filter(Q(provider__name__icontains=value) | Q(Exists(partners)))

    def filter_authority(self, queryset, name, value):
        value = value.strip()
        sharing = CostShare.objects.filter(
            contract_id=OuterRef("pk"), authority__name__icontains=value
        )
        return queryset.filter(
            Q(lead_authority__name__icontains=value)
            | Q(lead_authority__short_name__iexact=value)
            | Q(Exists(sharing))
        )

    def filter_provider_id(self, queryset, name, value):
        return queryset.filter(pk__in=Contract.objects.of_provider(int(value)).values("pk"))

    def filter_authority_id(self, queryset, name, value):
        return queryset.filter(pk__in=Contract.objects.of_authority(int(value)).values("pk"))

    def filter_ends_from(self, queryset, name, value):
        return queryset.filter(stored__current_end__gte=value)

    def filter_ends_to(self, queryset, name, value):
        return queryset.filter(stored__current_end__lte=value)
