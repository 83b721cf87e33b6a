"""Session lifetimes: 30 minutes idle, 12 hours in all; a password change ends the
user's other sessions."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # tests/accounts/factories.py
NEW_PASSWORD = "a-new-and-longer-passphrase-2026"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _signed_in_client(username, password=PASSWORD) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302
    return client


def _is_signed_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def test_the_lifetimes_are_30_minutes_idle_and_12_hours_in_all():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() == 12 * 60 * 60


def test_a_session_ends_after_30_minutes_without_a_request(commissioner):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = _signed_in_client("commissioner")
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert _is_signed_in(client)
    # Each request renews the 30 minutes.
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert _is_signed_in(client)
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        assert not _is_signed_in(client)


def test_a_session_ends_12_hours_after_signing_in_however_active(commissioner):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = _signed_in_client("commissioner")
    # A request every 20 minutes keeps it from going idle...
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert _is_signed_in(client), f"signed out after {minutes} minutes"
    # ...but not past 12 hours.
    with time_machine.travel(start + timedelta(hours=12, minutes=5), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert "_auth_user_id" not in client.session


def test_the_12_hours_start_again_at_each_sign_in(commissioner):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = _signed_in_client("commissioner")
    with time_machine.travel(start + timedelta(hours=11, minutes=50), tick=False):
        client.post("/accounts/logout/")
        client.post("/accounts/login/", {"username": "commissioner", "password": PASSWORD})
    with time_machine.travel(start + timedelta(hours=12, minutes=10), tick=False):
        assert _is_signed_in(client)


def test_a_password_change_ends_the_users_other_sessions_but_not_this_one(roles):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    here = _signed_in_client("admin")
    elsewhere = _signed_in_client("admin")
    response = here.post(
        "/admin/password_change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _is_signed_in(here)
    assert not _is_signed_in(elsewhere)


def test_an_administrator_changing_a_users_password_ends_that_users_sessions(commissioner):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    users_session = _signed_in_client("commissioner")
    assert _is_signed_in(users_session)
    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post(
        f"/admin/accounts/user/{commissioner.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not _is_signed_in(users_session)
    assert _is_signed_in(_signed_in_client("commissioner", NEW_PASSWORD))


def test_activity_renews_the_session_at_most_once_a_minute(commissioner_client, commissioner):
    # Renewing saves the session: once a minute, not on every request.
    from django.contrib.sessions.models import Session

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        commissioner_client.get("/")
        expiry = Session.objects.get().expire_date
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        commissioner_client.get("/")
        assert Session.objects.get().expire_date == expiry
    with time_machine.travel(start + timedelta(seconds=90), tick=False):
        commissioner_client.get("/")
        assert Session.objects.get().expire_date > expiry + timedelta(seconds=60)
