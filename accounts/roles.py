"""Roles are groups with permissions.

Who may do what:
- Commissioner: edits contracts, providers, authorities and grants; reads decisions.
- Committee clerk: edits decisions and their pathway, makes the PDFs; reads the rest.
- Auditor: reads everything, including history, and changes nothing.
- Administrator: everything, including users (staff, with the admin site).
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission

from accounts.backends import load_roles

COMMISSIONER = "Commissioner"
CLERK = "Committee clerk"
AUDITOR = "Auditor"
ADMINISTRATOR = "Administrator"
ROLES = (COMMISSIONER, CLERK, AUDITOR, ADMINISTRATOR)

# What each role may do, in the words the "You cannot do that" page uses.
CAN_DO = {
    COMMISSIONER: "edit contracts, providers, authorities and grants, and read decisions",
    CLERK: "edit decisions and their pathway and make their documents, and read the rest",
    AUDITOR: "read every record and its history, but not change anything",
    ADMINISTRATOR: "do everything, including managing users",
    "No role": "sign in, but not read or change records until an administrator gives you a role",
}

# Apps whose every model a role may edit; every role may view every domain app.
DOMAIN_APPS = ("contracts", "decisions", "grants", "psr")
EDITS = {
    # The Provider Selection Regime records (award records, notices) are the
    # commissioners', who run the procurement.
    COMMISSIONER: ("contracts", "grants", "psr"),
    CLERK: ("decisions",),
    AUDITOR: (),
    ADMINISTRATOR: DOMAIN_APPS,
}
# Custom permissions (declared in each model's Meta) granted beyond add/change/delete.
EXTRA = {
    CLERK: ("decisions.generate_pdf",),
    # Administrators manage users in the app (accounts.views): invite, change the role
    # and clearance, deactivate. Users are never deleted (accounts.models).
    ADMINISTRATOR: (
        "decisions.generate_pdf",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
    ),
}


def _codenames_for(app_label: str, actions: tuple[str, ...]) -> list[Permission]:
    perms = []
    for model in apps.get_app_config(app_label).get_models():
        if model._meta.auto_created or model.__name__.startswith("Historical"):
            continue
        for action in actions:
            perms.append(f"{action}_{model._meta.model_name}")
    return list(Permission.objects.filter(content_type__app_label=app_label, codename__in=perms))


def ensure_roles() -> None:
    """Create the role groups and set their permissions (idempotent)."""
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        perms: list[Permission] = []
        for app_label in DOMAIN_APPS:
            actions = ("view",)
            if app_label in EDITS[role]:
                actions = ("view", "add", "change", "delete")
            perms += _codenames_for(app_label, actions)
        for dotted in EXTRA.get(role, ()):
            app_label, codename = dotted.split(".")
            perms += list(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


def role_of(user) -> str:
    """The user's role name, for display: the first role group they belong to."""
    if not user.is_authenticated:
        return ""
    if user.is_superuser:
        return ADMINISTRATOR
    # The groups come with the user's permissions, in one query (accounts.backends).
    return role_from_groups(user, load_roles(user))


def role_from_groups(user, group_names) -> str:
    """The role shown for ``user`` in these groups: Administrator for a superuser."""
    if user.is_superuser:
        return ADMINISTRATOR
    return next((role for role in ROLES if role in group_names), "No role")


def is_cleared(user) -> bool:
    """Whether ``user`` is cleared for exempt information (Schedule 12A): the one test
    that decisions.visibility, ui.attachments and audit.history ask. An anonymous
    reader (the public site) never is."""
    return bool(getattr(user, "cleared_for_exempt", False))


def is_read_only(user) -> bool:
    """Auditors, and users with no role, change nothing."""
    return role_of(user) in (AUDITOR, "No role")


def administrators(limit: int = 5) -> list[str]:
    """Names of active administrators, for "whom to ask" (superusers and the role)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    users = (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=ADMINISTRATOR), is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")[:limit]
    )
    return [user.get_full_name() or user.get_username() for user in users]
