import re

from django import forms

from contracts.models import Authority, Provider
from ui.forms import GovukModelForm, ReasonField

CHARITY_NUMBER = re.compile(r"^\d{6,8}(-\d{1,2})?$")
COMPANY_NUMBER = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$")


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
        value = self.cleaned_data["charity_number"].strip()
        if value and not CHARITY_NUMBER.match(value):
            raise forms.ValidationError(
                "Enter a charity number of 6 to 8 digits, for example 1166577."
            )
        return value

    def clean_company_number(self) -> str:
        value = self.cleaned_data["company_number"].strip().upper()
        if value and value.isdigit() and len(value) < 8:
            value = value.zfill(8)
        if value and not COMPANY_NUMBER.match(value):
            raise forms.ValidationError(
                "Enter a company number of 8 characters, for example 02580377 or SC123456."
            )
        return value

    def clean_postcode(self) -> str:
        return self.cleaned_data["postcode"].strip().upper()
