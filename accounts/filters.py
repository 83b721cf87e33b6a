import django_filters
from django import forms

from accounts.models import User
from accounts.roles import ROLES
from ui.filters import SearchFilterSet


class UserFilter(SearchFilterSet):
    search_fields = ("username", "first_name", "last_name", "email")
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

    def filter_role(self, queryset, name, value):
        return queryset.filter(groups__name=value)
