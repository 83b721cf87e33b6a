"""An administrator (a superuser) not cleared for exempt information cannot become
a cleared user.

The clearance box is read-only to them (accounts.admin), but without more they could
set a cleared clerk's password, or change their username, and sign in as the clerk:
every exempt report would then be theirs to read. So a cleared user's account is
view-only in the admin to an uncleared administrator (a cleared one manages it).
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import ADMINISTRATOR
from tests.accounts.factories import UserFactory
from tests.html_forms import form_data

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "taken-over-by-admin-2026"


@pytest.fixture
def uncleared_admin_client(roles):
    admin = UserFactory(
        username="uncleared-admin", role=ADMINISTRATOR, is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def cleared_admin_client(roles):
    admin = UserFactory(
        username="cleared-admin",
        role=ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
        cleared_for_exempt=True,
    )
    client = Client()
    client.force_login(admin)
    return client


def _set_password(client, user):
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    return client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})


def test_an_uncleared_administrator_cannot_set_a_cleared_users_password(
    uncleared_admin_client, clerk
):
    response = _set_password(uncleared_admin_client, clerk)

    assert response.status_code == 403
    assert not User.objects.get(username="clerk").check_password(NEW_PASSWORD)


def test_an_uncleared_administrator_cannot_rename_a_cleared_user(uncleared_admin_client, clerk):
    url = reverse("admin:accounts_user_change", args=[clerk.pk])
    page = uncleared_admin_client.get(url)
    assert page.status_code == 200  # view only

    response = uncleared_admin_client.post(url, {"username": "renamed", "is_active": "on"})

    assert response.status_code == 403
    clerk.refresh_from_db()
    assert clerk.username == "clerk"


def test_an_uncleared_administrator_still_manages_uncleared_users(
    uncleared_admin_client, commissioner
):
    response = _set_password(uncleared_admin_client, commissioner)

    assert response.status_code == 302
    assert User.objects.get(username="commissioner").check_password(NEW_PASSWORD)


def test_a_cleared_administrator_manages_cleared_users(cleared_admin_client, clerk):
    response = _set_password(cleared_admin_client, clerk)
    assert response.status_code == 302

    url = reverse("admin:accounts_user_change", args=[clerk.pk])
    data = form_data(cleared_admin_client.get(url).content.decode())
    data["job_title"] = "Senior clerk"
    assert cleared_admin_client.post(url, data).status_code == 302
    assert User.objects.get(pk=clerk.pk).job_title == "Senior clerk"
