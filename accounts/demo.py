"""Demo users, one per role. Their passwords are printed by ``make run``."""

from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import ADMINISTRATOR, AUDITOR, CLERK, COMMISSIONER, ensure_roles

DEMO_PASSWORD = "demo-password-2026"
DEMO_USERS = (
    # username, first, last, role, job title, cleared for exempt information
    ("commissioner", "Priya", "Shah", COMMISSIONER, "Public Health Commissioning Manager", False),
    ("clerk", "Tom", "Baker", CLERK, "Democratic Services Officer", True),
    ("auditor", "Ann", "Okafor", AUDITOR, "Senior Internal Auditor", False),
    ("admin", "Sam", "Reid", ADMINISTRATOR, "Systems Administrator", True),
)


KEPT = "(unchanged)"


def load_users(*, reset_existing: bool = True) -> list[tuple[str, str, str]]:
    """Create the demo users; return (username, password, role) rows.

    With ``reset_existing`` (development), users of those names are reset to the demo
    role and password. Without it (``load_demo --force`` on a real deployment), an
    existing user is left exactly as it is: its password, role and flags are the
    council's, not the demo's.
    """
    ensure_roles()
    rows = []
    for username, first, last, role, job, cleared in DEMO_USERS:
        user, created = User.objects.get_or_create(username=username)
        if not created and not reset_existing:
            rows.append((username, KEPT, role))
            continue
        user.first_name, user.last_name, user.job_title = first, last, job
        user.cleared_for_exempt = cleared
        user.email = f"{first}.{last}@example.gov.uk".lower()
        user.is_staff = user.is_superuser = role == ADMINISTRATOR
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        rows.append((username, DEMO_PASSWORD, role))
    return rows
