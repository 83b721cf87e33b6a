"""The form fields every app's forms use for dates, money and percentages: one home, so
that every form reads, shows and refuses a figure alike.

The widgets are plain TextInputs: the GOV.UK template pack styles widgets by class name
(error state included) and leaves <input type="date"> and its subclasses unstyled.
"""

import re
from datetime import date
from decimal import Decimal

from django import forms

from ui.money import MoneyError, parse_money

# What a date may be typed as: 01/02/2025, 2025-02-01 (as a browser or a copy from a
# spreadsheet gives it) or 01/02/25.
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y")
DATE_HINT = "For example 01/02/2025."


class UkDateField(forms.DateField):
    """A date typed as dd/mm/yyyy, shown as 01/02/2025, with a hint and a message that
    says how to type it."""

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_FORMATS)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-10"}))
        kwargs["help_text"] = " ".join(filter(None, [kwargs.get("help_text", ""), DATE_HINT]))
        kwargs.setdefault("error_messages", {"invalid": f"Enter a real date. {DATE_HINT}"})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        return super().prepare_value(value)


class MoneyField(forms.CharField):
    """An amount as councils write it (£1,234,567.89, £1.2m, £800k), read by
    contracts.rules.parse_money so that forms and imports agree on what a figure means,
    and shown as 1,234,567.89."""

    def __init__(self, *, required: bool = True, allow_negative: bool = False, **kwargs):
        self.allow_negative = allow_negative
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-10"}))
        super().__init__(required=required, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:,.2f}"
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        name = str(self.label).removesuffix(" (optional)")
        try:
            amount = parse_money(text)
        except MoneyError as error:
            raise forms.ValidationError(
                f"Enter {name.lower()} as an amount in pounds, for example £803,671.80 "
                f"or £1.2m (“{text}” is unclear)."
            ) from error
        if amount < 0 and not self.allow_negative:
            raise forms.ValidationError(f"{name} must be £0 or more.")
        return amount


class PercentageField(forms.DecimalField):
    """A percentage or other small decimal in a text box, shown without trailing zeros
    (2.5, not 2.500)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "decimal"}),
        )
        super().__init__(*args, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return value


# --- Registration numbers -------------------------------------------------------------

# A charity in England and Wales: 6 to 8 digits, and a subsidiary's "-1" (Charity
# Commission); a company: 8 digits, or 2 letters and 6 digits (Companies House: SC, NI).
CHARITY_NUMBER = re.compile(r"^\d{6,8}(-\d{1,2})?$")
COMPANY_NUMBER = re.compile(r"^([0-9]{8}|[A-Z]{2}[0-9]{6})$")


def clean_charity_number(value: str) -> str:
    """A charity number as typed, trimmed; a form error if it is not one."""
    value = (value or "").strip()
    if value and not CHARITY_NUMBER.match(value):
        raise forms.ValidationError("Enter a charity number of 6 to 8 digits, for example 1166577.")
    return value


def clean_company_number(value: str) -> str:
    """A company number in capitals, padded to 8 digits ("2580377" is 02580377); a form
    error if it is not one."""
    value = (value or "").strip().upper()
    if value.isdigit() and len(value) < 8:
        value = value.zfill(8)
    if value and not COMPANY_NUMBER.match(value):
        raise forms.ValidationError(
            "Enter a company number of 8 characters, for example 02580377 or SC123456."
        )
    return value
