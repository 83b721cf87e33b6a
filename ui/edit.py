"""The one way a single record is created, edited or deleted from a page."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render

from audit.versioning import EditConflict, is_unique_race

# A form re-shown because someone else saved the record meanwhile.
CONFLICT_STATUS = 409


def save_with_history(form, *, reason: str = ""):
    """Save a model form in one transaction, with its reason in the history.

    Raises EditConflict when the record changed since the form was opened."""
    with transaction.atomic():
        obj = form.save(commit=False)
        obj._change_reason = reason or ""
        obj.save()
        form.save_m2m()
    return obj


def save_or_refuse(form, save=None):
    """Save a valid form with ``save(form)`` (default: save_with_history); None when
    the save was refused and the form, re-shown, says why with the user's input kept.

    Two refusals are expected of a page and never answer 500:
    - someone else saved the record since the form was opened (EditConflict): the
      form shows what they changed (``form.conflict``);
    - a unique value (a typed decision number) that another request took between
      this form's validation and its save (IntegrityError): validating again, now
      that the other request has committed, gives the field its error.
    """
    save = save or (lambda f: save_with_history(f, reason=f.cleaned_data.get("reason", "")))
    try:
        with transaction.atomic():
            return save(form)
    except EditConflict as conflict:
        form.keep_input_after(conflict)
        return None
    except IntegrityError as error:
        if not is_unique_race(error):
            raise
        form.full_clean()
        if form.is_valid():
            raise  # the form does not know this constraint: a fault to fix
        return None


def form_status(form) -> int:
    """409 for a form refused by an edit conflict, else 200."""
    return CONFLICT_STATUS if getattr(form, "conflict", None) else 200


def delete_with_history(obj, *, reason: str = "") -> None:
    """Delete one record in one transaction, with its reason in the history.

    Raises EditConflict when the record changed since its delete page was opened."""
    with transaction.atomic():
        obj._change_reason = reason or ""
        obj.delete()


def delete_or_refuse(form, delete) -> bool:
    """Run ``delete()``; False, with the form saying why, when someone else saved or
    deleted the record since the delete page was opened (then nothing is deleted)."""
    try:
        delete()
    except EditConflict as conflict:
        form.conflict = conflict
        what = "deleted" if conflict.deleted else "saved"
        form.add_error(
            None,
            f"Someone else {what} this {conflict.noun} meanwhile, so nothing was deleted. "
            "Check it again before deleting it.",
        )
        return False
    return True


def edit_view(
    request,
    *,
    form_class,
    instance=None,
    template: str,
    title: str,
    cancel_url: str,
    context: dict | None = None,
):
    """Bind, validate, save with history, redirect with a message (POST then redirect);
    on an edit conflict, the form again with the user's input and what changed."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = save_or_refuse(form)
        if obj is not None:
            verb = "updated" if instance else "added"
            messages.success(request, f"{obj} {verb}.")
            return redirect(obj.get_absolute_url())
    return render(
        request,
        template,
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "object": instance,
            **(context or {}),
        },
        status=form_status(form),
    )
