from functools import cache

from django.contrib import messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.http import HttpResponseRedirect
from simple_history.admin import SimpleHistoryAdmin

from audit.history import readable_history, redact_for
from audit.versioning import (
    EditConflict,
    VersionedFormMixin,
    VersionField,
    changes_since,
    is_unique_race,
    is_versioned,
)


class VersionCheckedAdminForm(VersionedFormMixin):
    """An admin change form (or inline row) that refuses a stale version, with the
    administrator's input kept and what changed meanwhile in the error."""

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get("version")
        if not self.instance.pk or submitted is None:
            return cleaned
        rows = type(self.instance)._base_manager.filter(pk=self.instance.pk)
        if connection.in_atomic_block:
            # The admin's change view is one transaction: the lock holds until the
            # save, so nobody can save the record between this check and that write.
            rows = rows.select_for_update()
        now = rows.values_list("version", flat=True).first()
        if now == submitted:
            return cleaned
        conflict = EditConflict(self.instance, expected_version=submitted, current_version=now)
        if conflict.deleted:
            raise ValidationError(f"Someone else deleted this {conflict.noun} meanwhile.")
        changed = "; ".join(
            f"{c.label}: theirs “{c.theirs}”, yours “{c.yours}”"
            for c in changes_since(conflict, self)
        )
        data = self.data.copy()
        data[self.add_prefix("version")] = now  # saving again means "keep mine"
        self.data = data
        raise ValidationError(
            f"Someone else saved this {conflict.noun} while you were editing it"
            + (f" ({changed})" if changed else "")
            + ". Check their changes; save again to keep yours."
        )


def version_checked(form_class):
    """``form_class`` with the hidden version and the check above."""
    if issubclass(form_class, VersionCheckedAdminForm):
        return form_class
    return type(
        form_class.__name__, (VersionCheckedAdminForm, form_class), {"version": VersionField()}
    )


def _versioned_form_kwargs(admin, request, obj, kwargs) -> dict:
    """The form (or inline formset) arguments that add the hidden version.

    The version is a field of the form, not one of the model's editable fields, so
    it is left out of the model fields the form is built from."""
    if "fields" in kwargs:
        fields = kwargs.pop("fields")
    else:
        fields = flatten_fieldsets(admin.get_fieldsets(request, obj))
    return {
        "form": version_checked(kwargs.get("form", admin.form)),
        "fields": None if fields is None else [f for f in fields if f != "version"],
    }


class VersionedInlineMixin:
    def get_formset(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs.update(_versioned_form_kwargs(self, request, obj, kwargs))
        return super().get_formset(request, obj, **kwargs)


@cache
def _versioned_inline(inline_class):
    if issubclass(inline_class, VersionedInlineMixin):
        return inline_class
    return type(inline_class.__name__, (VersionedInlineMixin, inline_class), {})


class VersionedAdminMixin:
    """Every change form (and inline) of a versioned model carries the version it was
    opened with, and a save from a stale form is refused, never silently applied."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Only a change form has a version to check (an add form may be another
        # form altogether, as the user admin's is).
        if obj is not None and is_versioned(self.model):
            kwargs.update(_versioned_form_kwargs(self, request, obj, kwargs))
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not is_versioned(self.model):
            return fieldsets
        if "version" in flatten_fieldsets(fieldsets):
            return fieldsets
        *rest, (name, options) = fieldsets
        return [*rest, (name, {**options, "fields": [*options["fields"], "version"]})]

    def get_inlines(self, request, obj):
        return [
            _versioned_inline(inline) if is_versioned(inline.model) else inline
            for inline in super().get_inlines(request, obj)
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as conflict:
            # Only where the form's locked check could not hold (SQLite): the save
            # itself refused the stale version. Nothing was written.
            self.message_user(request, f"{conflict} Nothing was saved.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        except IntegrityError as error:
            if not is_unique_race(error):
                raise
            # The form found the value free (a typed decision number), but another
            # request saved it before this one did. Nothing was written.
            self.message_user(
                request,
                "Someone else saved a record with the same value (for example the same "
                "decision number) while you were editing. Nothing was saved; check the "
                "values and save again.",
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class HistoryAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """Admin with a read-only history: past versions can be seen, never restored.

    Restoring ("revert") would write an old version back without a reason or a
    decision behind it; a change goes through the record's own form instead.
    Saves are version-checked (VersionedAdminMixin).

    A record's history (the list and each version) is refused to a user who may not
    read some of it (an exempt decision's, for users not cleared), worked out at read
    time by audit.history.readable_history, as on the history pages.
    """

    def _refuse_restricted_history(self, request, object_id) -> None:
        history = self.model.history.filter(**{self.model._meta.pk.attname: object_id})
        rows = readable_history(history).values("restricted_now")
        if any(redact_for(request.user, row) for row in rows):
            raise PermissionDenied("Exempt information: you are not cleared to read it.")

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_restricted_history(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("History is read-only.")
        self._refuse_restricted_history(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
