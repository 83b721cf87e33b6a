from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import BulkWriteForbidden
from contracts.models import Provider
from tests.contracts.factories import ContractFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_editing_a_provider_records_old_and_new_values_and_the_editor(
    commissioner_client, commissioner
):
    provider = ProviderFactory(name="Aquarius", postcode="B1 1AA")
    response = commissioner_client.post(
        reverse("contracts:provider_edit", args=[provider.pk]),
        {
            "name": "Aquarius Action Projects",
            "provider_type": "vcse",
            "postcode": "b1 1aa",
            "reason": "Registered name",
        },
    )
    assert response.status_code == 302
    entry = provider.history.latest()
    assert entry.history_user == commissioner
    assert entry.history_change_reason == "Registered name"
    assert entry.changes["name"] == ["Aquarius", "Aquarius Action Projects"]
    assert "postcode" not in entry.changes  # normalised to the same value


def test_the_auditor_sees_the_change_on_the_record_page_and_in_the_feed(
    commissioner_client, auditor_client
):
    provider = ProviderFactory(name="Aquarius")
    commissioner_client.post(
        reverse("contracts:provider_edit", args=[provider.pk]),
        {"name": "Aquarius Action Projects", "provider_type": "vcse"},
    )
    page = auditor_client.get(reverse("contracts:provider_detail", args=[provider.pk]))
    assert b"Aquarius \xe2\x86\x92 Aquarius Action Projects" in page.content
    feed = auditor_client.get(reverse("home"))
    assert b"Recent changes" in feed.content
    assert b"Aquarius \xe2\x86\x92 Aquarius Action Projects" in feed.content


def test_history_is_recorded_outside_requests_too():
    provider = ProviderFactory(name="Change Grow Live")
    provider.postcode = "SE1 7TP"
    provider.save()
    provider_id = provider.id
    provider.delete()
    actions = list(Provider.history.filter(id=provider_id).values_list("history_type", flat=True))
    assert sorted(actions) == ["+", "-", "~"]


@pytest.mark.parametrize(
    "bulk_write",
    [
        lambda: Provider.objects.all().update(postcode="X"),
        lambda: Provider.objects.bulk_create([Provider(name="Bulk")]),
        lambda: Provider.objects.bulk_update(list(Provider.objects.all()), ["postcode"]),
    ],
)
def test_bulk_writes_that_would_skip_history_are_impossible(bulk_write):
    ProviderFactory()
    with pytest.raises(BulkWriteForbidden):
        bulk_write()


def test_the_feed_filters_by_record_type_and_action(auditor_client):
    provider = ProviderFactory(name="Forward Trust")
    provider.postcode = "SW1"
    provider.save()
    response = auditor_client.get(
        reverse("audit:changes"), {"record_type": "contracts.provider", "action": "~"}
    )
    rows = response.context["table"].rows
    assert len(rows) == 1
    assert rows[0].record["label_now"] == "Forward Trust"


def test_the_feed_filters_by_date_range(auditor_client):
    ProviderFactory(name="Today Ltd")
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = auditor_client.get(reverse("audit:changes"), {"date_from": tomorrow})
    assert len(response.context["table"].rows) == 0
    assert b"No changes match these filters." in response.content


def test_the_feed_exports_csv_with_old_and_new_values(auditor_client):
    provider = ProviderFactory(name="Old name")
    provider.name = "New name"
    provider.save()
    response = auditor_client.get(reverse("audit:changes"), {"_export": "csv"})
    body = response.getvalue().decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "name: Old name -> New name" in body


def test_a_record_can_be_seen_as_it_stood_on_an_earlier_date(auditor_client):
    # History rows are append-only: the first version is written ten days back.
    provider = ProviderFactory.build(name="Before")
    provider._history_date = timezone.now() - timedelta(days=10)
    provider.save()
    del provider._history_date
    provider.name = "After"
    provider.save()
    earlier = (timezone.localdate() - timedelta(days=5)).isoformat()
    response = auditor_client.get(
        reverse("audit:record", args=["contracts.provider", provider.pk]), {"as_of": earlier}
    )
    rows = dict(response.context["as_of_rows"])
    assert rows["Name"] == "Before"


def test_history_cannot_be_changed_through_the_admin(admin_client):
    # Historical models are not registered, so there is no add/change URL for them.
    from django.contrib import admin

    registered = {m.__name__ for m in admin.site._registry}
    assert not any(name.startswith("Historical") for name in registered)


def test_the_feed_shows_nothing_to_a_user_without_a_role(outsider_client):
    ProviderFactory(name="Secretive Ltd")
    response = outsider_client.get(reverse("audit:changes"))
    assert response.status_code == 200
    assert b"Secretive Ltd" not in response.content
    assert len(response.context["table"].rows) == 0


def test_a_past_version_cannot_be_restored_through_the_admin(admin_client):
    provider = ProviderFactory(name="First")
    provider.name = "Second"
    provider.save()
    first = provider.history.earliest()
    url = reverse("admin:contracts_provider_simple_history", args=[provider.pk, first.history_id])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"name": "First", "provider_type": "vcse"})
    assert response.status_code == 403
    provider.refresh_from_db()
    assert provider.name == "Second"


def test_the_feed_counts_a_new_records_fields_and_names_changes_made_without_a_user(
    auditor_client,
):
    provider = ProviderFactory(name="Change Grow Live")
    fields_set = len(provider.history.earliest().changes)
    response = auditor_client.get(reverse("audit:changes"), {"record_type": "contracts.provider"})
    body = response.content.decode()
    assert f"{fields_set} fields set (see the record's history)" in body
    assert "blank → Change Grow Live" not in body
    assert "System (no signed-in user)" in body


def test_an_unreadable_as_of_date_is_reshown_with_an_error(auditor_client):
    provider = ProviderFactory()
    response = auditor_client.get(
        reverse("audit:record", args=["contracts.provider", provider.pk]), {"as_of": "31/02/2025"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in body
    assert '<a href="#id_as_of">Enter a real date, for example 2025-02-01.</a>' in body
    assert response.context["as_of_rows"] is None


def test_a_many_to_many_change_records_the_old_and_new_related_records():
    contract = ContractFactory()
    contract.subcontractors.add(ProviderFactory(name="Open Road"))
    contract.subcontractors.add(ProviderFactory(name="Change Grow Live"))
    contract.subcontractors.remove(Provider.objects.get(name="Open Road"))
    changes = [h.changes for h in contract.history.order_by("history_date", "history_id")]
    label = str(contract._meta.get_field("subcontractors").verbose_name)
    assert [c.get(label) for c in changes] == [
        None,
        [None, "Open Road"],
        ["Open Road", "Change Grow Live; Open Road"],
        ["Change Grow Live; Open Road", "Change Grow Live"],
    ]


def test_the_feed_filters_by_who_made_the_change_typed_by_name(auditor_client, client):
    from accounts.roles import COMMISSIONER
    from tests.accounts.factories import UserFactory

    editor = UserFactory(username="pshah", first_name="Priya", last_name="Shah", role=COMMISSIONER)
    client.force_login(editor)
    provider = ProviderFactory(name="Change Grow Live")
    client.post(
        reverse("contracts:provider_edit", args=[provider.pk]),
        {"name": "Change Grow Live", "provider_type": provider.provider_type, "postcode": "N1"},
    )
    # Typed, not listed: a council has hundreds of users (ui/lookup.py).
    response = auditor_client.get(reverse("audit:changes"), {"user": "priya shah"})
    rows = response.context["table"].rows
    assert [r.record["label_now"] for r in rows] == ["Change Grow Live"]
