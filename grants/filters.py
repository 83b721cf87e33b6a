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


class AllocationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    funder = django_filters.ModelChoiceFilter(
        label="Funder",
        field_name="programme__funder",
        queryset=Funder.objects.all(),
        empty_label="Any",
    )
    programme = django_filters.ModelChoiceFilter(
        queryset=GrantProgramme.objects.select_related("funder"), empty_label="Any"
    )
    authority = django_filters.ModelChoiceFilter(
        label="Authority",
        queryset=Authority.objects.all(),
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
    programme = django_filters.ModelChoiceFilter(
        queryset=OutboundGrantProgramme.objects.all(), empty_label="Any"
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
    funder = django_filters.ModelChoiceFilter(
        label="Funder",
        field_name="allocation__programme__funder",
        queryset=Funder.objects.all(),
        empty_label="Any",
    )
    authority = django_filters.ModelChoiceFilter(
        label="Host or recipient",
        field_name="allocation__authority",
        queryset=Authority.objects.all(),
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
    authority = django_filters.ModelChoiceFilter(
        label="Paid by (authority)", queryset=Authority.objects.all(), empty_label="Any"
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
