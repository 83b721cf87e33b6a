from django.contrib.auth.models import AbstractUser
from django.db import models

from ui.bounds import bounded


@bounded()
class User(AbstractUser):
    """A council officer. The role is the user's group (see accounts.roles)."""

    cleared_for_exempt = models.BooleanField(
        "cleared for exempt information",
        default=False,
        help_text=(
            "Tick only for officers cleared to read reports exempt under Schedule 12A to "
            "the Local Government Act 1972. Others see the title and the paragraph only."
        ),
    )
    job_title = models.CharField(max_length=200, blank=True)

    @property
    def role(self) -> str:
        from accounts.roles import role_of

        return role_of(self)
