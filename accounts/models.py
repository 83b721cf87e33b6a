import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models

from audit.models import audited_history, register_audited_history
from audit.versioning import VersionedModel
from ui.bounds import bounded


class UserHasHistory(Exception):
    """Raised on deleting a user whose changes are in the history: deactivate instead."""


def users_with_history(user_ids) -> set[int]:
    """Those of the users who made a change recorded in any history table."""
    from audit.chain import chained_models

    ids = set(user_ids)
    found: set[int] = set()
    for model in chained_models():
        if not ids - found or "history_user" not in {f.name for f in model._meta.fields}:
            continue
        found |= set(
            model.objects.filter(history_user_id__in=ids - found)
            .values_list("history_user_id", flat=True)
            .distinct()
        )
    return found


def calendar_token_hash(token: str) -> str:
    """What is stored of a calendar token: its SHA-256, so the table never holds a
    working address, and a lookup by it compares no secret byte by byte."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserQuerySet(models.QuerySet):
    def delete(self):
        refused = users_with_history(self.values_list("pk", flat=True))
        if refused:
            raise UserHasHistory(
                f"{len(refused)} of these users made recorded changes: deactivate them instead."
            )
        return super().delete()

    def deactivate(self) -> int:
        """Sign users out of the service for good, keeping them (and history) whole."""
        count = 0
        for user in self.filter(is_active=True):
            user.is_active = False
            user.save(update_fields=["is_active"])
            count += 1
        return count


class CouncilUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


@bounded()
class User(AbstractUser, VersionedModel):
    """A council officer. The role is the user's group (see accounts.roles).

    Versioned like every edited record, so two administrators editing one user
    cannot silently undo each other (audit.versioning).

    Users who made a recorded change are deactivated, never deleted, so history keeps
    who did what (each history row also keeps the name, ``history_user_name``).
    """

    # Written on every sign-in, and by the user's own calendar reset: not edits that
    # should refuse an administrator's open form.
    unversioned_fields = frozenset({"last_login", "calendar_token_hash"})

    cleared_for_exempt = models.BooleanField(
        "cleared for exempt information",
        default=False,
        help_text=(
            "Tick only for officers cleared to read reports exempt under Schedule 12A to "
            "the Local Government Act 1972. Others see the title and the paragraph only."
        ),
    )
    job_title = models.CharField(max_length=200, blank=True)
    # The SHA-256 of the secret in the user's calendar address (public.calendars): the
    # address itself is shown once, when made, and never stored.
    calendar_token_hash = models.CharField(
        max_length=64, blank=True, default="", editable=False, db_index=True
    )

    objects = CouncilUserManager()

    def new_calendar_token(self) -> str:
        """A new secret for the user's calendar address (public.calendars), which
        replaces any earlier one; only its hash is stored, so it is shown once."""
        token = secrets.token_urlsafe(32)
        # Only the hash is written: a bookkeeping field (unversioned, not in history).
        self.calendar_token_hash = calendar_token_hash(token)
        self.save(update_fields=["calendar_token_hash"])
        return token

    def holds_calendar_token(self, token: str | None) -> bool:
        return bool(token) and calendar_token_hash(token) == self.calendar_token_hash

    # Who holds which role (group membership) and clearance, and when that changed.
    # Never the password hash, sign-in times or calendar secret.
    history = audited_history(
        excluded_fields=["password", "last_login", "calendar_token_hash"], m2m_fields=["groups"]
    )
    history_hidden_fields = ("password", "last_login", "calendar_token_hash")

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:user_edit", args=[self.pk])

    @property
    def role(self) -> str:
        from accounts.roles import role_of

        return role_of(self)

    def delete(self, *args, **kwargs):
        if users_with_history([self.pk]):
            raise UserHasHistory(
                f"{self.username} made recorded changes: deactivate the user instead."
            )
        return super().delete(*args, **kwargs)


# Roles are groups: their names have history too (their permissions come from
# accounts.roles, in code).
register_audited_history(Group, app="accounts")
