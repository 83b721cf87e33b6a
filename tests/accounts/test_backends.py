"""accounts.backends.RoleModelBackend gives exactly ModelBackend's permission answers,
for every role and every kind of user, from one query per request."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.backends import RoleModelBackend
from accounts.models import User
from accounts.roles import ADMINISTRATOR, AUDITOR, CLERK, COMMISSIONER, ROLES, role_of
from contracts.models import Contract
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
ROLE_BACKEND = "accounts.backends.RoleModelBackend"


def _with_own_permission(user, dotted: str) -> None:
    app_label, codename = dotted.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )


def _make(case: str) -> User:
    """One user of each kind that ModelBackend treats differently."""
    if case in ROLES:
        return UserFactory(role=case)
    if case == "no role":
        return UserFactory()
    if case == "inactive commissioner":
        return UserFactory(role=COMMISSIONER, is_active=False)
    if case == "inactive with own permission":
        user = UserFactory(is_active=False)
        _with_own_permission(user, "contracts.view_contract")
        return user
    if case == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    if case == "superuser in a role":
        return UserFactory(role=ADMINISTRATOR, is_superuser=True, is_staff=True)
    if case == "inactive superuser":
        return UserFactory(is_superuser=True, is_active=False)
    if case == "auditor with own permission":
        user = UserFactory(role=AUDITOR)
        _with_own_permission(user, "grants.change_grantallocation")
        return user
    if case == "two roles":
        user = UserFactory(role=CLERK)
        user.groups.add(Group.objects.get(name=COMMISSIONER))
        return user
    if case == "a group with no permissions":
        user = UserFactory()
        user.groups.add(Group.objects.create(name="Newsletter readers"))
        return user
    raise ValueError(case)


CASES = [
    *ROLES,
    "no role",
    "inactive commissioner",
    "inactive with own permission",
    "superuser",
    "superuser in a role",
    "inactive superuser",
    "auditor with own permission",
    "two roles",
    "a group with no permissions",
]


def _fresh(user) -> User:
    """A new instance, with no permission cached on it."""
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("case", CASES)
def test_every_answer_is_model_backends(roles, case):
    user = _make(case)
    old, new = ModelBackend(), RoleModelBackend()
    every_permission = [
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    ] + ["contracts.no_such_permission", "nonsense"]
    app_labels = {p.split(".")[0] for p in every_permission} | {"no_such_app"}
    a_contract = Contract()

    for method in ("get_user_permissions", "get_group_permissions", "get_all_permissions"):
        assert getattr(new, method)(_fresh(user)) == getattr(old, method)(_fresh(user)), method
        assert getattr(new, method)(_fresh(user), a_contract) == set(), method
    expected, actual = _fresh(user), _fresh(user)
    for perm in every_permission:
        assert new.has_perm(actual, perm) == old.has_perm(expected, perm), perm
        assert new.has_perm(actual, perm, a_contract) is old.has_perm(expected, perm, a_contract)
    for app_label in app_labels:
        assert new.has_module_perms(actual, app_label) == old.has_module_perms(expected, app_label)


@pytest.mark.parametrize("case", CASES)
def test_the_users_own_checks_and_role_agree_with_model_backend_alone(roles, case, settings):
    user = _make(case)
    every_permission = list(Permission.objects.values_list("content_type__app_label", "codename"))
    with_both = _fresh(user)
    answers = (
        with_both.get_all_permissions(),
        [with_both.has_perm(f"{a}.{c}") for a, c in every_permission],
        role_of(with_both),
    )
    settings.AUTHENTICATION_BACKENDS = [MODEL_BACKEND]
    alone = _fresh(user)
    names = {g.name for g in alone.groups.all()}
    # accounts.roles.role_of as it was, reading the groups itself.
    old_role = (
        ADMINISTRATOR
        if alone.is_superuser
        else next((role for role in ROLES if role in names), "No role")
    )
    assert answers == (
        alone.get_all_permissions(),
        [alone.has_perm(f"{a}.{c}") for a, c in every_permission],
        old_role,
    )


def test_anonymous_visitors_have_no_role_and_no_permission():
    visitor = AnonymousUser()
    assert role_of(visitor) == ""
    assert RoleModelBackend().get_all_permissions(visitor) == set()
    assert not RoleModelBackend().has_perm(visitor, "contracts.view_contract")


def test_the_role_and_every_permission_cost_one_query(roles):
    user = _fresh(UserFactory(role=COMMISSIONER))
    with CaptureQueriesContext(connection) as queries:
        assert role_of(user) == COMMISSIONER
        assert user.has_perm("contracts.change_contract")
        assert not user.has_perm("decisions.change_decision")  # asks both backends
        assert user.has_module_perms("grants")
        assert "contracts.view_contract" in user.get_all_permissions()
    assert len(queries) == 1


def test_it_signs_nobody_in(roles):
    user = UserFactory(role=COMMISSIONER)
    assert RoleModelBackend().authenticate(None, username=user.username, password="x") is None
    assert (
        RoleModelBackend().authenticate(
            None, username=user.username, password="correct-horse-battery"
        )
        is None
    )


def test_signing_in_records_model_backend_in_the_session(client, commissioner):
    client.post(reverse("login"), {"username": "commissioner", "password": "correct-horse-battery"})
    assert client.session[BACKEND_SESSION_KEY] == MODEL_BACKEND


@pytest.mark.parametrize("backend", [MODEL_BACKEND, ROLE_BACKEND])
def test_sessions_from_before_and_after_the_change_stay_signed_in(commissioner, backend):
    client = Client()
    client.force_login(commissioner, backend=backend)
    response = client.get(reverse("contracts:list"))
    assert response.status_code == 200
    assert response.wsgi_request.user == commissioner
