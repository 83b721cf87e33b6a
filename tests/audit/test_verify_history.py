"""verify_history names every history row changed, inserted or removed behind our back.

The tampering is done as a database superuser would: raw SQL, with the append-only
trigger lifted on PostgreSQL (pgtrigger.ignore). SQLite has no triggers; the chain and
the command work the same there.
"""

from io import StringIO

import pgtrigger
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from audit.chain import verify
from contracts.models import Contract, Provider
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ContractFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def verify_history() -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("verify_history", stdout=out, stderr=StringIO())
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def tamper(sql: str, params=()):
    """Raw SQL as a database superuser, past the triggers."""
    with pgtrigger.ignore(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def provider_history():
    return Provider.history.model


def test_history_written_by_every_path_verifies(commissioner_client, commissioner):
    provider = ProviderFactory(name="Aquarius")
    provider.name = "Aquarius Action Projects"
    provider._history_user = commissioner
    provider.save()
    contract = ContractFactory(provider=provider)
    contract.subcontractors.add(ProviderFactory(name="Humankind"))
    contract.delete()
    UserFactory(username="newcomer")
    code, out = verify_history()
    assert code == 0, out
    assert "History intact" in out


def test_a_changed_a_removed_and_a_forged_row_are_each_named_and_the_command_fails():
    for name in ("One", "Two", "Three", "Four", "Five"):
        ProviderFactory(name=name)
    model = provider_history()
    table = model._meta.db_table
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    changed, removed, after_removed = ids[1], ids[3], ids[4]

    tamper(f"UPDATE {table} SET name = 'Forged name' WHERE history_id = %s", [changed])
    tamper(f"DELETE FROM {table} WHERE history_id = %s", [removed])
    forged_id = max(ids) + 1
    forge_copy(model, of_id=ids[0], new_id=forged_id)

    code, out = verify_history()
    assert code == 1
    assert f"{table} history_id {changed}: changed" in out
    assert f"{table} history_id {after_removed}: removed" in out
    assert f"{table} history_id {forged_id}: changed or inserted" in out
    assert len(out.strip().splitlines()) == 3, out


def forge_copy(model, of_id: int, new_id: int):
    """Insert a copy of a row under a new id, with its name changed."""
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields]
    select = ", ".join(
        "%s" if c == "history_id" else "'Forged record'" if c == "name" else c for c in columns
    )
    tamper(
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {select} FROM {table} WHERE history_id = %s",
        [new_id, of_id],
    )


def test_a_row_inserted_inside_the_chain_is_named_as_inserted(monkeypatch):
    from audit import chain

    # Ids ten apart, so that there is room for a forged row between two real ones.
    allocated = iter(range(10, 1000, 10))
    monkeypatch.setattr(chain, "_next_ids", lambda model, using, n: [next(allocated)] * n)
    for name in ("One", "Two", "Three"):
        ProviderFactory(name=name)
    model = provider_history()
    forge_copy(model, of_id=10, new_id=15)
    findings = verify(model)
    assert [(f.history_id, f.problem.split(":")[0]) for f in findings] == [(15, "inserted")]


def test_changing_a_many_to_many_history_row_is_found():
    contract = ContractFactory()
    contract.subcontractors.add(ProviderFactory(name="Via"), ProviderFactory(name="WDP"))
    other = ProviderFactory(name="Forward Trust")
    m2m = Contract.history.model.subcontractors.model
    row = m2m.objects.order_by("pk").first()
    tamper(
        f"UPDATE {m2m._meta.db_table} SET provider_id = %s WHERE m2m_history_id = %s",
        [other.pk, row.pk],
    )
    code, out = verify_history()
    assert code == 1
    assert f"{m2m._meta.db_table} history_id {row.pk}: changed" in out


def test_a_different_key_fails_every_row(settings):
    ProviderFactory(name="One")
    settings.HISTORY_HMAC_KEY = "another-key-another-key-another-key"
    code, out = verify_history()
    assert code == 1
    assert "changed" in out


def test_the_demo_data_verifies():
    call_command("load_demo", "--force", verbosity=0)
    # The second run changes nothing it should not.
    call_command("load_demo", "--force", verbosity=0)
    code, out = verify_history()
    assert code == 0, out
    assert Provider.history.exists()


def test_a_column_added_after_release_keeps_earlier_rows_verifying_and_still_seals_values():
    """audit.chain.ADDED_COLUMNS: a "Varies" link's modification column came after the
    link's history began. A row written without it verifies; a value forged into it,
    or removed from a row that had one, is found."""
    from audit.chain import ADDED_COLUMNS, canonical
    from decisions.models import DecisionContractLink
    from tests.decisions.factories import DecisionFactory

    contract = ContractFactory()
    modification = contract.modifications.create(
        sequence=1,
        kind="value",
        description="More places",
        effective_date=contract.start_date,
        lifetime_value_change=1000,
        ground="authority",
    )
    old = DecisionContractLink.objects.create(
        decision=DecisionFactory(), contract=contract, kind="award"
    )
    new = DecisionContractLink.objects.create(
        decision=DecisionFactory(), contract=contract, kind="vary", modification=modification
    )
    model = DecisionContractLink.history.model
    table = model._meta.db_table
    assert "modification_id" in ADDED_COLUMNS[table]
    old_row = model.objects.get(id=old.pk)
    assert b"modification_id" not in canonical(old_row)
    assert b"modification_id" in canonical(model.objects.get(id=new.pk))
    assert verify(model) == []

    tamper(
        f"UPDATE {table} SET modification_id = %s WHERE history_id = %s",
        [modification.pk, old_row.history_id],
    )
    tamper(
        f"UPDATE {table} SET modification_id = NULL WHERE id = %s",
        [new.pk],
    )
    found = {finding.history_id for finding in verify(model)}
    assert old_row.history_id in found
    assert model.objects.get(id=new.pk).history_id in found
