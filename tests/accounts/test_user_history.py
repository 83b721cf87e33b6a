"""Users, their roles and their clearance have history; users who made changes are kept.

A leaver is deactivated, never deleted, so history keeps who did what; and each history
row keeps the name it was written with, so it would read the same without the account.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User, UserHasHistory
from accounts.roles import AUDITOR, CLERK, COMMISSIONER
from audit.history import history_rows
from contracts.models import Provider
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ProviderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(roles):
    user = UserFactory(username="leaver", first_name="Lee", last_name="Vern", role=COMMISSIONER)
    provider = ProviderFactory.build(name="Aquarius")
    provider._history_user = user
    provider.save()
    return user


def test_a_user_with_history_cannot_be_deleted_by_any_path(leaver):
    with pytest.raises(UserHasHistory):
        leaver.delete()
    with pytest.raises(UserHasHistory):
        User.objects.filter(pk=leaver.pk).delete()
    with pytest.raises(UserHasHistory):
        User.objects.all().delete()
    assert User.objects.filter(pk=leaver.pk).exists()


def test_a_user_without_history_can_still_be_deleted(roles):
    mistake = UserFactory(username="typo")
    mistake.delete()
    assert not User.objects.filter(username="typo").exists()


def test_the_admin_deactivates_users_instead_of_deleting_them(admin_client, leaver):
    changelist = reverse("admin:accounts_user_changelist")
    page = admin_client.get(changelist)
    assert b'value="deactivate"' in page.content
    assert b'value="delete_selected"' not in page.content
    delete_page = admin_client.get(reverse("admin:accounts_user_delete", args=[leaver.pk]))
    assert delete_page.status_code == 403
    response = admin_client.post(
        changelist, {"action": "deactivate", "_selected_action": [leaver.pk]}
    )
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert leaver.is_active is False
    entry = leaver.history.latest()
    assert entry.changes["active"] == ["Yes", "No"]


def test_each_change_keeps_the_name_of_who_made_it(leaver, auditor):
    entry = Provider.history.get()
    assert entry.history_user_name == "Lee Vern"
    assert history_rows(Provider.history.all(), auditor)[0].who == "Lee Vern"


def test_the_name_is_read_from_the_history_row_not_the_account(leaver, auditor_client):
    # Renaming the account later does not rewrite who made the change then.
    leaver.first_name = "Renamed"
    leaver.save()
    provider = Provider.objects.get()
    page = auditor_client.get(reverse("contracts:provider_detail", args=[provider.pk]))
    assert b"Lee Vern" in page.content
    feed = auditor_client.get(reverse("audit:changes"))
    assert b"Lee Vern" in feed.content


def test_clearance_and_role_changes_are_recorded_without_password_or_sign_in(roles, admin_user):
    officer = UserFactory(username="officer", role=AUDITOR)
    officer._history_user = admin_user
    officer.cleared_for_exempt = True
    officer.set_password("a-new-password-for-the-officer")
    officer.save()
    latest = officer.history.latest()
    assert latest.changes == {"cleared for exempt information": ["No", "Yes"]}
    assert latest.history_user_name == admin_user.username
    fields = {f.name for f in User.history.model._meta.fields}
    assert "password" not in fields and "last_login" not in fields

    officer.groups.set([Group.objects.get(name=CLERK)])  # a removal, then an addition
    removal, addition = officer.history.order_by("-history_id")[:2][::-1]
    assert removal.changes == {"groups": [AUDITOR, None]}
    assert addition.changes == {"groups": [None, CLERK]}
    assert [g.group.name for g in addition.groups.all()] == [CLERK]


def test_a_group_rename_is_recorded(roles):
    group = Group.objects.get(name=AUDITOR)
    group.name = "Internal audit"
    group.save()
    assert group.history.latest().changes == {"name": [AUDITOR, "Internal audit"]}


def test_user_history_is_in_the_changes_feed_for_those_who_may_view_users(admin_client, roles):
    UserFactory(username="newstarter", first_name="New", last_name="Starter")
    feed = admin_client.get(reverse("audit:changes"), {"record_type": "accounts.user"})
    assert feed.status_code == 200
    assert b"New Starter" in feed.content or b"newstarter" in feed.content
