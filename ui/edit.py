"""The one way a single record is created, edited or deleted from a page."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render


def save_with_history(form, *, reason: str = ""):
    """Save a model form in one transaction, with its reason in the history."""
    with transaction.atomic():
        obj = form.save(commit=False)
        obj._change_reason = reason or ""
        obj.save()
        form.save_m2m()
    return obj


def delete_with_history(obj, *, reason: str = "") -> None:
    """Delete one record in one transaction, with its reason in the history."""
    with transaction.atomic():
        obj._change_reason = reason or ""
        obj.delete()


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
    """Bind, validate, save with history, redirect with a message (POST then redirect)."""
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        obj = save_with_history(form, reason=form.cleaned_data.get("reason", ""))
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
    )
