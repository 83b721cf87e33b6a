import django_filters
from django import forms
from django.db.models import Q

from contracts.models import Authority
from grants.models import (
    ContractFunding,
    Funder,
    GrantAllocation,
    GrantCommitment,
    GrantProgramme,
    OutboundGrant,
    OutboundGrantProgramme,
)
from ui.filters import SearchFilterSet
from ui.lookup import (
    AUTHORITIES,
    FUNDERS,
    MAX_SELECT_OPTIONS,
    OUTBOUND_PROGRAMMES,
    PROGRAMMES,
    LookupFilter,
)


class AllocationFilter(SearchFilterSet):
    search_fields = (
        "programme__name",
        "programme__short_name",
        "programme__funder__name",
        "conditions",
    )
    funder = LookupFilter(
        label="Funder",
        field_name="programme__funder",
        queryset=Funder.objects.order_by("name"),
        lookup=FUNDERS,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
    )
    programme = LookupFilter(
        queryset=GrantProgramme.objects.select_related("funder").order_by("name"),
        lookup=PROGRAMMES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
    )
    authority = LookupFilter(
        label="Authority",
        queryset=Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        method="for_authority",
        empty_label="Any",
        help_text="Hosting, receiving or sharing the grant.",
    )
    financial_year = django_filters.CharFilter(
        label="Financial year",
        method="in_year",
        widget=forms.TextInput(attrs={"placeholder": "2024/25"}),
    )
    status = django_filters.ChoiceFilter(choices=GrantAllocation.Status.choices, empty_label="Any")

    class Meta:
        model = GrantAllocation
        fields = ["q", "funder", "programme", "authority", "financial_year", "status"]

    def for_authority(self, queryset, name, value):
        return queryset.filter(Q(authority=value) | Q(shares__authority=value)).distinct()

    def in_year(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(financial_year=value) | Q(financial_year__lte=value, last_financial_year__gte=value)
        )


class OutboundGrantFilter(SearchFilterSet):
    search_fields = ("recipient_name", "title", "recipient_charity_number", "reference")
    programme = LookupFilter(
        queryset=OutboundGrantProgramme.objects.order_by("name"),
        lookup=OUTBOUND_PROGRAMMES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
    )

    class Meta:
        model = OutboundGrant
        fields = ["q", "programme"]


def _in_year(queryset, name, value):
    return queryset.filter(financial_year=value.strip())


class CommitmentFilter(SearchFilterSet):
    search_fields = (
        "contract__reference",
        "contract__title",
        "service_name",
        "allocation__programme__name",
        "allocation__programme__short_name",
        "notes",
    )
    funder = LookupFilter(
        label="Funder",
        field_name="allocation__programme__funder",
        queryset=Funder.objects.order_by("name"),
        lookup=FUNDERS,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
    )
    authority = LookupFilter(
        label="Host or recipient",
        field_name="allocation__authority",
        queryset=Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
    )
    financial_year = django_filters.CharFilter(
        label="Financial year",
        method=_in_year,
        widget=forms.TextInput(attrs={"placeholder": "2024/25"}),
    )

    class Meta:
        model = GrantCommitment
        fields = ["q", "funder", "authority", "financial_year"]


class FundingFilter(SearchFilterSet):
    search_fields = ("contract__reference", "contract__title", "contributor", "notes")
    source = django_filters.ChoiceFilter(choices=ContractFunding.Source.choices, empty_label="Any")
    authority = LookupFilter(
        label="Paid by (authority)",
        queryset=Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
    )
    financial_year = django_filters.CharFilter(
        label="Financial year",
        method=_in_year,
        widget=forms.TextInput(attrs={"placeholder": "2024/25"}),
    )

    class Meta:
        model = ContractFunding
        fields = ["q", "source", "authority", "financial_year"]


class FunderFilter(SearchFilterSet):
    search_fields = ("name", "short_name")
    kind = django_filters.ChoiceFilter(label="Kind", choices=Funder.Kind.choices, empty_label="Any")

    class Meta:
        model = Funder
        fields = ["q", "kind"]
