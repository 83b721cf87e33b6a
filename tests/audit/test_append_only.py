"""History rows are append-only, whatever asks: the ORM, or SQL on PostgreSQL."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts.roles import CLERK
from audit.chain import chained_models
from audit.models import HistoryIsAppendOnly
from contracts.models import Contract, Provider
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ContractFactory, ProviderFactory

pytestmark = pytest.mark.django_db


def on_postgresql(test):
    """The triggers are PostgreSQL's; on SQLite the hmac chain shows tampering instead."""
    test = pytest.mark.postgres(test)
    return pytest.mark.skipif(
        connection.vendor != "postgresql", reason="triggers are PostgreSQL-only"
    )(test)


def test_every_history_table_and_its_many_to_many_tables_is_chained():
    tables = {m._meta.db_table for m in chained_models()}
    assert "contracts_historicalcontract" in tables
    assert "contracts_historicalcontract_subcontractors" in tables
    assert "accounts_historicaluser" in tables
    assert "accounts_historicaluser_groups" in tables
    assert "auth_group" not in tables


def test_history_managers_refuse_update_and_delete():
    provider = ProviderFactory(name="Turning Point")
    with pytest.raises(HistoryIsAppendOnly):
        provider.history.update(history_change_reason="rewritten")
    with pytest.raises(HistoryIsAppendOnly):
        Provider.history.filter(id=provider.pk).delete()
    with pytest.raises(HistoryIsAppendOnly):
        Provider.history.model._base_manager.all().update(record_label="x")
    row = provider.history.get()
    row.record_label = "x"
    with pytest.raises(HistoryIsAppendOnly):
        row.save()
    with pytest.raises(HistoryIsAppendOnly):
        row.delete()
    m2m_history = Contract.history.model.subcontractors.model
    with pytest.raises(HistoryIsAppendOnly):
        m2m_history.objects.all().delete()
    assert provider.history.get().record_label == "Turning Point"


def _raw(sql: str):
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As if the test's rows were committed: no foreign-key checks left pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(sql)


@on_postgresql
@pytest.mark.parametrize("model", chained_models(), ids=lambda m: m._meta.db_table)
def test_every_history_table_has_the_triggers_and_refuses_truncate(model):
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [table],
        )
        names = {row[0] for row in cursor.fetchall()}
    assert any(n.startswith("pgtrigger_history_append_only_") for n in names), names
    assert any(n.startswith("pgtrigger_history_no_truncate_") for n in names), names
    with pytest.raises(DatabaseError, match="append-only"):
        _raw(f"TRUNCATE {connection.ops.quote_name(table)}")


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    ["UPDATE {table} SET history_hmac = ''", "DELETE FROM {table}", "TRUNCATE {table}"],
    ids=["update", "delete", "truncate"],
)
@pytest.mark.parametrize(
    "history_of",
    [
        lambda: Contract.history.model,
        lambda: Contract.history.model.subcontractors.model,
        lambda: get_user_model().history.model,
        lambda: get_user_model().history.model.groups.model,
        lambda: Group.history.model,
    ],
    ids=["contract", "contract subcontractors", "user", "user groups", "group"],
)
def test_sql_update_delete_and_truncate_are_refused(sql, history_of, roles):
    contract = ContractFactory()
    contract.subcontractors.add(ProviderFactory())
    UserFactory(role=CLERK)
    table = history_of()._meta.db_table
    assert history_of().objects.exists()
    with pytest.raises(DatabaseError, match="append-only|Cannot update or delete"):
        _raw(sql.format(table=connection.ops.quote_name(table)))
    assert history_of().objects.exclude(history_hmac="").exists()


@on_postgresql
def test_the_refusal_covers_rows_written_before_the_statement():
    provider = ProviderFactory(name="Humankind")
    table = Provider.history.model._meta.db_table
    with pytest.raises(DatabaseError):
        _raw(f"UPDATE {table} SET name = 'Forged' WHERE id = {provider.pk}")
    assert provider.history.get().name == "Humankind"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_can_write_history_and_still_be_flushed():
    """Its teardown TRUNCATEs every table; tests/conftest.py lifts the trigger for that."""
    ProviderFactory(name="Via")
    assert Provider.history.count() == 1
