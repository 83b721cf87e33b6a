"""No lost updates: every edited record carries a version, checked on every save.

The race: two people open version n of a record, and both save. Without a check the
second save writes back every field as it was when that person opened the form, so
the first person's change vanishes although their page said "updated". So every
save of an existing row is a conditional UPDATE::

    UPDATE ... SET ..., version = n + 1 WHERE id = %s AND version = n

where n is the version the object was loaded with, or the version the user's form
was opened with (forms set ``instance.version`` to the submitted hidden field). The
check and the write are one statement, so it holds under any concurrency without a
lock. When no row matches, someone else saved (or deleted) the record in between
and the save raises :class:`EditConflict`; nothing is written.

This is the one place the rule lives. Forms, the admin, imports, commands and
services all save through ``Model.save()``, so all of them are checked.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.db import IntegrityError, models, router, transaction


@dataclass(frozen=True)
class Change:
    """One thing another user changed while this user was editing: theirs → yours."""

    label: str
    theirs: str
    yours: str


class EditConflict(Exception):
    """The record was saved (or deleted) by someone else after this copy was loaded.

    ``current_version`` is None when the record no longer exists. ``changes`` is
    filled in by whoever knows what the user submitted (see :func:`changes_since`).
    """

    def __init__(self, record, *, expected_version: int, current_version: int | None):
        self.record = record
        self.model = type(record)
        self.expected_version = expected_version
        self.current_version = current_version
        self.changes: list[Change] = []
        name = self.model._meta.verbose_name
        if current_version is None:
            message = f"The {name} was deleted by someone else."
        else:
            message = (
                f"The {name} was saved by someone else meanwhile (you opened version "
                f"{expected_version}; it is now version {current_version})."
            )
        super().__init__(message)

    @property
    def deleted(self) -> bool:
        return self.current_version is None

    @property
    def noun(self) -> str:
        return str(self.model._meta.verbose_name)


class VersionedModel(models.Model):
    """A model whose saves are refused when the row changed since it was loaded."""

    version = models.PositiveIntegerField(default=1, editable=False)

    # Bookkeeping fields a save may write alone without counting as an edit
    # (a user's last_login is written on every sign-in).
    unversioned_fields: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def _do_update(self, base_qs, using, pk_val, values, update_fields, forced_update):
        version_field = self._meta.get_field("version")
        holds_version = version_field in base_qs.model._meta.local_concrete_fields
        bookkeeping = update_fields is not None and set(update_fields) <= self.unversioned_fields
        if self._state.adding or bookkeeping or not holds_version:
            return super()._do_update(base_qs, using, pk_val, values, update_fields, forced_update)
        expected = self.version
        values = [v for v in values if v[0] is not version_field]
        values.append((version_field, None, expected + 1))
        if super()._do_update(
            base_qs.filter(version=expected), using, pk_val, values, update_fields, forced_update
        ):
            self.version = expected + 1
            return True
        current = base_qs.filter(pk=pk_val).values_list("version", flat=True).first()
        raise EditConflict(self, expected_version=expected, current_version=current)

    def delete(self, using=None, keep_parents=False):
        """Delete the row only if it is still the version this copy was loaded (or its
        delete page opened) with; else EditConflict, and nothing is deleted.

        The race: A opens the delete page, B corrects the record, A confirms. Without
        this, B's correction is deleted unseen. The row is locked from the check to the
        delete, so no save can slip in between."""
        using = using or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            current = (
                type(self)
                ._base_manager.using(using)
                .select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current != self.version:
                raise EditConflict(self, expected_version=self.version, current_version=current)
            return super().delete(using=using, keep_parents=keep_parents)


def is_unique_race(error: IntegrityError) -> bool:
    """Whether ``error`` is a unique constraint refusing a value that another request
    saved after this one checked it was free (PostgreSQL's 23505, SQLite's message)."""
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) == "23505" or "UNIQUE constraint failed" in str(error)


def is_versioned(model) -> bool:
    return model is not None and issubclass(model, VersionedModel)


# --- Forms --------------------------------------------------------------------------


class VersionField(forms.IntegerField):
    """The version the form was opened with, sent back with the form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        # A tampered value beyond the column's range is a form error, not a 500.
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)


class VersionedFormMixin:
    """A model form that carries the version it was opened with as a hidden field.

    On save the record is checked against that version rather than the one loaded
    when the form was posted, which is the version the user actually saw.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if is_versioned(getattr(self._meta, "model", None)):
            if "version" not in self.fields:
                self.fields["version"] = VersionField()
            if self.instance.pk:
                self.fields["version"].initial = self.instance.version

    def _post_clean(self):
        super()._post_clean()
        submitted = getattr(self, "cleaned_data", {}).get("version")
        if self.instance.pk and submitted is not None and "version" in self.fields:
            self.instance.version = submitted

    def keep_input_after(self, conflict: EditConflict) -> None:
        """Re-show the user's input with what changed; saving again means "keep mine".

        The hidden version becomes the current one, so a second save overwrites the
        other person's change knowingly, having seen it.
        """
        conflict.changes = conflict.changes or changes_since(conflict, self)
        self.conflict = conflict
        data = self.data.copy()
        data[self.add_prefix("version")] = conflict.current_version or ""
        self.data = data
        if conflict.deleted:
            self.add_error(None, f"Someone else deleted this {conflict.noun} meanwhile.")
        else:
            self.add_error(
                None,
                f"Someone else saved this {conflict.noun} while you were editing it. "
                "Check their changes below; save again to keep yours.",
            )


# --- What changed meanwhile ------------------------------------------------------------


def shown(value) -> str:
    """A value as the conflict page shows it."""
    if value is None or value == "":
        return "blank"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value == value.quantize(Decimal("0.01")) else f"{value}"
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    if isinstance(value, models.QuerySet | list | tuple):
        return "; ".join(sorted(str(v) for v in value)) or "none"
    return str(value)


def _shown_field(field, value) -> str:
    if field.choices and not field.is_relation:
        return str(dict(field.flatchoices).get(value, shown(value)))
    return shown(value)


def changes_since(conflict: EditConflict, form, *, fields=None) -> list[Change]:
    """What changed between the version the user opened and the record now, for the
    fields of ``form``, as the current value (theirs) and the submitted one (yours).

    The version the user opened is read from the record's history where it has one;
    without it, every field whose current value differs from the submitted one.
    """
    if conflict.deleted:
        return []
    model = conflict.model
    current = model._base_manager.get(pk=conflict.record.pk)
    history = getattr(model, "history", None)
    then = None
    if history is not None and hasattr(current, "history"):
        then = (
            current.history.filter(version=conflict.expected_version)
            .order_by("-history_date", "-history_id")
            .first()
        )
    changes = []
    names = fields if fields is not None else list(form.fields)
    for name in names:
        try:
            field = model._meta.get_field(name)
        except Exception:  # a form-only field (the reason, the version)
            continue
        # Never shown, as history never keeps them (a user's password hash).
        hidden = getattr(model, "history_hidden_fields", ())
        if not field.concrete or name == "version" or name in hidden:
            continue
        if field.many_to_many:
            theirs_value = list(getattr(current, name).all())
            theirs = shown(theirs_value)
        else:
            theirs_value = getattr(current, field.attname)
            if then is not None and getattr(then, field.attname) == theirs_value:
                continue
            if field.is_relation:
                theirs_value = getattr(current, name)
            theirs = _shown_field(field, theirs_value)
        yours_value = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        yours = _shown_field(field, yours_value)
        if theirs == yours and (then is None or field.many_to_many):
            continue
        changes.append(Change(str(field.verbose_name).capitalize(), theirs, yours))
    return changes
