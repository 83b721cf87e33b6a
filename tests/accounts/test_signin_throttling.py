"""Sign-in throttling (django-axes): 5 failures per username and IP address, then 15
minutes during which even the right password is refused, with the wrong-password
message, on the app's sign-in page and the admin's."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Dozens of sign-ins per test; the hasher's cost is not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


PASSWORD = "correct-horse-battery"  # tests/accounts/factories.py
WRONG_PASSWORD = "Enter a correct username and password. Both are case-sensitive."
ADMIN_WRONG_PASSWORD = "Please enter the correct username and password for a staff account."


def _sign_in(client, username, password, url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _fail(client, username, times, url="/accounts/login/"):
    for _ in range(times):
        response = _sign_in(client, username, "wrong password", url)
        assert response.status_code == 200


def test_four_failures_then_the_right_password_signs_in(commissioner):
    client = Client()
    _fail(client, "commissioner", 4)
    assert _sign_in(client, "commissioner", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_five_failures_lock_the_username_and_even_the_right_password_is_refused(commissioner):
    client = Client()
    _fail(client, "commissioner", 5)
    response = _sign_in(client, "commissioner", PASSWORD)
    assert response.status_code == 200
    assert WRONG_PASSWORD in response.content.decode()
    assert not _signed_in(client)


def test_the_lock_ends_after_the_15_minute_cool_off(commissioner):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, "commissioner", 5)
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert _sign_in(client, "commissioner", PASSWORD).status_code == 200
        assert not _signed_in(client)
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        assert _sign_in(client, "commissioner", PASSWORD).status_code == 302
        assert _signed_in(client)


def test_a_lockout_says_what_a_wrong_password_or_an_unknown_user_says(commissioner):
    # Nobody learns from the answer whether an account exists or is locked.
    def page(username, password):
        response = _sign_in(Client(), username, password)
        body = response.content.decode()
        return response.status_code, WRONG_PASSWORD in body, "locked" in body.lower()

    wrong = page("commissioner", "wrong password")
    unknown = page("nobody-by-this-name", "wrong password")
    _fail(Client(), "commissioner", 5)
    locked = page("commissioner", PASSWORD)
    assert wrong == unknown == locked == (200, True, False)


def test_the_lock_is_per_username_and_ip_address(commissioner, auditor):
    _fail(Client(REMOTE_ADDR="203.0.113.9"), "commissioner", 5)
    # Another user from the same address, and the same user from elsewhere, still sign in.
    assert _sign_in(Client(REMOTE_ADDR="203.0.113.9"), "auditor", PASSWORD).status_code == 302
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.4"), "commissioner", PASSWORD).status_code == 302


def test_failures_are_stored_in_the_database_for_every_app_server(commissioner):
    _fail(Client(), "commissioner", 3)
    attempt = AccessAttempt.objects.get(username="commissioner")
    assert attempt.failures_since_start == 3


def test_the_admin_sign_in_is_throttled_too(roles):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    client = Client()
    _fail(client, "admin", 5, url="/admin/login/")
    response = _sign_in(client, "admin", PASSWORD, url="/admin/login/")
    assert response.status_code == 200
    assert ADMIN_WRONG_PASSWORD in response.content.decode()
    assert not _signed_in(client)
    # The lock holds for the app's sign-in page as well.
    assert _sign_in(client, "admin", PASSWORD).status_code == 200


def test_a_successful_sign_in_clears_the_failures(commissioner):
    client = Client()
    _fail(client, "commissioner", 4)
    assert _sign_in(client, "commissioner", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    _fail(client, "commissioner", 4)
    assert _sign_in(client, "commissioner", PASSWORD).status_code == 302


def test_the_test_clients_logins_still_work_with_axes(commissioner):
    # force_login needs no password. client.login() authenticates, and axes needs the
    # request to know the IP address: tests/conftest.py passes an empty one.
    forced = Client()
    forced.force_login(commissioner)
    assert forced.get("/").status_code == 200
    for client, credentials in [
        (Client(), {"username": "commissioner", "password": PASSWORD}),
        (Client(), {"request": HttpRequest(), "username": "commissioner", "password": PASSWORD}),
    ]:
        assert client.login(**credentials)
        assert client.get("/").status_code == 200
