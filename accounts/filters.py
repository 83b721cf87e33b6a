import django_filters
from django import forms
from django.db.models import Q

from accounts.models import User
from accounts.roles import ROLES


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search", method="search")
    role = django_filters.ChoiceFilter(
        label="Role", choices=[(r, r) for r in ROLES], empty_label="Any", method="filter_role"
    )
    is_active = django_filters.BooleanFilter(
        label="Can sign in",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No (leavers)")]),
    )

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )

    def filter_role(self, queryset, name, value):
        return queryset.filter(groups__name=value)
