"""A user's roles and permissions, read in one query per request.

Django's ModelBackend reads a user's own permissions and their groups' permissions in
two queries, and ``accounts.roles.role_of`` read the groups in a third, on every page.
``load_roles`` reads all three at once and fills the caches that ModelBackend keeps on
the user object (``_user_perm_cache``, ``_group_perm_cache``, ``_perm_cache``), with
the same sets ModelBackend would work out from the same tables. Every permission check
then reads those caches, whichever of the two backends answers it.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import CharField, F, Value

# The names of the user's groups (their roles), cached on the user object for the
# request, as ModelBackend caches permissions.
GROUP_NAMES_CACHE = "_group_names_cache"


def _access_rows(user):
    """(group name, app label, codename) rows: the user's own permissions with no group
    name (every permission for a superuser, as ModelBackend gives them), then each
    group's, a group with no permissions as one row with no permission."""
    own = Permission.objects.all() if user.is_superuser else Permission.objects.filter(user=user)
    own = (
        own.annotate(
            group_name=Value(None, output_field=CharField()),
            app_label=F("content_type__app_label"),
            code=F("codename"),
        )
        .values_list("group_name", "app_label", "code")
        .order_by()
    )
    from_groups = (
        Group.objects.filter(user=user)
        .annotate(
            group_name=F("name"),
            app_label=F("permissions__content_type__app_label"),
            code=F("permissions__codename"),
        )
        .values_list("group_name", "app_label", "code")
        .order_by()
    )
    return own.union(from_groups, all=True)


def load_roles(user) -> frozenset[str]:
    """The names of ``user``'s groups; the first call also fills ModelBackend's
    permission caches on ``user``, from the same query."""
    names = getattr(user, GROUP_NAMES_CACHE, None)
    if names is not None:
        return names
    if user.is_anonymous:
        return frozenset()
    own: set[str] = set()
    from_groups: set[str] = set()
    group_names: set[str] = set()
    for group_name, app_label, code in _access_rows(user):
        if group_name is None:
            own.add(f"{app_label}.{code}")
            continue
        group_names.add(group_name)
        if code is not None:
            from_groups.add(f"{app_label}.{code}")
    if user.is_superuser:
        from_groups = own
    # ModelBackend caches permissions only for active users (it answers "none" for an
    # inactive one without looking), and keeps a cache it already has.
    if user.is_active:
        if not hasattr(user, "_user_perm_cache"):
            user._user_perm_cache = own
        if not hasattr(user, "_group_perm_cache"):
            user._group_perm_cache = from_groups
        if not hasattr(user, "_perm_cache"):
            user._perm_cache = {*user._user_perm_cache, *user._group_perm_cache}
    names = frozenset(group_names)
    setattr(user, GROUP_NAMES_CACHE, names)
    return names


class RoleModelBackend(ModelBackend):
    """ModelBackend's permission answers, read by ``load_roles`` in one query.

    It answers permission questions only. ModelBackend, after it in
    AUTHENTICATION_BACKENDS, still signs users in and so stays the backend recorded in
    their sessions: adding this one signed nobody out. Its answers come from the caches
    filled here, so it runs no query of its own.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        return None

    def get_user_permissions(self, user_obj, obj=None):
        self._load(user_obj, obj)
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        self._load(user_obj, obj)
        return super().get_group_permissions(user_obj, obj)

    @staticmethod
    def _load(user_obj, obj) -> None:
        # The cases in which ModelBackend reads the tables; otherwise it answers "none".
        if user_obj.is_active and not user_obj.is_anonymous and obj is None:
            load_roles(user_obj)
