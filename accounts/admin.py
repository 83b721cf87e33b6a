from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User
from audit.admin import VersionedAdminMixin


@admin.register(User)
class CouncilUserAdmin(VersionedAdminMixin, UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Council", {"fields": ("job_title", "cleared_for_exempt")}),
    )
    list_display = ("username", "get_full_name", "email", "cleared_for_exempt", "is_active")
