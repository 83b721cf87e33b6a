"""The version check in the model (audit.versioning): one place, every path."""

import pytest
from django.contrib.auth import user_logged_in
from django.db import transaction
from django.test import RequestFactory

from audit.versioning import EditConflict
from contracts.forms import ProviderForm
from contracts.models import Provider
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ProviderFactory
from tests.decisions.factories import RecommendationFactory

pytestmark = pytest.mark.django_db


def test_each_save_gives_the_record_the_next_version():
    provider = ProviderFactory()
    assert provider.version == 1
    provider.address = "1 High Street"
    provider.save()
    provider.save()
    assert provider.version == 3
    assert Provider.objects.get(pk=provider.pk).version == 3


def test_a_copy_loaded_before_another_save_is_refused_and_writes_nothing():
    recommendation = RecommendationFactory(text="As loaded")
    mine = type(recommendation).objects.get(pk=recommendation.pk)
    theirs = type(recommendation).objects.get(pk=recommendation.pk)
    theirs.verb = "NOTE"
    theirs.save()
    history_rows = recommendation.history.count()

    mine.text = "Mine"
    # A refused save spoils its transaction, like any database error in save().
    with pytest.raises(EditConflict) as refused, transaction.atomic():
        mine.save()

    assert (refused.value.expected_version, refused.value.current_version) == (1, 2)
    recommendation.refresh_from_db()
    assert (recommendation.verb, recommendation.text) == ("NOTE", "As loaded")
    assert recommendation.history.count() == history_rows  # no history for a refusal


def test_a_copy_of_a_record_deleted_meanwhile_is_refused_not_recreated():
    provider = ProviderFactory()
    stale = Provider.objects.get(pk=provider.pk)
    provider.delete()
    with pytest.raises(EditConflict) as refused, transaction.atomic():
        stale.save()
    assert refused.value.deleted
    assert not Provider.objects.filter(pk=provider.pk).exists()


def test_a_form_is_checked_against_the_version_it_was_opened_with():
    provider = ProviderFactory(name="Forward Trust")
    opened = ProviderForm(instance=provider).fields["version"].initial
    provider.address = "Saved by someone else"
    provider.save()

    form = ProviderForm(
        {"name": "Forward Trust", "provider_type": "vcse", "version": str(opened)},
        instance=Provider.objects.get(pk=provider.pk),  # loaded now, at version 2
    )
    assert form.is_valid(), form.errors
    with pytest.raises(EditConflict), transaction.atomic():
        form.save()


def test_signing_in_does_not_change_a_users_version_but_editing_does():
    user = UserFactory()
    user_logged_in.send(sender=type(user), request=RequestFactory().get("/"), user=user)
    user.refresh_from_db()
    assert user.last_login is not None
    assert user.version == 1  # an admin's open form for this user is still good

    user.job_title = "Commissioning officer"
    user.save()
    assert user.version == 2


@pytest.mark.parametrize("tampered", ["abc", "0", "99999999999999999999"])
def test_a_tampered_version_is_a_form_error_not_a_server_error(tampered):
    provider = ProviderFactory(name="Forward Trust")
    form = ProviderForm(
        {"name": "Forward Trust", "provider_type": "vcse", "version": tampered}, instance=provider
    )
    assert not form.is_valid()
    assert "version" in form.errors
