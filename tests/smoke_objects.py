"""What the smoke walk needs to know about each route: its arguments and permission.

Each app adds its routes in ``tests/<app>/smoke.py`` with a function
``routes() -> dict[url_name, (args, permission)]``, called after sample objects are made.
A permission of None means any signed-in user may open the page; PUBLIC, that anyone
may, signed in or not (the public site, /public/).
"""

from importlib import import_module
from importlib.util import find_spec

from django.contrib.auth import get_user_model

from contracts.models import Authority, Provider

APP_SMOKE_MODULES = (
    "tests.contracts.smoke",
    "tests.decisions.smoke",
    "tests.grants.smoke",
    "tests.psr.smoke",
    "tests.psr.smoke_annual",
    "tests.psr.smoke_variations",
    "tests.ui.smoke",
    "tests.public.smoke",
    "tests.public.smoke_feeds",
)
# A route's permission for pages anyone may read, signed in or not (the public site).
PUBLIC = "public"

# Pages with a fixed answer whatever the role (by client fixture name).
FIXED = {
    "login": {"client": {200}, "*": {200}},
    # Sign-out is POST only; anonymous visitors are sent to sign in first.
    "logout": {"client": {302}, "*": {405}},
    # An import's progress page: only its owner and staff see it; the sample is nobody's
    # here (tests/ui/smoke.py).
    "import_job": {"client": {302}, "*": {404}},
    # Forgotten passwords: open to anyone, signed in or not.
    "password_reset": {"*": {200}},
    "password_reset_done": {"*": {200}},
    "password_reset_confirm": {"*": {200}},  # a bad link: "this link has expired"
    "password_reset_complete": {"*": {200}},
    # Feeds and calendars: public, for anyone; a user's calendar needs its secret address.
    "public:decisions_atom": {"*": {200}},
    "public:forward_plan_ics": {"*": {200}},
    "public:my_calendar": {"*": {404}},
    "accounts:calendar": {"client": {302}, "*": {200}},
}


class SampleRoutes(dict):
    """url_name → (args, permission)."""

    def get(self, name, default=None):
        entry = super().get(name)
        return entry[0] if entry else default

    def expectation(self, name: str, role_fixture: str) -> set[int]:
        if name in FIXED:
            fixed = FIXED[name]
            return fixed.get(role_fixture, fixed["*"])
        permission = super().get(name, (None, None))[1]
        if permission == PUBLIC:
            return {200}
        if role_fixture == "client":
            return {302}
        if permission is None:
            return {200}
        username = role_fixture.removesuffix("_client")
        user = get_user_model().objects.get(username=username)
        return {200} if user.has_perm(permission) else {403}


def _sample_user():
    """A user whose page an administrator may open (any user will do)."""
    user, _ = get_user_model().objects.get_or_create(
        username="sample-user", defaults={"email": "sample-user@example.gov.uk"}
    )
    return user


def make_sample_objects() -> SampleRoutes:
    authority = Authority.objects.first()
    provider = Provider.objects.first()
    routes = SampleRoutes(
        {
            "home": ((), None),
            "lookup_suggestions": (("contracts",), "contracts.view_contract"),
            "audit:changes": ((), None),
            "audit:record": (("contracts.provider", provider.pk), "contracts.view_provider"),
            "contracts:authority_list": ((), "contracts.view_authority"),
            "contracts:authority_create": ((), "contracts.add_authority"),
            "contracts:authority_detail": ((authority.pk,), "contracts.view_authority"),
            "contracts:authority_edit": ((authority.pk,), "contracts.change_authority"),
            "contracts:provider_list": ((), "contracts.view_provider"),
            "contracts:provider_create": ((), "contracts.add_provider"),
            "contracts:provider_detail": ((provider.pk,), "contracts.view_provider"),
            "contracts:provider_edit": ((provider.pk,), "contracts.change_provider"),
            "password_reset_confirm": (("eHg", "bad-token"), None),
            "accounts:user_list": ((), "accounts.view_user"),
            "accounts:user_create": ((), "accounts.add_user"),
            "accounts:user_edit": ((_sample_user().pk,), "accounts.change_user"),
        }
    )
    for name in APP_SMOKE_MODULES:
        if find_spec(name) is not None:
            routes.update(import_module(name).routes())
    return routes
