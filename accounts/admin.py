from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group

from accounts.models import User, users_with_history
from accounts.roles import is_cleared
from audit.admin import HistoryAdmin


@admin.register(User)
class CouncilUserAdmin(HistoryAdmin, UserAdmin):
    """Users are deactivated, not deleted, once they have made a recorded change."""

    fieldsets = UserAdmin.fieldsets + (
        ("Council", {"fields": ("job_title", "cleared_for_exempt")}),
    )
    list_display = ("username", "get_full_name", "email", "cleared_for_exempt", "is_active")

    # Roles (groups) carry the permissions, refreshed from accounts/roles.py after
    # every migrate; a <select> of every permission (over 200) is shown, not edited.
    filter_horizontal = ("groups",)

    def get_readonly_fields(self, request, obj=None):
        # Only a cleared officer may clear others (or themselves): an uncleared
        # administrator who could tick the box would read every exempt report.
        readonly = (*super().get_readonly_fields(request, obj), "user_permissions")
        if not is_cleared(request.user):
            return (*readonly, "cleared_for_exempt")
        return readonly

    def has_change_permission(self, request, obj=None):
        # Nor may they manage a cleared officer's account: setting its password (or
        # its username) would let them sign in as that officer and read what they read.
        if obj is not None and obj.cleared_for_exempt and not is_cleared(request.user):
            return False
        return super().has_change_permission(request, obj)

    actions = ["deactivate"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and users_with_history([obj.pk]):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Deactivate selected users", permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.deactivate()
        self.message_user(request, f"{count} user(s) deactivated.", messages.SUCCESS)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(HistoryAdmin, GroupAdmin):
    # A role's permissions come from accounts/roles.py, refreshed after every migrate:
    # shown, not edited (and no <select> of every permission, over 200 of them).
    readonly_fields = ("permissions",)
