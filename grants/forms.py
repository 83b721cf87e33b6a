from decimal import Decimal

from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Submit
from django import forms
from django.db.models import Sum
from django.forms.models import construct_instance
from django.utils.html import format_html

from contracts.models import Authority, Contract
from decisions.models import Decision
from grants import rules, summaries
from grants.models import (
    ZERO,
    ContractFunding,
    Funder,
    GrantAllocation,
    GrantCommitment,
    GrantProgramme,
    OutboundGrant,
    OutboundGrantProgramme,
)
from ui.fields import (
    MoneyField,
    UkDateField,
    clean_charity_number,
    clean_company_number,
)
from ui.forms import DeleteForm, GovukModelForm, ReasonField
from ui.lookup import (
    AUTHORITIES,
    CONTRACTS,
    DECISIONS,
    FUNDERS,
    MAX_SELECT_OPTIONS,
    OUTBOUND_PROGRAMMES,
    PROGRAMMES,
    LookupField,
    set_user,
)


class FinancialYearField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip()
        if value and (error := rules.financial_year_error(value)):
            raise forms.ValidationError(error)
        return value


def _check_dates(form: forms.Form) -> None:
    start, end = form.cleaned_data.get("start_date"), form.cleaned_data.get("end_date")
    if start and end and end < start:
        form.add_error("end_date", "Enter an end date on or after the start date.")


SHARE_PREFIX = "share_"


class AllocationForm(GovukModelForm):
    """An allocation with one percentage box per authority for its shares."""

    programme = LookupField(
        GrantProgramme.objects.select_related("funder").order_by("name"),
        lookup=PROGRAMMES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Choose a programme",
        error_messages={"required": "Choose the grant programme."},
    )
    authority = LookupField(
        Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        label="Host or recipient authority",
        empty_label="Choose an authority",
        help_text=GrantAllocation.authority.field.help_text,
        error_messages={"required": "Choose the authority that receives or hosts the grant."},
    )
    financial_year = FinancialYearField(
        label="Financial year",
        help_text=GrantAllocation.financial_year.field.help_text,
        error_messages={"required": "Enter the financial year, for example 2024/25."},
    )
    last_financial_year = FinancialYearField(
        label="Last financial year (optional)",
        required=False,
        help_text=GrantAllocation.last_financial_year.field.help_text,
    )
    amount = MoneyField(
        label="Amount", error_messages={"required": "Enter the amount of the allocation."}
    )
    start_date = UkDateField(label="Start date (optional)", required=False)
    end_date = UkDateField(
        label="End date (optional)", required=False, help_text="For example the grant's end."
    )
    deploying_decision = LookupField(
        Decision.objects.select_related("authority").order_by("-number"),
        lookup=DECISIONS,
        noun="deploying decision",
        label="Deploying decision (optional)",
        required=False,
        help_text=GrantAllocation.deploying_decision.field.help_text
        + " Its number, for example 24/00056, or part of its subject.",
    )
    reason = ReasonField()

    class Meta:
        model = GrantAllocation
        fields = [
            "programme",
            "authority",
            "financial_year",
            "last_financial_year",
            "amount",
            "status",
            "conditions",
            "maintain_ph_grant_baseline",
            "start_date",
            "end_date",
            "deploying_decision",
            "notes",
        ]
        widgets = {
            "status": forms.RadioSelect,
            "conditions": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_user(self, user)
        self.authorities = list(Authority.objects.all())
        current = {}
        if self.instance.pk:
            current = {s.authority_id: s.percentage for s in self.instance.shares.all()}
        share_fields = []
        for authority in self.authorities:
            name = f"{SHARE_PREFIX}{authority.pk}"
            self.fields[name] = forms.DecimalField(
                label=format_html("{} (%)", authority.name),
                required=False,
                min_value=Decimal("0"),
                max_value=Decimal("100"),
                decimal_places=4,
                initial=current.get(authority.pk),
                widget=forms.TextInput(
                    attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}
                ),
                error_messages={
                    "invalid": "Enter the share as a percentage, for example 48.6.",
                    # Django fills in %(limit_value)s, so a literal percent sign is %%.
                    "min_value": "Enter a share between 0%% and 100%%.",
                    "max_value": "Enter a share between 0%% and 100%%.",
                },
            )
            share_fields.append(name)
        main = [name for name in self.fields if not name.startswith(SHARE_PREFIX)]
        main.remove("reason")
        self.helper.layout = Layout(
            *[Field(name) for name in main],
            Fieldset(
                HTML(
                    '<p class="govuk-hint">Only for a grant shared between councils, for '
                    "example 48.6 and 51.4. Leave every box blank if the host keeps it all. "
                    "Shares must add up to 100%.</p>"
                ),
                *share_fields,
                legend="Shares between authorities",
                legend_size="s",
            ),
            Field("reason"),
            Submit("submit", self.submit_label),
        )
        self.helper.inputs = []

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if self.instance.pk:
            committed = self.instance.commitments.aggregate(t=Sum("amount"))["t"] or ZERO
            if error := rules.allocation_amount_error(amount, committed):
                raise forms.ValidationError(error)
        return amount

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("financial_year"), cleaned.get("last_financial_year")
        if first and last and last < first:
            self.add_error(
                "last_financial_year", "Enter a last financial year on or after the first."
            )
        _check_dates(self)
        self.shares = {
            authority: cleaned[f"{SHARE_PREFIX}{authority.pk}"]
            for authority in self.authorities
            if cleaned.get(f"{SHARE_PREFIX}{authority.pk}") is not None
        }
        if self.shares:
            errors = rules.validate_percentage_shares(
                {authority.name: percent for authority, percent in self.shares.items()}
            )
            for error in errors:
                first_share = f"{SHARE_PREFIX}{next(iter(self.shares)).pk}"
                self.add_error(first_share, error)
        return cleaned


class ProgrammeForm(GovukModelForm):
    """A funder's grant programme; the funder may be new (named here) or already known."""

    funder = LookupField(
        Funder.objects.order_by("name"),
        lookup=FUNDERS,
        select_up_to=MAX_SELECT_OPTIONS,
        required=False,
        empty_label="A new funder (name it below)",
        help_text="Who gives the money, for example OHID.",
    )
    new_funder = forms.CharField(
        label="New funder's name (only if not in the list)",
        required=False,
        max_length=200,
        help_text="For example Department for Levelling Up, Housing and Communities.",
    )
    new_funder_short_name = forms.CharField(
        label="New funder's short name (optional)",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    reason = ReasonField()

    class Meta:
        model = GrantProgramme
        fields = ["funder", "name", "short_name"]
        labels = {"name": "Programme name", "short_name": "Short name (optional)"}
        error_messages = {"name": {"required": "Enter the programme's name."}}
        widgets = {"short_name": forms.TextInput(attrs={"class": "govuk-input--width-10"})}

    field_order = ["funder", "new_funder", "new_funder_short_name", "name", "short_name"]

    def clean(self):
        cleaned = super().clean()
        funder, new_name = cleaned.get("funder"), cleaned.get("new_funder", "").strip()
        if funder and new_name:
            self.add_error(
                "new_funder", "Choose a funder from the list or name a new one, not both."
            )
        elif not funder and not new_name:
            self.add_error("funder", "Choose the funder, or name a new funder below.")
        elif new_name and Funder.objects.filter(name__iexact=new_name).exists():
            self.add_error(
                "new_funder", f"{new_name} is already a funder: choose it from the list."
            )
        name = cleaned.get("name", "").strip()
        if funder and name and funder.programmes.filter(name__iexact=name).exists():
            self.add_error("name", f"{funder} already has a programme called {name}.")
        return cleaned

    def _post_clean(self):
        # The funder may not exist yet; the view creates it before saving, so the model's
        # own checks (which need a funder) run there.
        if self.cleaned_data.get("funder"):
            super()._post_clean()
        else:
            opts = self._meta
            self.instance = construct_instance(self, self.instance, opts.fields, opts.exclude)


class ProgrammeEditForm(GovukModelForm):
    """Correct a programme's name or short name; its funder stays as it is."""

    reason = ReasonField()

    class Meta:
        model = GrantProgramme
        fields = ["name", "short_name"]
        labels = {"name": "Programme name", "short_name": "Short name (optional)"}
        error_messages = {"name": {"required": "Enter the programme's name."}}
        widgets = {"short_name": forms.TextInput(attrs={"class": "govuk-input--width-10"})}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = self.instance.funder.programmes.exclude(pk=self.instance.pk)
        if others.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                f"{self.instance.funder} already has a programme called {name}."
            )
        return name


class CommitmentForm(GovukModelForm):
    contract = LookupField(
        Contract.objects.order_by("reference"),
        lookup=CONTRACTS,
        required=False,
        label="Contract",
        help_text=GrantCommitment.contract.field.help_text
        + " Its reference, for example KCC-PH-0123, or part of its title or provider.",
    )
    amount = MoneyField(label="Amount", error_messages={"required": "Enter the amount to commit."})
    financial_year = forms.ChoiceField(
        label="Financial year", help_text=GrantCommitment.financial_year.field.help_text
    )
    reason = ReasonField()

    class Meta:
        model = GrantCommitment
        fields = ["contract", "service_name", "financial_year", "amount", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, allocation: GrantAllocation, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.allocation = allocation
        self.allocation = allocation
        years = allocation.financial_years
        self.fields["financial_year"].choices = [(year, year) for year in years]
        self.fields["financial_year"].initial = years[0]
        if len(years) == 1:
            self.fields["financial_year"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("contract") and not cleaned.get("service_name", "").strip():
            self.add_error(
                "contract", "Choose a contract, or enter the service the money pays for."
            )
        amount = cleaned.get("amount")
        if amount is not None:
            others = self.allocation.commitments.exclude(pk=self.instance.pk).aggregate(
                t=Sum("amount")
            )["t"]
            error = rules.commitment_error(self.allocation.amount, [others or ZERO], amount)
            if error:
                self.add_error("amount", error)
        return cleaned


class ContractFundingForm(GovukModelForm):
    source = forms.ChoiceField(
        choices=ContractFunding.Source.choices,
        widget=forms.RadioSelect,
        help_text="Grant money is added from the grant's allocation page, as a commitment.",
    )
    financial_year = FinancialYearField(
        label="Financial year",
        help_text=ContractFunding.financial_year.field.help_text,
        error_messages={"required": "Enter the financial year, for example 2024/25."},
    )
    authority = LookupField(
        Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        required=False,
        empty_label="Not applicable",
        label="Authority (optional)",
        help_text=ContractFunding.authority.field.help_text,
    )
    amount = MoneyField(label="Amount", error_messages={"required": "Enter the amount."})
    reason = ReasonField()

    class Meta:
        model = ContractFunding
        fields = ["source", "financial_year", "authority", "contributor", "amount", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contract = contract

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        contributor = cleaned.get("contributor", "").strip()
        if source == ContractFunding.Source.CONTRIBUTION and not contributor:
            self.add_error("contributor", "Enter who makes the contribution, for example the PCC.")
        if source == ContractFunding.Source.PUBLIC_HEALTH_GRANT:
            cleaned["contributor"] = ""
        return cleaned


class OutboundGrantForm(GovukModelForm):
    programme = LookupField(
        OutboundGrantProgramme.objects.select_related("authority").order_by("name"),
        lookup=OUTBOUND_PROGRAMMES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Choose a programme",
        error_messages={"required": "Choose the grants programme."},
    )
    amount = MoneyField(label="Amount awarded", error_messages={"required": "Enter the amount."})
    award_date = UkDateField(
        label="Award date",
        help_text=OutboundGrant.award_date.field.help_text,
        error_messages={"required": "Enter the award date.", "invalid": "Enter a real date."},
    )
    start_date = UkDateField(label="Start date (optional)", required=False)
    end_date = UkDateField(label="End date (optional)", required=False)
    reason = ReasonField()

    class Meta:
        model = OutboundGrant
        fields = [
            "programme",
            "reference",
            "title",
            "purpose",
            "recipient_name",
            "recipient_charity_number",
            "recipient_company_number",
            "amount",
            "award_date",
            "start_date",
            "end_date",
            "location",
        ]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError("Enter an amount greater than £0.")
        return amount

    def clean_recipient_charity_number(self) -> str:
        return clean_charity_number(self.cleaned_data["recipient_charity_number"])

    def clean_recipient_company_number(self) -> str:
        return clean_company_number(self.cleaned_data["recipient_company_number"])

    def clean(self):
        cleaned = super().clean()
        _check_dates(self)
        return cleaned


class WarningDeleteForm(DeleteForm):
    """The shared delete form, with its own warning button: the grants page has no other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.add_input(Submit("submit", "Yes, delete it", css_class="govuk-button--warning"))


class SummaryForm(forms.Form):
    """The filters of a summary page. Bad values are shown as errors, never a 500."""

    authority = LookupField(
        Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        required=False,
        empty_label="All authorities",
    )
    from_year = forms.CharField(label="From financial year", required=False, max_length=7)
    to_year = forms.CharField(label="To financial year", required=False, max_length=7)
    units = forms.ChoiceField(
        label="Show amounts in",
        choices=[(summaries.POUNDS, "Pounds and pence"), (summaries.THOUSANDS, "£000s")],
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        for name in ("from_year", "to_year"):
            value = (cleaned.get(name) or "").strip()
            if value and (error := rules.financial_year_error(value)):
                self.add_error(name, error)
            cleaned[name] = value
        first, last = cleaned.get("from_year"), cleaned.get("to_year")
        if first and last and last < first and not self.errors:
            self.add_error("to_year", "Enter a financial year on or after the first.")
        return cleaned
