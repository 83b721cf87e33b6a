import django_filters
from django import forms

from contracts.models import Authority
from decisions import visibility
from decisions.models import Decision
from decisions.search import search_decisions
from ui.lookup import AUTHORITIES, MAX_SELECT_OPTIONS, LookupFilter

YES_NO = [("", "Any"), ("true", "Yes"), ("false", "No")]


class DecisionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search", method="search", help_text="Number, subject or words in the report."
    )
    authority = LookupFilter(
        queryset=Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
        method="filter_authority",
    )
    decision_type = django_filters.ChoiceFilter(
        label="Type", choices=Decision.Type.choices, empty_label="Any"
    )
    status = django_filters.ChoiceFilter(choices=Decision.Status.choices, empty_label="Any")
    is_key_decision = django_filters.BooleanFilter(
        label="Key decision", widget=forms.Select(choices=YES_NO)
    )
    exempt = django_filters.BooleanFilter(
        label="Exempt", method="filter_exempt", widget=forms.Select(choices=YES_NO)
    )
    decided_from = django_filters.DateFilter(
        field_name="decision_date",
        lookup_expr="gte",
        label="Decided on or after",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="For example 01/04/2024.",
    )
    decided_to = django_filters.DateFilter(
        field_name="decision_date",
        lookup_expr="lte",
        label="Decided on or before",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="For example 31/03/2025.",
    )

    class Meta:
        model = Decision
        fields = ["q", "authority", "decision_type", "status", "is_key_decision", "exempt"]

    # Filtering on these would reveal an exempt decision's details to a user who may
    # see only its title, so for such users they match unrestricted decisions only.
    content_filters = ("decision_type", "status", "is_key_decision", "decided_from", "decided_to")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        used = any(data.get(name) not in (None, "") for name in self.content_filters)
        return visibility.unless_withheld_fields_used(queryset, self.request.user, used)

    def filter_authority(self, queryset, name, value):
        # A joint committee's decision is listed under each of its councils.
        return queryset.for_authority(value) if value else queryset

    def search(self, queryset, name, value):
        return search_decisions(queryset, value, self.request.user)

    def filter_exempt(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exempt() if value else queryset.unrestricted()


class ForwardPlanFilter(django_filters.FilterSet):
    authority = LookupFilter(
        queryset=Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
        method="filter_authority",
    )
    decision_maker = django_filters.CharFilter(
        label="Decision maker", method="filter_decision_maker"
    )

    class Meta:
        model = Decision
        fields = ["authority", "decision_maker"]

    def filter_authority(self, queryset, name, value):
        # A joint committee's decision is on each of its councils' plans.
        return queryset.for_authority(value) if value else queryset

    def filter_decision_maker(self, queryset, name, value):
        # The forward plan publishes every key decision's decision maker (regulation 9).
        return queryset.filter(decision_maker__icontains=value.strip())
