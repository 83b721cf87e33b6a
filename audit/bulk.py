"""The one bulk path for audited models: fast writes with the history a save would write.

The audited managers refuse ``bulk_create``/``bulk_update`` because Django's versions
send no signals, so simple-history would record nothing. These do the bulk write and
then write each object's history row exactly as a single save would (the same
``changes``, reason, user and user name, and linked onto the chain), in one
transaction. An update also does what a save of a versioned model does: it checks that
nobody saved the rows since they were loaded (``EditConflict``), bumps their versions
and sets ``auto_now`` fields.

The queries do not grow with the rows: the previous versions, the related records
that the changes name, and the many-to-many rows are read once per batch, not per
object. Imports use these (ui/imports.py).

Derived data that a model's save() keeps up to date (a contract's stored figures, see
contracts.models) would miss a bulk write, so after each one :data:`bulk_written` is
sent, inside the same transaction, for the owners of such data to catch up.
"""

from collections import defaultdict

from django.db import connections, models, router, transaction
from django.db.models import OuterRef, Subquery
from django.dispatch import Signal
from django.utils import timezone
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from audit.versioning import EditConflict, is_versioned

# Sent after a bulk write, in its transaction: sender is the model, objs the objects
# written (with their primary keys), fields the fields updated (None for a create).
bulk_written = Signal()


def _history_model(model):
    manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
    if manager_name is None:
        raise TypeError(f"{model.__name__} has no history.")
    return getattr(model, manager_name).model


def _cache_relations(rows, model, names) -> None:
    """Load the related records of the foreign keys ``names`` of ``rows`` in one query
    per key, so that reading them (for the changes' labels) runs no query per row."""
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.name not in names:
            continue
        wanted = {
            getattr(row, field.attname)
            for row in rows
            if getattr(row, field.attname) is not None and not field.is_cached(row)
        }
        if not wanted:
            continue
        found = field.related_model._base_manager.in_bulk(wanted)
        for row in rows:
            target = found.get(getattr(row, field.attname))
            if target is not None and not field.is_cached(row):
                field.set_cached_value(row, target)


def _previous_versions(history_model, objs) -> dict:
    """Each object's latest history row before this write, in one query (the row
    audit.recording.previous_version would find for each)."""
    pk_name = history_model.instance_type._meta.pk.attname
    latest = (
        history_model.objects.filter(**{pk_name: OuterRef(pk_name)})
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    rows = list(
        history_model.objects.filter(
            **{f"{pk_name}__in": [obj.pk for obj in objs]}, history_id=Subquery(latest)
        )
    )
    return {getattr(row, pk_name): row for row in rows}


def _m2m_state(history_model, objs, previous: dict) -> dict:
    """For each tracked many-to-many field: each object's current through rows and the
    rows its previous version copied, each read once for the batch."""
    state = {}
    for field in history_model._history_m2m_fields:
        through = field.remote_field.through
        target = field.m2m_reverse_field_name()
        current = defaultdict(list)
        rows = through.objects.filter(
            **{f"{field.m2m_field_name()}__in": [obj.pk for obj in objs]}
        ).select_related(target)
        for row in rows:
            current[getattr(row, f"{field.m2m_field_name()}_id")].append(row)
        old = defaultdict(list)
        m2m_history = getattr(history_model, field.name).model
        if previous:
            rows = m2m_history.objects.filter(
                history__in=[p.pk for p in previous.values()]
            ).select_related(target)
            for row in rows:
                old[row.history_id].append(row)
        state[field] = (current, old)
    return state


def _record(model, objs, history_type: str, *, reason: str, user) -> list:
    history_model = _history_model(model)
    tracked = {f.name for f in history_model.tracked_fields}
    _cache_relations(objs, model, tracked)
    previous = _previous_versions(history_model, objs) if history_type == "~" else {}
    _cache_relations(list(previous.values()), history_model, tracked)
    m2m = _m2m_state(history_model, objs, previous)
    now = timezone.now()
    rows = []
    for obj in objs:
        row = history_model(
            history_date=getattr(obj, "_history_date", now),
            history_type=history_type,
            history_user=user,
            history_change_reason=reason,
            **{f.attname: getattr(obj, f.attname) for f in history_model.tracked_fields},
        )
        before = previous.get(obj.pk)
        row._bulk_previous = before
        row._bulk_m2m_rows = {
            field.name: (old.get(before.pk, []) if before else [], current.get(obj.pk, []))
            for field, (current, old) in m2m.items()
        }
        pre_create_historical_record.send(
            sender=history_model,
            instance=obj,
            history_date=row.history_date,
            history_user=user,
            history_change_reason=reason,
            history_instance=row,
            using=None,
        )
        rows.append(row)
    history_model.objects.bulk_create(rows)
    # Copy the related rows of each tracked many-to-many field, as simple-history does.
    for field, (current, _old) in m2m.items():
        m2m_history = getattr(history_model, field.name).model
        names = [f.name for f in field.remote_field.through._meta.fields]
        copies = [
            m2m_history(history=row, **{n: getattr(through_row, n) for n in names})
            for obj, row in zip(objs, rows, strict=True)
            for through_row in current.get(obj.pk, [])
        ]
        if copies:
            m2m_history.objects.bulk_create(copies)
    for obj, row in zip(objs, rows, strict=True):
        post_create_historical_record.send(
            sender=history_model,
            instance=obj,
            history_instance=row,
            history_date=row.history_date,
            history_user=user,
            history_change_reason=reason,
            using=None,
        )
    return rows


def _next_ids(model, connection, count: int) -> list[int]:
    """Ids from the table's sequence, as an INSERT without them would take."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(model._meta.db_table), model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def copy_rows(connection, model, columns: list[str], rows) -> None:
    """COPY ``rows`` (values ready for the database, in the order of ``columns``) into
    the model's table on PostgreSQL; a failure raises Django's database errors, as an
    INSERT's would (IntegrityError for a duplicate)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    statement = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def copy_insert(model, objs: list, using: str) -> bool:
    """Insert ``objs`` with COPY on PostgreSQL, as ``bulk_create`` would: the same
    values (each field's ``pre_save`` and ``get_db_prep_save``), ids from the table's
    sequence for objects without one, and the objects marked saved. False, having
    written nothing, where it cannot: another database, some objects with ids and some
    without, an id that is not a sequence's, a value that is an expression, or a
    column the database fills in (generated, or read back on insert).

    Imports write tens of thousands of rows (and as many history rows), and building a
    bound parameter for each cell of an INSERT is most of their cost.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    pk = model._meta.pk
    without_id = sum(obj.pk is None for obj in objs)
    if without_id and (without_id != len(objs) or not isinstance(pk, models.AutoField)):
        return False
    fields = list(model._meta.concrete_fields)
    if any(f.generated or (f.db_returning and f is not pk) for f in fields):
        return False  # values only an INSERT ... RETURNING would give back
    if without_id:
        fields.remove(pk)
    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        row = []
        for field in fields:
            value = field.pre_save(obj, add=True)
            if hasattr(value, "resolve_expression"):
                return False
            row.append(field.get_db_prep_save(value, connection))
        rows.append(row)
    if without_id:
        ids = _next_ids(model, connection, len(objs))
        for obj, row, pk_value in zip(objs, rows, ids, strict=True):
            obj.pk = pk_value
            row.append(pk_value)
        fields.append(pk)
    copy_rows(connection, model, [field.column for field in fields], rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = using
    return True


def bulk_create_with_history(objs, *, reason: str = "", user=None, batch_size=None) -> list:
    """Insert audited objects in bulk, each with its "Created" history row."""
    objs = list(objs)
    if not objs:
        return objs
    model = type(objs[0])
    with transaction.atomic():
        if copy_insert(model, objs, router.db_for_write(model)):
            created = objs
        else:
            created = models.QuerySet(model).bulk_create(objs, batch_size=batch_size)
        _record(model, created, "+", reason=reason, user=user)
        bulk_written.send(sender=model, objs=created, fields=None)
    return created


def _check_and_bump_versions(model, objs, fields: list[str]) -> list[str]:
    """What a save of each object would do first: refuse it if the row changed since it
    was loaded (locking the rows, so nothing changes them before the write), then count
    the new version and set ``auto_now`` fields. The fields to write, with those."""
    current = dict(
        models.QuerySet(model)
        .select_for_update()
        .filter(pk__in=[obj.pk for obj in objs])
        .values_list("pk", "version")
    )
    for obj in objs:
        if current.get(obj.pk) != obj.version:
            raise EditConflict(
                obj, expected_version=obj.version, current_version=current.get(obj.pk)
            )
    for obj in objs:
        obj.version += 1
    fields = [*fields, "version"]
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False):
            for obj in objs:
                field.pre_save(obj, add=False)
            fields.append(field.name)
    return list(dict.fromkeys(fields))


def bulk_update_with_history(objs, fields, *, reason: str = "", user=None, batch_size=None) -> int:
    """Update audited objects in bulk, each with its "Changed" history row."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    with transaction.atomic():
        if is_versioned(model):
            fields = _check_and_bump_versions(model, objs, list(fields))
        updated = models.QuerySet(model).bulk_update(objs, fields, batch_size=batch_size)
        _record(model, objs, "~", reason=reason, user=user)
        bulk_written.send(sender=model, objs=objs, fields=list(fields))
    return updated
