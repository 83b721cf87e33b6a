"""Writes that span a contract and its options and shares, each in one transaction."""

from datetime import date

from django.db import transaction

from audit import versioning
from audit.versioning import Change, EditConflict
from contracts import rules
from contracts.figures import deferred
from contracts.models import Contract, CostShare, ExtensionOption


class OptionOutOfTurn(Exception):
    """The option is not the next pending one (options are decided in order)."""


def options_summary(options) -> str:
    """ "24 months (exercised) + 12 months (pending)", or "none"."""
    parts = [f"{o.months} months ({o.status})" for o in options]
    return " + ".join(parts) or "none"


def shares_summary(shares) -> str:
    parts = []
    for s in shares:
        if s.percentage is not None:
            parts.append(f"{s.authority} {s.percentage.normalize():f}%")
        elif s.fixed_amount is not None:
            parts.append(f"{s.authority} {rules.format_money(s.fixed_amount)}")
    return "; ".join(parts) or "none (the lead authority pays it all)"


def _formset_objects(formset, model):
    """The rows the formset would leave, as unsaved objects, for summaries."""
    kept = []
    for form in formset.forms:
        if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
            continue
        if not form.instance.pk and not form.has_changed():
            continue
        obj = model(**{k: v for k, v in form.cleaned_data.items() if k not in ("DELETE", "id")})
        if model is ExtensionOption:
            obj.status = form.instance.status
        kept.append(obj)
    return kept


def changes_since(conflict: EditConflict, form, options, shares) -> list[Change]:
    """What changed since the version the user opened: the contract's fields (as
    for any record, audit.versioning.changes_since), then its options and shares."""
    current = Contract.objects.get(pk=conflict.record.pk)
    fields = [n for n in form.Meta.fields if not Contract._meta.get_field(n).many_to_many]
    changes = versioning.changes_since(conflict, form, fields=fields)
    then = (
        current.history.filter(version=conflict.expected_version).order_by("-history_date").first()
    )
    since = then.history_date if then is not None else None
    for label, model, summary, formset, rows in (
        ("Extension options", ExtensionOption, options_summary, options, current.options.all()),
        ("Cost shares", CostShare, shares_summary, shares, current.shares.all()),
    ):
        touched = model.history.filter(contract_id=current.pk)
        if since is not None:
            touched = touched.filter(history_date__gt=since)
        theirs, yours = summary(rows), summary(_formset_objects(formset, model))
        if touched.exists() and (since is not None or theirs != yours):
            changes.append(Change(label, theirs, yours))
    return changes


def _save_options(contract: Contract, formset, reason: str) -> None:
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._change_reason = reason
            form.instance.delete()
    kept = [
        f
        for f in formset.forms
        if f not in formset.deleted_forms and (f.instance.pk or f.has_changed())
    ]
    # Options are numbered in order; deleting one moves the later ones up. Deletions
    # went first and numbers only fall, so no two options ever share a number.
    for number, form in enumerate(kept, start=1):
        old_number = form.instance.sequence
        option = form.save(commit=False)
        option.contract = contract
        option.sequence = number
        if option.pk is None or form.has_changed() or old_number != number:
            option._change_reason = reason
            option.save()


def _save_shares(contract: Contract, formset, reason: str) -> None:
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._change_reason = reason
            form.instance.delete()
    for form in formset.forms:
        if form in formset.deleted_forms or not (form.instance.pk or form.has_changed()):
            continue
        if form.instance.pk and not form.has_changed():
            continue
        share = form.save(commit=False)
        share.contract = contract
        share._change_reason = reason
        share.save()


def save_contract(*, form, options, shares, expected_version: int | None = None) -> Contract:
    """Save a contract with its options and shares, all or nothing.

    Refuses with :class:`EditConflict` when someone else saved the contract since the
    user opened it (``expected_version``, else the version the form carries), so
    nobody overwrites a change they never saw.
    """
    reason = form.cleaned_data.get("reason", "")
    # The contract's stored figures are written once, after all its parts.
    with transaction.atomic(), deferred():
        contract = form.save(commit=False)
        if contract.pk:
            if expected_version is not None:
                contract.version = expected_version
            # The race: two users open version n and both save. The contract's own
            # save checks its version (audit.versioning), but its options and shares
            # are written first; locking the row makes the check and all those
            # writes one step, so the second save sees version n + 1 before it
            # touches a part.
            current = Contract.objects.select_for_update().get(pk=contract.pk)
            if contract.version != current.version:
                conflict = EditConflict(
                    contract, expected_version=contract.version, current_version=current.version
                )
                conflict.changes = changes_since(conflict, form, options, shares)
                raise conflict
            # Parts first, then the contract: its new version's history row is then
            # the latest, which is what changes_since() relies on.
            _save_options(contract, options, reason)
            _save_shares(contract, shares, reason)
            contract._change_reason = reason
            contract.save()
        else:
            contract._change_reason = reason
            contract.save()
            _save_options(contract, options, reason)
            _save_shares(contract, shares, reason)
        form.save_m2m()
        contract.subcontractors.set(form.cleaned_data.get("subcontractor_names") or [])
    return contract


def decide_option(
    *,
    contract_id: int,
    option_id: int,
    exercise: bool,
    decided_on: date,
    reason: str,
    decision=None,
) -> ExtensionOption:
    """Exercise or decline a contract's next pending option, recording who, when and why.

    Options are taken in order (docs/domain.md "Contract: Term"); ``option_id`` must be the
    next pending one, so a form submitted twice cannot decide the following option.
    """
    with transaction.atomic(), deferred():
        # Lock the contract: two people deciding at once must not both take option n.
        contract = Contract.objects.select_for_update().get(pk=contract_id)
        option = (
            contract.options.filter(status=ExtensionOption.Status.PENDING)
            .order_by("sequence")
            .first()
        )
        if option is None or option.pk != option_id:
            raise OptionOutOfTurn("That option has already been decided.")
        option.status = (
            ExtensionOption.Status.EXERCISED if exercise else ExtensionOption.Status.DECLINED
        )
        option.decided_on = decided_on
        option.reason = reason
        option.authorising_decision = decision
        # The value bounds (ui.bounds), as for every write; ValidationError names the field.
        option.clean_fields(exclude=["contract", "authorising_decision"])
        verb = "exercised" if exercise else "declined"
        note = f"Option {option.sequence} ({option.months} months) {verb}: {reason}"
        option._change_reason = note
        option.save()
        # Saving the contract gives it a new version, so a form opened before the
        # decision is refused rather than undoing it.
        contract._change_reason = note
        contract.save()
    return option


def delete_contract(*, contract: Contract, reason: str = "") -> None:
    """Delete a contract with its options and shares; each keeps its history."""
    with transaction.atomic():
        contract._change_reason = reason
        contract.delete()
