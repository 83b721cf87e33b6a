"""Administrators manage users in the app: invite, change role and clearance with a
reason in the history, deactivate leavers, and see the last sign-in."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import ADMINISTRATOR, AUDITOR, CLERK, COMMISSIONER
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(roles):
    return UserFactory(username="sam", first_name="Sam", last_name="Reid", role=ADMINISTRATOR)


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


def _invite(client, **fields):
    data = {
        "username": "nina",
        "first_name": "Nina",
        "last_name": "Patel",
        "email": "Nina.Patel@example.gov.uk",
        "job_title": "Commissioning Officer",
        "role": COMMISSIONER,
        "reason": "Joined the public health team",
        **fields,
    }
    return client.post(reverse("accounts:user_create"), data)


def test_an_administrator_invites_a_user_who_sets_a_password_and_signs_in(
    admin_client, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(admin_client)
    assert response.status_code == 302
    nina = User.objects.get(username="nina")
    assert nina.role == COMMISSIONER
    assert not nina.has_usable_password()
    reasons = {row.history_change_reason for row in nina.history.all()}
    assert reasons == {"Joined the public health team"}
    (email,) = mail.outbox
    assert email.to == ["Nina.Patel@example.gov.uk"]
    assert "Your username is: nina" in email.body
    link = re.search(r"http://testserver(/accounts/password-reset/\S+)", email.body)[1]

    admin_client.logout()
    form = client.get(link, follow=True)
    assert "Set your password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-password-26", "new_password2": "a-long-new-password-26"},
    )
    assert done.status_code == 302
    assert client.login(username="nina", password="a-long-new-password-26")
    # The link works once.
    assert "expired or was used" in client.get(link, follow=True).content.decode()


def test_an_invitation_with_missing_fields_is_refused_at_the_field_and_sends_nothing(
    admin_client,
):
    response = _invite(admin_client, email="", reason="", last_name="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the user&#x27;s email address." in page or "Enter the user's email" in page
    assert "Enter the reason for the change" in page
    assert not User.objects.filter(username="nina").exists()
    assert mail.outbox == []


def test_two_users_cannot_share_an_email_address(admin_client):
    UserFactory(username="other", email="nina.patel@example.gov.uk")
    response = _invite(admin_client)
    assert "Another user has this email address." in response.content.decode()


def test_changing_role_and_clearance_needs_a_reason_and_is_in_the_history(admin_client):
    ann = UserFactory(
        username="ann",
        first_name="Ann",
        last_name="Okafor",
        email="ann@example.gov.uk",
        role=AUDITOR,
    )
    url = reverse("accounts:user_edit", args=[ann.pk])
    data = {
        "username": "ann",
        "first_name": "Ann",
        "last_name": "Okafor",
        "email": "ann@example.gov.uk",
        "job_title": "",
        "role": CLERK,
        "cleared_for_exempt": "on",
        "is_active": "on",
        "version": str(ann.version),
        "reason": "",
    }
    refused = admin_client.post(url, data)
    assert "Enter the reason for the change" in refused.content.decode()
    ann.refresh_from_db()
    assert ann.role == AUDITOR
    response = admin_client.post(url, {**data, "reason": "Moved to Democratic Services"})
    assert response.status_code == 302
    ann = User.objects.get(pk=ann.pk)
    assert ann.role == CLERK and ann.cleared_for_exempt
    latest = ann.history.latest()
    assert latest.history_change_reason == "Moved to Democratic Services"
    history = admin_client.get(reverse("audit:record", args=["accounts.user", ann.pk]))
    assert "Moved to Democratic Services" in history.content.decode()


def test_a_leaver_is_deactivated_kept_and_cannot_sign_in(admin_client, client):
    leaver = UserFactory(username="leaver", email="leaver@example.gov.uk", role=COMMISSIONER)
    data = {
        "username": "leaver",
        "first_name": leaver.first_name,
        "last_name": leaver.last_name,
        "email": "leaver@example.gov.uk",
        "job_title": "",
        "role": COMMISSIONER,
        "version": str(leaver.version),
        "reason": "Left the council on 30 November",
    }  # "is_active" unticked
    assert (
        admin_client.post(reverse("accounts:user_edit", args=[leaver.pk]), data).status_code == 302
    )
    leaver.refresh_from_db()
    assert leaver.is_active is False
    assert not client.login(username="leaver", password="correct-horse-battery")
    listed = admin_client.get(reverse("accounts:user_list"), {"is_active": "false"})
    assert "leaver" in listed.content.decode()


def test_the_user_list_shows_role_and_last_sign_in_in_the_same_queries_for_2_or_50(
    admin_client,
):
    UserFactory(username="first", role=COMMISSIONER)
    Client().login(username="first", password="correct-horse-battery")  # a last sign-in
    UserFactory(username="newcomer", role=AUDITOR)  # never signed in

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(reverse("accounts:user_list"), {"per_page": 100})
        assert response.status_code == 200
        return len(queries)

    page = admin_client.get(reverse("accounts:user_list")).content.decode()
    assert "Never" in page and "Commissioner" in page and "Administrator" in page
    few = count()
    for n in range(48):
        UserFactory(username=f"u{n}", role=CLERK)
    assert count() == few


@pytest.mark.parametrize("fixture", ["commissioner_client", "clerk_client", "auditor_client"])
def test_only_administrators_manage_users(request, fixture):
    client = request.getfixturevalue(fixture)
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert _invite(client).status_code == 403
    assert not User.objects.filter(username="nina").exists()


def test_a_forgotten_password_email_goes_only_to_a_known_active_address(client, roles):
    UserFactory(username="known", email="known@example.gov.uk")
    for address in ("known@example.gov.uk", "unknown@example.gov.uk"):
        response = client.post(reverse("password_reset"), {"email": address})
        assert response.status_code == 302  # the same answer either way
    assert [m.to for m in mail.outbox] == [["known@example.gov.uk"]]
