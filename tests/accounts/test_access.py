import pytest
from django.urls import reverse

from accounts.roles import ADMINISTRATOR, AUDITOR, CLERK, COMMISSIONER, role_of
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("contracts:provider_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_sign_in_page_is_open_to_everyone(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_signing_in_with_the_right_password_lands_on_home(client, commissioner):
    response = client.post(
        reverse("login"), {"username": "commissioner", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_reshown_with_an_error(client, commissioner):
    response = client.post(reverse("login"), {"username": "commissioner", "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<a href="#id_username">Enter a correct username and password.' in body
    assert body.count("Enter a correct username and password") == 1  # the summary only
    assert "<title>Error: " in body


def test_an_auditor_post_is_refused_even_to_a_form_they_can_read(auditor_client):
    provider = ProviderFactory()
    response = auditor_client.post(
        reverse("contracts:provider_edit", args=[provider.pk]), {"name": "Renamed"}
    )
    assert response.status_code == 403
    provider.refresh_from_db()
    assert provider.name != "Renamed"


def test_a_403_page_is_styled_and_names_the_role(auditor_client):
    response = auditor_client.post(reverse("contracts:provider_create"), {"name": "X"})
    assert response.status_code == 403
    assert b"You cannot do that" in response.content
    assert b"Auditor" in response.content


def test_a_missing_record_gets_the_styled_404(commissioner_client):
    response = commissioner_client.get(reverse("contracts:provider_detail", args=[999999]))
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_every_role_can_sign_out(auditor_client):
    response = auditor_client.post(reverse("logout"))
    assert response.status_code == 302


def test_roles_are_read_from_groups(commissioner, clerk, auditor, outsider):
    assert role_of(commissioner) == COMMISSIONER
    assert role_of(clerk) == CLERK
    assert role_of(auditor) == AUDITOR
    assert role_of(outsider) == "No role"


def test_the_header_shows_the_users_name_and_role(commissioner_client, commissioner):
    response = commissioner_client.get(reverse("home"))
    assert commissioner.get_full_name().encode() in response.content
    assert b"Commissioner" in response.content


def test_load_demo_creates_one_user_per_role_and_is_idempotent(db):
    from django.core.management import call_command

    from accounts.models import User
    from contracts.models import Authority

    call_command("load_demo", "--force", verbosity=0)
    call_command("load_demo", "--force", verbosity=0)
    assert {role_of(u) for u in User.objects.all()} >= {COMMISSIONER, CLERK, AUDITOR}
    kent = Authority.objects.get(name="Kent County Council")
    assert kent.history.count() == 1


def test_a_403_page_says_what_the_commissioners_role_allows_and_whom_to_ask(
    commissioner_client, roles
):
    UserFactory(username="ada", first_name="Ada", last_name="Admin", role=ADMINISTRATOR)
    UserFactory(
        username="gone", first_name="Left", last_name="Us", role=ADMINISTRATOR, is_active=False
    )
    response = commissioner_client.post(reverse("decisions:create"), {})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your role lets you edit contracts, providers, authorities and grants" in page
    assert "Auditors can read" not in page  # another role's powers are not this user's
    assert "Ada Admin" in page
    assert "Left Us" not in page  # a leaver is nobody to ask
