from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from contracts import rules
from contracts.models import (
    Authority,
    Contract,
    ContractAttachment,
    CostShare,
    ExtensionOption,
    Provider,
    options_too_long_message,
    validate_decision_number_prefix,
)
from decisions import rules as decision_rules
from decisions.models import Decision
from ui import attachments
from ui.bounds import MAX_TERM_MONTHS, UPLIFT_FROM_YEAR_MAX, UPLIFT_MAX_PERCENT
from ui.fields import (
    MoneyField,
    PercentageField,
    UkDateField,
    clean_charity_number,
    clean_company_number,
)
from ui.forms import GovukForm, GovukModelForm, ReasonField, RowFormSet, inline_formset
from ui.lookup import AUTHORITIES, DECISIONS, PROVIDERS, LookupField, set_user


class AuthorityForm(GovukModelForm):
    reason = ReasonField()

    class Meta:
        model = Authority
        fields = [
            "name",
            "short_name",
            "key_decision_threshold",
            "call_in_working_days",
            "decision_number_prefix",
            "nation",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision_number_prefix"].required = False  # clean() says why

    def clean(self):
        cleaned = super().clean()
        if self.errors.get("decision_number_prefix"):
            return cleaned
        typed = cleaned.get("decision_number_prefix", "").strip()
        suggested = decision_rules.default_decision_number_prefix(
            cleaned.get("name", ""), cleaned.get("short_name", "")
        ).strip()
        if not typed:
            self.add_error(
                "decision_number_prefix",
                f"Enter a decision number prefix, for example {suggested}, so that this "
                "council's decision numbers never print like another council's.",
            )
            return cleaned
        try:
            validate_decision_number_prefix(typed)
        except ValidationError as error:
            self.add_error("decision_number_prefix", error)
            return cleaned
        prefix = decision_rules.decision_number_prefix(typed)
        cleaned["decision_number_prefix"] = prefix
        others = Authority.objects.exclude(pk=self.instance.pk).values_list(
            "name", "decision_number_prefix"
        )
        for name, other in others:
            if decision_rules.prefixes_print_alike(prefix, other):
                self.add_error(
                    "decision_number_prefix",
                    f"{name} already prints its decision numbers with “{other.strip()}”: "
                    "enter a different prefix.",
                )
                break
        return cleaned


class ProviderForm(GovukModelForm):
    reason = ReasonField()

    class Meta:
        model = Provider
        fields = [
            "name",
            "provider_type",
            "charity_number",
            "company_number",
            "address",
            "postcode",
            "is_sme",
            "is_vcse",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_charity_number(self) -> str:
        return clean_charity_number(self.cleaned_data["charity_number"])

    def clean_company_number(self) -> str:
        return clean_company_number(self.cleaned_data["company_number"])

    def clean_postcode(self) -> str:
        return self.cleaned_data["postcode"].strip().upper()


# --- Contracts -----------------------------------------------------------------------


class ContractForm(GovukModelForm):
    provider = LookupField(
        Provider.objects.order_by("name"),
        lookup=PROVIDERS,
        required=False,
        help_text="Its name, or part of it. Leave blank until the contract is awarded.",
    )
    subcontractor_names = forms.CharField(
        label="Alliance partners or subcontractors (optional)",
        required=False,
        help_text="Providers' names, separated by semicolons.",
    )
    lead_authority = LookupField(
        Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        noun="lead authority",
        help_text="Type the council's name, for example Kent County Council.",
        error_messages={"required": "Enter the lead authority."},
    )
    start_date = UkDateField(label="Start date")
    initial_end_date = UkDateField(
        label="End of the initial term", help_text="Before any extension option."
    )
    terminated_on = UkDateField(label="Terminated on (optional)", required=False)
    annual_value = MoneyField(label="Annual value", help_text="For example £803,671.80.")
    stated_whole_life_value = forms.CharField(
        label="Stated whole-life value (optional)",
        required=False,
        max_length=40,
        help_text="As the report printed it, for example £4,099,533.88 or £4.1m. It is "
        "checked against the computed value to the precision it was written.",
    )
    annual_uplift_percent = PercentageField(
        label="Annual uplift (%)",
        min_value=0,
        max_value=UPLIFT_MAX_PERCENT,
        max_digits=6,
        decimal_places=3,
        initial=Decimal("0"),
        help_text="Compounding yearly increase, for example 1 for 1% a year. 0 for none.",
        error_messages={
            "required": "Enter the annual uplift, or 0 for none.",
            "min_value": "Enter an uplift of 0%% or more.",
            "max_value": f"Enter an uplift of {UPLIFT_MAX_PERCENT}%% or less.",
            "invalid": "Enter the uplift as a number, for example 1 for 1% a year.",
        },
    )
    uplift_from_year = forms.IntegerField(
        label="Uplift from contract year",
        min_value=2,
        max_value=UPLIFT_FROM_YEAR_MAX,
        initial=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        help_text="The first contract year the uplift applies to (usually year 2).",
        error_messages={
            "required": "Enter the first year of the uplift, usually 2.",
            "min_value": "Enter year 2 or later: the uplift cannot apply to year 1.",
            "max_value": f"Enter a year of {UPLIFT_FROM_YEAR_MAX} or less.",
            "invalid": "Enter the year as a whole number, for example 2.",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = ReasonField()

    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "description",
            "service_area",
            "strategic_priorities",
            "provider",
            "lead_authority",
            "lot",
            "procurement_route",
            "procurement_stage",
            "start_date",
            "initial_end_date",
            "terminated_on",
            "annual_value",
            "annual_uplift_percent",
            "uplift_from_year",
            "stated_whole_life_value",
            "notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "strategic_priorities": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "reference": {
                "required": "Enter the contract reference.",
                "unique": "Another contract already has this reference.",
            },
            "title": {"required": "Enter the contract title."},
        }

    field_order = [
        "reference",
        "title",
        "description",
        "service_area",
        "strategic_priorities",
        "provider",
        "subcontractor_names",
        "lead_authority",
        "lot",
        "procurement_route",
        "procurement_stage",
        "start_date",
        "initial_end_date",
        "terminated_on",
        "annual_value",
        "annual_uplift_percent",
        "uplift_from_year",
        "stated_whole_life_value",
        "notes",
        "reason",
        "version",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.inputs = []  # the page has one submit button below the formsets
        self.fields["strategic_priorities"].required = False
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["subcontractor_names"].initial = "; ".join(
                p.name for p in self.instance.subcontractors.all()
            )

    def clean_subcontractor_names(self) -> list:
        """Each name (or part of one) must match one provider, as the provider box does."""
        names = [" ".join(n.split()) for n in self.cleaned_data["subcontractor_names"].split(";")]
        providers = Provider.objects.order_by("name")
        found = {n: PROVIDERS.find(providers, n) for n in dict.fromkeys(names) if n}
        problems = []
        for name, matches in found.items():
            if not matches:
                problems.append(f"No provider matches “{name}”.")
            elif len(matches) > 1:
                shown = "; ".join(p.name for p in matches[:5])
                more = ", and more" if len(matches) > 5 else ""
                problems.append(f"“{name}” matches several providers ({shown}{more}).")
        if problems:
            raise forms.ValidationError(
                " ".join(problems) + " Enter each provider's name, separated by semicolons."
            )
        return list(dict.fromkeys(matches[0] for matches in found.values()))

    def clean_stated_whole_life_value(self) -> str:
        text = self.cleaned_data["stated_whole_life_value"].strip()
        if text:
            try:
                value = rules.parse_money(text)
            except rules.MoneyError:
                raise forms.ValidationError(
                    f"Enter the stated whole-life value as the report wrote it, for example "
                    f"£4,099,533.88 or £4.1m (“{text}” is unclear)."
                ) from None
            if value < 0:
                raise forms.ValidationError("Enter a stated whole-life value of £0 or more.")
        return text

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("initial_end_date")
        if start and end and end < start:
            self.add_error("initial_end_date", "Enter an end date on or after the start date.")
        terminated = cleaned.get("terminated_on")
        if start and terminated and terminated < start:
            self.add_error("terminated_on", "Enter a termination date on or after the start date.")
        provider = cleaned.get("provider")
        if provider and provider in cleaned.get("subcontractor_names", []):
            self.add_error(
                "subcontractor_names",
                f"{provider} is the lead provider, so it cannot also be a subcontractor.",
            )
        return cleaned


class SubForm(forms.ModelForm):
    """A row of an inline formset, rendered inside the contract form (no submit)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class OptionForm(SubForm):
    months = forms.IntegerField(
        label="Length in months",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"invalid": "Enter the option's length as a whole number of months."},
    )
    price = MoneyField(
        label="Price for the whole option period (optional)",
        required=False,
        help_text="Leave blank to cost it at the annual value with uplift.",
    )
    notice_deadline = UkDateField(label="Notice deadline (optional)", required=False)

    class Meta:
        model = ExtensionOption
        fields = ["months", "price", "notice_deadline"]

    def clean_months(self) -> int:
        months = self.cleaned_data["months"]
        if months is not None and months <= 0:
            raise forms.ValidationError("Enter an option length of at least 1 month.")
        if months is not None and months > MAX_TERM_MONTHS:
            raise forms.ValidationError(
                f"Enter an option length of {MAX_TERM_MONTHS} months or fewer."
            )
        return months


class ShareForm(SubForm):
    authority = LookupField(
        Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        label="Authority",
        error_messages={"required": "Enter the authority that pays this share."},
    )
    percentage = PercentageField(
        label="Percentage (or leave blank)",
        required=False,
        max_digits=7,
        decimal_places=4,
        error_messages={"invalid": "Enter the percentage as a number, for example 48.6."},
    )
    fixed_amount = MoneyField(label="Or a fixed annual amount", required=False)

    class Meta:
        model = CostShare
        fields = ["authority", "percentage", "fixed_amount"]

    def clean(self):
        cleaned = super().clean()
        percentage, amount = cleaned.get("percentage"), cleaned.get("fixed_amount")
        if self.errors:
            return cleaned
        if percentage is None and amount is None:
            self.add_error("percentage", "Enter a percentage or a fixed annual amount.")
        elif percentage is not None and amount is not None:
            self.add_error("fixed_amount", "Enter a percentage or a fixed amount, not both.")
        elif percentage is not None and not 0 < percentage <= 100:
            self.add_error("percentage", "Enter a percentage more than 0 and up to 100.")
        return cleaned


class _RemovableRows(RowFormSet):
    """Labels each saved row's DELETE box "Remove this <noun>" (rendered by crispy)."""

    noun = "row"

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = f"Remove this {self.noun}"


class OptionFormSet(_RemovableRows):
    noun = "option"

    def clean(self):
        super().clean()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.instance.pk:
                continue
            if form.cleaned_data.get("DELETE") and form.instance.status != "pending":
                raise forms.ValidationError(
                    f"Option {form.instance.sequence} has been "
                    f"{form.instance.get_status_display().lower()}, so it cannot be removed."
                )
        kept = [
            form.cleaned_data.get("months") or 0
            for form in self.forms
            if hasattr(form, "cleaned_data") and not form.cleaned_data.get("DELETE")
        ]
        if sum(kept) > MAX_TERM_MONTHS:
            raise forms.ValidationError(options_too_long_message())


class ShareFormSet(_RemovableRows):
    noun = "share"
    annual_value: Decimal | None = None

    def get_unique_error_message(self, unique_check):
        return "An authority is listed twice. Enter one share per authority."

    def clean(self):
        super().clean()
        if any(form.errors for form in self.forms):
            return
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if not kept:
            return  # no shares: the lead authority pays it all
        names = [c["authority"].name for c in kept]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise forms.ValidationError(
                f"{', '.join(duplicates)} is listed twice. Enter one share per authority."
            )
        with_percent = [c for c in kept if c.get("percentage") is not None]
        if with_percent and len(with_percent) != len(kept):
            raise forms.ValidationError(
                "Use percentages for every share, or fixed annual amounts for every share."
            )
        if with_percent:
            errors = rules.validate_percentage_shares(
                {c["authority"].name: c["percentage"] for c in kept}
            )
        elif self.annual_value is None:
            return
        else:
            errors = rules.validate_fixed_shares(
                {c["authority"].name: c["fixed_amount"] for c in kept}, self.annual_value
            )
        if errors:
            raise forms.ValidationError(errors)


OptionFormSetFactory = inline_formset(
    Contract, ExtensionOption, form=OptionForm, formset=OptionFormSet, extra=1, can_delete=True
)
ShareFormSetFactory = inline_formset(
    Contract, CostShare, form=ShareForm, formset=ShareFormSet, extra=2, can_delete=True
)


class OptionDecisionForm(GovukForm):
    submit_label = "Record the decision"

    class Outcome:
        EXERCISE = "exercise"
        DECLINE = "decline"

    outcome = forms.ChoiceField(
        label="Decision",
        choices=[(Outcome.EXERCISE, "Exercise the option"), (Outcome.DECLINE, "Decline it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to exercise or decline the option."},
    )
    decided_on = UkDateField(label="Date of the decision")
    authorising_decision = LookupField(
        Decision.objects.none(),
        lookup=DECISIONS,
        noun="authorising decision",
        suggest=False,  # only the contract's own councils' decisions may be chosen
        required=False,
        label="Authorising decision (optional)",
        help_text="The decision, or delegation under it, that authorises this: its number, "
        "for example 24/00056, or part of its subject. Leave blank if none is recorded.",
    )
    reason = ReasonField(required=True, label="Reason")
    record_anyway = forms.BooleanField(
        required=False,
        label="Record it anyway",
        help_text="Only if the authorising decision has not been taken yet or is dated after "
        "this decision: say why in the reason.",
    )

    def __init__(self, *args, authority_ids=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        decisions = Decision.objects.select_related("authority").order_by("-number")
        if authority_ids is not None:
            # Only the contract's own councils can authorise it.
            decisions = decisions.filter(authority_id__in=authority_ids)
        self.fields["authorising_decision"].queryset = decisions
        set_user(self, user)
        self.fields["reason"].error_messages["required"] = "Enter the reason for the decision."

    def clean(self):
        cleaned = super().clean()
        decision, decided_on = cleaned.get("authorising_decision"), cleaned.get("decided_on")
        if decision is None or decided_on is None:
            return cleaned
        warnings = rules.authorisation_warnings(
            decided_on=decided_on,
            decision_number=decision.number,
            decision_taken=decision.status == Decision.Status.TAKEN,
            decision_date=decision.decision_date,
        )
        if warnings and not cleaned.get("record_anyway"):
            self.add_error(
                "authorising_decision",
                " ".join(warnings) + " Choose a decision already taken, or tick "
                "“Record it anyway” and say why in the reason.",
            )
        return cleaned


class ContractAttachmentForm(attachments.AttachmentForm):
    """Attach a file to a contract (ui.attachments checks its content)."""

    class Meta(attachments.AttachmentForm.Meta):
        model = ContractAttachment
