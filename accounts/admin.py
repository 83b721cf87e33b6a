from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class CouncilUserAdmin(UserAdmin):
    fieldsets = UserAdmin.fieldsets + (
        ("Council", {"fields": ("job_title", "cleared_for_exempt")}),
    )
    list_display = ("username", "get_full_name", "email", "cleared_for_exempt", "is_active")
