"""Recording a variation of a contract (a ``contracts.Modification``): the form, its
reg 13 assessment, the service that saves it with its authorising decision, and the
views.

Two steps without JavaScript: "Check" shows what the Provider Selection Regime's reg 13
test (``contracts.rules.psr_modification``) says of the change; "Save" records it. A
modification that is not permitted can still be recorded, because a council must record
what happened: with a warning, the reason, and the decision that made it.
"""

import hashlib
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from audit.history import history_rows
from audit.versioning import EditConflict
from contracts import rules
from contracts.figures import (
    assess_modification,
    assessed_modifications,
    lifetime_change_of,
    original_value_of,
)
from contracts.models import Contract, Modification, Provider
from decisions.models import Decision, DecisionContractLink
from ui.fields import MoneyField, UkDateField
from ui.forms import GovukModelForm
from ui.lookup import DECISIONS, PROVIDERS, LookupField, set_user

# --- The assessment ----------------------------------------------------------------------


def _candidate(contract: Contract, data: dict, instance: Modification | None) -> Modification:
    """The variation as the form or service has it, not yet saved: in its place among
    the contract's modifications when it is a change of one already recorded."""
    if instance is None or instance.pk is None:
        return Modification(contract=contract, **data)
    return Modification(contract=contract, pk=instance.pk, sequence=instance.sequence, **data)


def assess(contract: Contract, data: dict, instance: Modification | None = None):
    """The reg 13 test of a variation (contracts.figures.assess_modification): its
    lifetime change and its assessment against the variations before it."""
    return assess_modification(contract, _candidate(contract, data, instance)).assessment


def fingerprint(assessment: rules.ModificationAssessment) -> str:
    """A short mark of an assessment, carried by the form between "Check" and "Save":
    a save whose assessment is not the one the user was shown is shown again."""
    text = f"{assessment.permitted}|{assessment.notice_required}|{assessment.reason}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --- The form ----------------------------------------------------------------------------

NOT_PERMITTED_REASON = "Say why it is recorded although the assessment says it is not permitted."
NOT_PERMITTED_DECISION = "Enter the decision that made the modification: it is not permitted."


class VariationForm(GovukModelForm):
    kind = forms.ChoiceField(
        label="Type of variation",
        choices=Modification.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of variation."},
    )
    effective_date = UkDateField(
        label="Effective date", help_text="The day the change takes effect."
    )
    annual_value_change = MoneyField(
        label="Change in annual value (optional)",
        required=False,
        allow_negative=True,
        help_text="A reduction is negative, for example -£25,000.",
    )
    lifetime_value_change = MoneyField(
        label="Change in lifetime value (optional)",
        required=False,
        allow_negative=True,
        help_text="The change over the rest of the contract's life: what the reg 13 test "
        "adds up. A reduction is negative.",
    )
    new_end_date = UkDateField(
        label="New end date (optional)", required=False, help_text="Where the term changes."
    )
    ground = forms.ChoiceField(
        label="Ground under regulation 13(1)",
        choices=Modification.Ground.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the ground the modification is made on."},
    )
    new_provider = LookupField(
        Provider.objects.order_by("name"),
        lookup=PROVIDERS,
        noun="new provider",
        required=False,
        label="New provider (optional)",
        help_text="For a change of the provider's identity: who the provider now is.",
    )
    decision = LookupField(
        Decision.objects.none(),
        lookup=DECISIONS,
        noun="authorising decision",
        suggest=False,  # only the contract's own councils' decisions may be chosen
        required=False,
        label="Authorising decision (optional)",
        help_text="The decision that authorised the variation: its number, for example "
        "24/00056, or part of its subject. Required if the variation is not permitted.",
    )
    # The fingerprint of the assessment the user was shown (see ``fingerprint``).
    assessed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)

    class Meta:
        model = Modification
        fields = [
            "kind",
            "description",
            "effective_date",
            "annual_value_change",
            "lifetime_value_change",
            "new_end_date",
            "ground",
            "materially_different",
            "materially_different_reason",
            "new_provider",
            "new_provider_meets_basic_criteria",
            "urgent",
            "recorded_anyway_reason",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "materially_different_reason": forms.Textarea(attrs={"rows": 3}),
            "recorded_anyway_reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, contract: Contract, earlier, saving: bool = False, user=None, **kw):
        super().__init__(*args, **kw)
        self.contract = contract
        self.earlier = list(earlier)
        self.saving = saving
        self.assessment: rules.ModificationAssessment | None = None
        # The page draws its own "Check" and "Save" buttons.
        self.helper.inputs = []
        authorities = {contract.lead_authority_id} | {s.authority_id for s in contract.shares.all()}
        self.fields["decision"].queryset = (
            Decision.objects.select_related("authority")
            .filter(authority_id__in=authorities)
            .order_by("-number")
        )
        self.fields["description"].error_messages["required"] = "Describe the variation."
        self.fields["effective_date"].error_messages["required"] = "Enter the effective date."
        set_user(self, user)

    def clean(self):
        cleaned = super().clean()
        kind, ground = cleaned.get("kind"), cleaned.get("ground")
        if kind == Modification.Kind.VALUE and not (
            cleaned.get("lifetime_value_change") or cleaned.get("annual_value_change")
        ):
            self.add_error("lifetime_value_change", "Enter the change in value.")
        if kind == Modification.Kind.TERM and not cleaned.get("new_end_date"):
            self.add_error("new_end_date", "Enter the new end date: the term changes.")
        start, effective = self.contract.start_date, cleaned.get("effective_date")
        if effective and effective < start:
            self.add_error(
                "effective_date", "The variation cannot take effect before the contract starts."
            )
        new_end = cleaned.get("new_end_date")
        if new_end and effective and new_end < effective:
            self.add_error(
                "new_end_date", "The new end date must be on or after the effective date."
            )
        if (kind == Modification.Kind.PROVIDER or ground == rules.PROVIDER_IDENTITY) and not (
            cleaned.get("new_provider")
        ):
            self.add_error("new_provider", "Enter the new provider.")
        if ground == rules.PROVIDER_IDENTITY and not cleaned.get(
            "new_provider_meets_basic_criteria"
        ):
            self.add_error(
                "new_provider_meets_basic_criteria",
                "Ground (b) applies only if the authority is satisfied that the new provider "
                "meets the basic selection criteria.",
            )
        if cleaned.get("materially_different") and not cleaned.get("materially_different_reason"):
            self.add_error(
                "materially_different_reason", "Say why it makes the contract materially different."
            )
        # The change is worked out from the effective date (contracts.rules), so the
        # assessment waits until it is a valid date.
        if ground in rules.MODIFICATION_GROUNDS and cleaned.get("effective_date"):
            fields = self._modification_fields(cleaned)
            fields.setdefault("ground", ground)
            self.assessment = assess(self.contract, fields, self.instance)
            if self.saving and not self.assessment.permitted:
                if not cleaned.get("recorded_anyway_reason", "").strip():
                    self.add_error("recorded_anyway_reason", NOT_PERMITTED_REASON)
                if not cleaned.get("decision"):
                    self.add_error("decision", NOT_PERMITTED_DECISION)
        return cleaned

    def _modification_fields(self, cleaned: dict) -> dict:
        return {name: cleaned[name] for name in self.Meta.fields if name in cleaned}

    def modification_data(self) -> dict:
        return self._modification_fields(self.cleaned_data)

    @property
    def shown_assessment_is_current(self) -> bool:
        return self.assessment is not None and self.cleaned_data.get("assessed") == fingerprint(
            self.assessment
        )

    def show_assessment(self) -> None:
        """Carry the assessment now shown, so "Save" can tell it was seen."""
        self.data = self.data.copy()
        self.data[self.add_prefix("assessed")] = fingerprint(self.assessment)


# --- The service -------------------------------------------------------------------------


def record_modification(*, contract: Contract, data: dict, decision, user) -> Modification:
    """Record a variation of ``contract`` as its next modification, with a "Varies" link
    from ``decision`` naming it when a decision is given, in one transaction.

    The reg 13 test is worked out again under the lock, against the modifications
    recorded by then: one that is not permitted needs a reason and a decision, whatever
    path records it. Raises ValidationError naming the field.
    """
    with transaction.atomic():
        # Lock the contract: two users recording variations at once must not both take
        # the same sequence number (nor each assess against a list missing the other).
        locked = (
            Contract.objects.select_related("stored")
            .select_for_update(of=("self",))
            .get(pk=contract.pk)
        )
        assessment = assess(locked, data)
        _refuse_unless_recorded_anyway(assessment, data, decision)
        last = locked.modifications.aggregate(last=Max("sequence"))["last"] or 0
        modification = Modification(contract=locked, sequence=last + 1, **data)
        modification.full_clean(exclude=["contract"])
        modification._change_reason = f"Variation {modification.sequence} recorded"
        modification._history_user = user
        modification.save()
        _link_decision(modification, decision, user)
    return modification


def _refuse_unless_recorded_anyway(assessment, data: dict, decision) -> None:
    if assessment.permitted:
        return
    errors = {}
    if not (data.get("recorded_anyway_reason") or "").strip():
        errors["recorded_anyway_reason"] = NOT_PERMITTED_REASON
    if decision is None:
        errors["decision"] = NOT_PERMITTED_DECISION
    if errors:
        raise ValidationError(errors)


def _link_decision(modification: Modification, decision, user) -> None:
    """Make ``decision`` the one that authorised ``modification`` (none if None): its
    "Varies" link names the modification (decisions.DecisionContractLink)."""
    for link in modification.decision_links.all():
        if decision is not None and link.decision_id == decision.pk:
            return
        link._change_reason = f"Variation {modification.sequence}: another decision named"
        link._history_user = user
        link.delete()
    if decision is None:
        return
    link = DecisionContractLink(
        decision=decision,
        contract_id=modification.contract_id,
        kind=DecisionContractLink.Kind.VARY,
        modification=modification,
    )
    link.full_clean()
    link._change_reason = f"Authorised variation {modification.sequence}"
    link._history_user = user
    link.save()


def change_modification(*, modification: Modification, data: dict, decision, user) -> Modification:
    """Change a recorded variation and the decision that authorised it, in one
    transaction; assessed again against the variations before it.

    ``modification.version`` is the version the form was opened with: a save by
    someone else meanwhile raises EditConflict (audit.versioning).
    """
    with transaction.atomic():
        # Lock the contract, as record_modification does: an assessment reads the
        # variations before this one, which must not change under it.
        locked = (
            Contract.objects.select_related("stored")
            .select_for_update(of=("self",))
            .get(pk=modification.contract_id)
        )
        assessment = assess(locked, data, modification)
        _refuse_unless_recorded_anyway(assessment, data, decision)
        for name, value in data.items():
            setattr(modification, name, value)
        modification.full_clean(exclude=["contract"])
        modification._change_reason = f"Variation {modification.sequence} changed"
        modification._history_user = user
        modification.save()
        _link_decision(modification, decision, user)
    return modification


# --- The views ---------------------------------------------------------------------------


def _contract_for_variation(pk: int) -> Contract:
    return get_object_or_404(
        Contract.objects.select_related("stored", "lead_authority").prefetch_related(
            "shares", Prefetch("modifications", queryset=Modification.objects.order_by("sequence"))
        ),
        pk=pk,
    )


def _variation_form_page(request, contract: Contract, modification: Modification | None = None):
    """The two steps of recording (or changing) a variation: "Check" shows its reg 13
    assessment against the variations before it, "Save" records it."""
    earlier = [
        m
        for m in contract.modifications.all()
        if modification is None or m.sequence < modification.sequence
    ]
    initial = {}
    if modification is not None:
        links = list(modification.decision_links.all())
        initial["decision"] = links[0].decision if links else None
    saving = request.method == "POST" and "_save" in request.POST
    form = VariationForm(
        request.POST or None,
        instance=modification,
        initial=initial,
        contract=contract,
        earlier=earlier,
        saving=saving,
        user=request.user,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if saving and form.shown_assessment_is_current:
                saved = _save_variation(request, form, contract, modification)
                if saved is not None:
                    verb = "changed" if modification else "recorded"
                    messages.success(
                        request, f"Variation {saved.sequence} of {contract.reference} {verb}."
                    )
                    return redirect("psr:variation_detail", saved.pk)
                status = 409 if getattr(form, "conflict", None) else 400
            elif saving:
                messages.info(
                    request, "The assessment changed with what you typed: check it, then save."
                )
            if form.assessment is not None and not form.errors:
                form.show_assessment()
        else:
            status = 400
    noun = f"variation {modification.sequence}" if modification else "a variation"
    return render(
        request,
        "psr/variation_form.html",
        {
            "form": form,
            "contract": contract,
            "modification": modification,
            "assessment": form.assessment,
            # "Save" once the user has been shown the assessment that stands.
            "can_save": form.assessment is not None
            and (not form.errors or form.shown_assessment_is_current),
            "original_value": original_value_of(contract),
            "earlier": earlier,
            "earlier_total": sum(
                (lifetime_change_of(contract, m) for m in earlier), Decimal("0.00")
            ),
            "title": f"{'Change' if modification else 'Record'} {noun} of {contract.reference}",
            "cancel_url": (
                reverse("psr:variation_detail", args=[modification.pk])
                if modification
                else contract.get_absolute_url()
            ),
        },
        status=status,
    )


def _save_variation(request, form, contract, modification) -> Modification | None:
    """Save through the service; None, with the form saying why, when refused."""
    data = form.modification_data()
    decision = form.cleaned_data["decision"]
    try:
        if modification is None:
            return record_modification(
                contract=contract, data=data, decision=decision, user=request.user
            )
        return change_modification(
            modification=form.instance, data=data, decision=decision, user=request.user
        )
    except EditConflict as conflict:
        form.keep_input_after(conflict)
    except ValidationError as error:
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    return None


@permission_required("contracts.change_contract", raise_exception=True)
def variation_new(request, pk: int):
    """Record a variation: "Check" shows its reg 13 assessment, then "Save" records it."""
    return _variation_form_page(request, _contract_for_variation(pk))


@permission_required("contracts.change_contract", raise_exception=True)
def variation_edit(request, pk: int):
    modification = get_object_or_404(
        Modification.objects.prefetch_related(
            Prefetch(
                "decision_links",
                queryset=DecisionContractLink.objects.select_related("decision__authority"),
            )
        ),
        pk=pk,
    )
    return _variation_form_page(
        request, _contract_for_variation(modification.contract_id), modification
    )


@permission_required("contracts.view_modification", raise_exception=True)
def variation_detail(request, pk: int):
    """A variation with its reg 13 assessment, the decision that authorised it and its
    history."""
    modification = get_object_or_404(
        Modification.objects.select_related("new_provider").prefetch_related(
            Prefetch(
                "decision_links",
                queryset=DecisionContractLink.objects.select_related("decision"),
            )
        ),
        pk=pk,
    )
    contract = _contract_for_variation(modification.contract_id)
    row = next(r for r in assessed_modifications(contract) if r.modification.pk == pk)
    return render(
        request,
        "psr/variation_detail.html",
        {
            "contract": contract,
            "modification": modification,
            "assessment": row.assessment,
            "change": row.change,
            "links": list(modification.decision_links.all()),
            "history": history_rows(modification.history.all(), request.user),
            "title": f"Variation {modification.sequence} of {contract.reference}",
        },
    )
