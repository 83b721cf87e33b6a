"""Writes that would change records without history are refused, on every path."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from audit.bulk import bulk_create_with_history, bulk_update_with_history
from audit.chain import verify
from audit.models import BulkWriteForbidden
from contracts.models import Contract, Provider
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ContractFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def test_the_base_manager_refuses_bulk_writes():
    provider = ProviderFactory(name="Aquarius")
    with pytest.raises(BulkWriteForbidden):
        Provider._base_manager.filter(pk=provider.pk).update(name="Renamed quietly")
    with pytest.raises(BulkWriteForbidden):
        Provider._base_manager.bulk_create([Provider(name="Unrecorded")])
    provider.refresh_from_db()  # the base manager still reads
    assert provider.name == "Aquarius"


@pytest.mark.parametrize(
    "write",
    [
        lambda c, p: Contract.subcontractors.through.objects.bulk_create(
            [Contract.subcontractors.through(contract=c, provider=p)]
        ),
        lambda c, p: Contract.subcontractors.through._base_manager.bulk_create(
            [Contract.subcontractors.through(contract=c, provider=p)]
        ),
        lambda c, p: Contract.subcontractors.through.objects.filter(contract=c).delete(),
        lambda c, p: Contract.subcontractors.through.objects.filter(contract=c).update(provider=p),
    ],
    ids=["bulk_create", "base manager bulk_create", "delete", "update"],
)
def test_writing_a_through_table_directly_is_refused(write):
    contract = ContractFactory()
    contract.subcontractors.add(ProviderFactory(name="Via"))
    with pytest.raises(BulkWriteForbidden):
        write(contract, ProviderFactory(name="WDP"))
    assert [p.name for p in contract.subcontractors.all()] == ["Via"]


def test_the_related_managers_still_change_many_to_many_fields_with_history(roles):
    contract = ContractFactory()
    via, wdp = ProviderFactory(name="Via"), ProviderFactory(name="WDP")
    contract.subcontractors.add(via, wdp)
    contract.subcontractors.remove(via)
    contract.subcontractors.set([via])
    contract.subcontractors.clear()
    changes = [h.changes.get("subcontractors") for h in contract.history.order_by("history_id")]
    assert changes[1:] == [
        [None, "Via; WDP"],
        ["Via; WDP", "WDP"],
        ["WDP", None],
        [None, "Via"],
        ["Via", None],
    ]
    user = UserFactory(username="member")
    user.groups.add(Group.objects.get(name="Auditor"))
    with pytest.raises(BulkWriteForbidden):
        User.groups.through.objects.filter(user=user).delete()


def test_the_bulk_path_writes_the_history_a_save_would(roles, commissioner):
    def one_by_one(names):
        for name in names:
            provider = Provider(name=name, postcode="B1 1AA")
            provider._history_user = commissioner
            provider._change_reason = "Imported"
            provider.save()

    one_by_one(["Saved One", "Saved Two"])
    bulk_create_with_history(
        [Provider(name=n, postcode="B1 1AA") for n in ["Bulk One", "Bulk Two"]],
        reason="Imported",
        user=commissioner,
    )

    def content(row):
        changes = {k: v for k, v in row.changes.items() if k != "name"}
        return (
            row.history_type,
            changes,
            row.history_change_reason,
            row.history_user_name,
            row.history_user_id,
        )

    saved = [content(r) for r in Provider.history.filter(name__startswith="Saved")]
    bulk = [content(r) for r in Provider.history.filter(name__startswith="Bulk")]
    assert bulk == saved
    assert Provider.history.get(name="Bulk One").changes["name"] == [None, "Bulk One"]
    assert saved[0][3] == commissioner.get_full_name()

    providers = list(Provider.objects.filter(name__startswith="Bulk"))
    for p in providers:
        p.postcode = "M1 1AA"
    bulk_update_with_history(providers, ["postcode"], reason="Moved", user=commissioner)
    single = Provider.objects.get(name="Saved One")
    single.postcode = "M1 1AA"
    single._history_user, single._change_reason = commissioner, "Moved"
    single.save()
    updates = {
        (r.history_type, str(r.changes), r.history_change_reason, r.history_user_name)
        for r in Provider.history.filter(history_type="~")
    }
    assert updates == {
        ("~", str({"postcode": ["B1 1AA", "M1 1AA"]}), "Moved", "Test " + commissioner.last_name)
    }
    assert Provider.history.filter(history_type="~").count() == 3
    assert verify(Provider.history.model) == []


def test_the_bulk_path_copies_many_to_many_rows_as_a_save_does():
    contract = ContractFactory()
    contract.subcontractors.add(ProviderFactory(name="Via"))
    contract.title = "Renamed in bulk"
    bulk_update_with_history([contract], ["title"], reason="Tidy")
    latest = contract.history.latest()
    assert latest.changes == {"title": [latest.changes["title"][0], "Renamed in bulk"]}
    assert [r.provider.name for r in latest.subcontractors.all()] == ["Via"]
    assert verify(Contract.history.model.subcontractors.model) == []


def test_history_cannot_be_skipped_on_save():
    provider = ProviderFactory(name="Aquarius")
    with pytest.raises(BulkWriteForbidden):
        provider.save_without_historical_record()
    provider.skip_history_when_saving = True
    provider.name = "Renamed"
    provider.save()
    assert provider.history.latest().changes == {"name": ["Aquarius", "Renamed"]}
