"""The public site's filters. A filter on a field the public may not see of an exempt
decision matches unrestricted decisions only (decisions.visibility), and the search
finds an exempt decision by its number or title alone (decisions.search)."""

import django_filters
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from contracts.models import Contract
from decisions import visibility
from decisions.models import Decision, IssuedDocument
from decisions.search import search_decisions
from grants.models import OutboundGrant
from ui.filters import SearchFilterSet

YES_NO = [("", "Any"), ("true", "Yes"), ("false", "No")]
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# Whoever is signed in, the public site shows what the public may see.
READER = AnonymousUser()


class PublicDecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Number, subject or words in the report."
    )
    decision_type = django_filters.ChoiceFilter(
        label="Type", choices=Decision.Type.choices, empty_label="Any"
    )
    status = django_filters.ChoiceFilter(choices=Decision.Status.choices, empty_label="Any")
    record_issued = django_filters.BooleanFilter(
        label="Record of decision issued",
        method="filter_record_issued",
        widget=forms.Select(choices=YES_NO),
    )
    decided_from = django_filters.DateFilter(
        field_name="decision_date",
        lookup_expr="gte",
        label="Decided on or after",
        input_formats=DATE_FORMATS,
        help_text="For example 01/04/2024.",
    )
    decided_to = django_filters.DateFilter(
        field_name="decision_date",
        lookup_expr="lte",
        label="Decided on or before",
        input_formats=DATE_FORMATS,
        help_text="For example 31/03/2025.",
    )

    class Meta:
        model = Decision
        fields = ["q", "decision_type", "status", "record_issued"]

    # Filters on what the public may not know of an exempt decision (decisions.visibility).
    content_filters = ("decision_type", "status", "record_issued", "decided_from", "decided_to")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        used = any(data.get(name) not in (None, "") for name in self.content_filters)
        return visibility.unless_withheld_fields_used(queryset, READER, used)

    def search(self, queryset, name, value):
        return search_decisions(queryset, value, READER)

    def filter_record_issued(self, queryset, name, value):
        if value is None:
            return queryset
        records = IssuedDocument.objects.filter(kind=IssuedDocument.Kind.RECORD)
        issued = Q(pk__in=records.values("decision_id"))
        return queryset.filter(issued if value else ~issued)


class PublicForwardPlanFilter(SearchFilterSet):
    search_fields = ("number", "title")
    q = django_filters.CharFilter(label="Search", method="search", help_text="Number or subject.")
    decision_maker = django_filters.CharFilter(
        label="Decision maker", method="filter_decision_maker"
    )

    class Meta:
        model = Decision
        fields = ["q", "decision_maker"]

    def filter_decision_maker(self, queryset, name, value):
        # The forward plan publishes every key decision's decision maker (regulation 9).
        return queryset.filter(decision_maker__icontains=value.strip())


class PublicContractFilter(SearchFilterSet):
    search_fields = ("reference", "title", "provider__name")
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Reference, title or supplier."
    )
    service_area = django_filters.ChoiceFilter(
        choices=Contract.ServiceArea.choices, empty_label="Any"
    )

    class Meta:
        model = Contract
        fields = ["q", "service_area"]


class PublicGrantFilter(SearchFilterSet):
    search_fields = ("reference", "title", "recipient_name")
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Reference, title or recipient."
    )
    financial_year = django_filters.CharFilter(
        field_name="programme__financial_year",
        label="Programme year",
        help_text="For example 2024/25.",
    )

    class Meta:
        model = OutboundGrant
        fields = ["q", "financial_year"]
