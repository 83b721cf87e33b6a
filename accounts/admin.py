from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class CouncilUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Council", {"fields": ("job_title", "cleared_for_exempt")}),
    )
    list_display = ("username", "get_full_name", "email", "cleared_for_exempt", "is_active")

    def get_readonly_fields(self, request, obj=None):
        # Only a cleared officer may clear others (or themselves): an uncleared
        # administrator who could tick the box would read every exempt report.
        readonly = super().get_readonly_fields(request, obj)
        if not getattr(request.user, "cleared_for_exempt", False):
            return (*readonly, "cleared_for_exempt")
        return readonly
