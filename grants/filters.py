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
from ui.lookup import (
    AUTHORITIES,
    FUNDERS,
    MAX_SELECT_OPTIONS,
    OUTBOUND_PROGRAMMES,
    PROGRAMMES,
    LookupFilter,
)


class AllocationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
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

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(programme__name__icontains=value)
            | Q(programme__short_name__icontains=value)
            | Q(programme__funder__name__icontains=value)
            | Q(conditions__icontains=value)
        )

    def for_authority(self, queryset, name, value):
        return queryset.filter(Q(authority=value) | Q(shares__authority=value)).distinct()

    def in_year(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(financial_year=value) | Q(financial_year__lte=value, last_financial_year__gte=value)
        )


class OutboundGrantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    programme = LookupFilter(
        queryset=OutboundGrantProgramme.objects.order_by("name"),
        lookup=OUTBOUND_PROGRAMMES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Any",
    )

    class Meta:
        model = OutboundGrant
        fields = ["q", "programme"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(recipient_name__icontains=value)
            | Q(title__icontains=value)
            | Q(recipient_charity_number__icontains=value)
            | Q(reference__icontains=value)
        )


def _in_year(queryset, name, value):
    return queryset.filter(financial_year=value.strip())


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
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

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(contract__reference__icontains=value)
            | Q(contract__title__icontains=value)
            | Q(service_name__icontains=value)
            | Q(allocation__programme__name__icontains=value)
            | Q(allocation__programme__short_name__icontains=value)
            | Q(notes__icontains=value)
        )


class FundingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
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

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(contract__reference__icontains=value)
            | Q(contract__title__icontains=value)
            | Q(contributor__icontains=value)
            | Q(notes__icontains=value)
        )
