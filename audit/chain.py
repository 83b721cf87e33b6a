"""A chained HMAC-SHA-256 on every history row: history anyone holding the key can verify.

Each history table (every simple-history ``Historical*`` model and its many-to-many
history tables) is one chain, in ``history_id`` order. A row's ``history_hmac`` is the
HMAC, keyed by ``settings.HISTORY_HMAC_KEY`` (from the environment, never stored in the
database), of a canonical serialisation of every stored column but the hmac itself,
including ``history_prev_hmac``: the previous row's hmac. A database superuser can
change, insert or remove rows, but cannot recompute the hmacs, so
``manage.py verify_history`` finds it (see ``verify``).

Order under concurrency: appending takes a per-table lock (on PostgreSQL a transaction
advisory lock), then allocates the row's id from the table's sequence, reads the last
row's hmac and inserts, all in one transaction, so ids rise in chain order. SQLite
serialises writers itself; the suite's SQLite runs are single-threaded.
"""

import datetime
import functools
import hashlib
import hmac
import json
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

HMAC_FIELD = "history_hmac"
PREV_FIELD = "history_prev_hmac"
# Namespace of our advisory locks, so they cannot collide with other users of them.
LOCK_NAMESPACE = 80_010


def _canonical_value(field: models.Field, value):
    """A column's value as it will read back from either database, as JSON."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return value
    value = field.to_python(value)
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return format(Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places)), "f")
    if isinstance(field, models.DateTimeField):
        if timezone.is_aware(value):
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bool, int, str)):
        return value
    return str(value)


@functools.cache
def _hashed_fields(model) -> tuple[models.Field, ...]:
    """The columns the hmac covers, worked out once per model (a migration's
    historical models are other classes, so they get their own)."""
    return tuple(f for f in model._meta.concrete_fields if f.attname != HMAC_FIELD)


# Columns added to a history table after its chain began, by table. Rows written before
# a column existed were hashed without it, and read back with it empty; so such a column
# is hashed only when it holds a value. That keeps every earlier row verifying, while a
# value written into an old row, or removed from a new one, still breaks its hmac. A
# nullable column added to an audited model after release goes here, in the same commit
# as its migration (tests/audit/test_verify_history.py checks the rule).
ADDED_COLUMNS: dict[str, frozenset[str]] = {
    # A "Varies" link names the modification it authorised (issue 14).
    "decisions_historicaldecisioncontractlink": frozenset({"modification_id"}),
}


def canonical(row: models.Model) -> bytes:
    """Every stored column of the row but its hmac, with the table's name, as bytes;
    a column in ``ADDED_COLUMNS`` only when it holds a value."""
    added = ADDED_COLUMNS.get(row._meta.db_table, frozenset())
    columns = {
        f.column: _canonical_value(f, getattr(row, f.attname))
        for f in _hashed_fields(type(row))
        if not (f.column in added and getattr(row, f.attname) is None)
    }
    document = {"table": row._meta.db_table, "columns": columns}
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def row_hmac(row: models.Model) -> str:
    key = settings.HISTORY_HMAC_KEY.encode()
    return hmac.new(key, canonical(row), hashlib.sha256).hexdigest()


def is_chained(model) -> bool:
    fields = {f.attname for f in model._meta.concrete_fields}
    return HMAC_FIELD in fields and PREV_FIELD in fields


def chained_models() -> list:
    """Every history table that carries the chain, in a stable order."""
    from django.apps import apps

    return sorted((m for m in apps.get_models() if is_chained(m)), key=lambda m: m._meta.db_table)


def _lock(model, using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))",
                [LOCK_NAMESPACE, model._meta.db_table],
            )


def _next_ids(model, using: str, count: int) -> list[int]:
    """Ids for new rows, taken under the chain's lock so they rise in chain order."""
    connection = connections[using]
    pk = model._meta.pk
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, count],
            )
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(pk.column)}) FROM {table}")
        last = cursor.fetchone()[0] or 0
        return list(range(last + 1, last + 1 + count))


def _last_hmac(model, using: str) -> str:
    last = (
        model._base_manager.using(using).order_by("-pk").values_list(HMAC_FIELD, flat=True).first()
    )
    return last or ""


def append(model, rows: list, insert, using: str | None = None):
    """Link ``rows`` onto the model's chain, then ``insert()`` them, under the lock.

    ``prepare`` hooks on the rows (``prepare_for_chain``) run first, so every column the
    hmac covers is final before it is computed.
    """
    using = using or router.db_for_write(model)
    with transaction.atomic(using=using):
        _lock(model, using)
        previous = _last_hmac(model, using)
        for row, pk in zip(rows, _next_ids(model, using, len(rows)), strict=True):
            prepare = getattr(row, "prepare_for_chain", None)
            if prepare is not None:
                prepare()
            row.pk = pk
            setattr(row, PREV_FIELD, previous)
            previous = row_hmac(row)
            setattr(row, HMAC_FIELD, previous)
        return insert()


@dataclass(frozen=True)
class Finding:
    table: str
    history_id: int | None
    problem: str

    def __str__(self) -> str:
        where = f"history_id {self.history_id}" if self.history_id is not None else "end"
        return f"{self.table} {where}: {self.problem}"


def verify(model, using: str | None = None) -> list[Finding]:
    """Walk one chain; name every row changed, inserted, or removed before it.

    A row whose hmac does not match its content was changed or forged. Which one is told
    by its successor: a successor that links to the bad row's stored hmac means the row's
    content was changed in place; one that links past it, to the last good row, means the
    bad row was inserted. A good row that links to neither its predecessor nor the last
    good row means rows were removed just before it. (Rows removed from the very end of
    a chain leave no trace in it; the next append links to the new last row.)
    """
    using = using or router.db_for_read(model)
    table = model._meta.db_table
    findings: list[Finding] = []
    last_good = ""  # hmac of the last row that verified
    previous_stored = ""  # stored hmac of the row just before
    pending_bad: list = []  # rows that failed, waiting for a successor to tell what they are

    def settle(bad_rows, next_prev: str | None) -> None:
        for bad in bad_rows:
            if next_prev is None:
                problem = "changed or inserted: its hmac does not verify"
            elif next_prev == last_good:
                problem = "inserted: its hmac does not verify and the chain skips it"
            else:
                problem = "changed: its content does not match its hmac"
            findings.append(Finding(table, bad.pk, problem))

    for row in model._base_manager.using(using).order_by("pk").iterator(chunk_size=2000):
        stored = getattr(row, HMAC_FIELD)
        linked_to = getattr(row, PREV_FIELD)
        if not stored or not hmac.compare_digest(row_hmac(row), stored):
            pending_bad.append(row)
            previous_stored = stored
            continue
        settle(pending_bad, linked_to)
        if linked_to not in (previous_stored, last_good):
            findings.append(
                Finding(table, row.pk, "removed: one or more rows just before it are missing")
            )
        pending_bad = []
        last_good = previous_stored = stored
    settle(pending_bad, None)
    return findings


def verify_all(using: str | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for model in chained_models():
        findings += verify(model, using=using)
    return findings


def seal_existing(apps, schema_editor, app_label: str) -> None:
    """Chain history rows written before the chain existed (a data migration's step).

    Runs before the append-only triggers are installed, with the migration's model
    states: fills each row's user name and links every row onto its table's chain.
    """
    for model in apps.get_app_config(app_label).get_models():
        if not is_chained(model):
            continue
        has_user = "history_user_name" in {f.attname for f in model._meta.concrete_fields}
        previous = ""
        rows = model._base_manager.using(schema_editor.connection.alias).order_by("pk")
        for row in rows.iterator(chunk_size=2000):
            values = {}
            if has_user and row.history_user_id and not row.history_user_name:
                user = row.history_user
                name = f"{user.first_name} {user.last_name}".strip() or user.username
                row.history_user_name = values["history_user_name"] = name
            setattr(row, PREV_FIELD, previous)
            previous = row_hmac(row)
            values.update({PREV_FIELD: getattr(row, PREV_FIELD), HMAC_FIELD: previous})
            model._base_manager.using(schema_editor.connection.alias).filter(pk=row.pk).update(
                **values
            )
