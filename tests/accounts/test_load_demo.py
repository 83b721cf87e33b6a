"""load_demo on a deployment: refused with DEBUG off unless --force, and then it never
touches an existing user (the demo passwords are published in the README)."""

import pytest
from django.core.management import CommandError, call_command

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

COUNCIL_PASSWORD = "correct-horse-battery"  # tests/accounts/factories.py


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_load_demo_is_refused_with_debug_off(roles, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", verbosity=0)
    assert not User.objects.filter(username="clerk").exists()


def test_load_demo_force_keeps_an_existing_users_password_and_role(roles, settings):
    settings.DEBUG = False
    admin = UserFactory(username="admin", is_staff=True, is_superuser=False)
    call_command("load_demo", "--force", verbosity=0)
    admin.refresh_from_db()
    assert admin.check_password(COUNCIL_PASSWORD)
    assert not admin.check_password(DEMO_PASSWORD)
    assert not admin.is_superuser
    # The demo users that did not exist are created with the demo password.
    assert User.objects.get(username="clerk").check_password(DEMO_PASSWORD)


def test_load_demo_force_never_resets_a_password_even_with_debug_on(roles, settings):
    settings.DEBUG = True
    UserFactory(username="commissioner")
    call_command("load_demo", "--force", verbosity=0)
    assert User.objects.get(username="commissioner").check_password(COUNCIL_PASSWORD)


def test_load_demo_with_debug_on_resets_the_demo_users(roles, settings):
    settings.DEBUG = True
    UserFactory(username="commissioner")
    call_command("load_demo", verbosity=0)
    assert User.objects.get(username="commissioner").check_password(DEMO_PASSWORD)
