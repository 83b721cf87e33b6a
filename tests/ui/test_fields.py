"""The shared form fields (ui.fields): every app reads and shows dates, money and
registration numbers through these."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms

from ui.fields import (
    MoneyField,
    PercentageField,
    UkDateField,
    clean_charity_number,
    clean_company_number,
)


@pytest.mark.parametrize(
    "typed, read",
    [
        ("01/02/2025", date(2025, 2, 1)),
        ("2025-02-01", date(2025, 2, 1)),
        ("01/02/25", date(2025, 2, 1)),
    ],
)
def test_a_date_reads_as_councils_type_it(typed, read):
    assert UkDateField().clean(typed) == read


def test_a_date_shows_as_dd_mm_yyyy_and_says_how_to_type_it():
    field = UkDateField(label="Start date", help_text="The first day.")
    assert field.prepare_value(date(2025, 2, 1)) == "01/02/2025"
    assert field.help_text == "The first day. For example 01/02/2025."
    with pytest.raises(forms.ValidationError, match="Enter a real date. For example 01/02/2025."):
        field.clean("31/02/2025")


@pytest.mark.parametrize(
    "typed, read",
    [("£1,234,567.89", Decimal("1234567.89")), ("£1.2m", Decimal("1200000.00")), ("", None)],
)
def test_money_reads_as_councils_write_it(typed, read):
    assert MoneyField(label="Amount", required=False).clean(typed) == read


@pytest.mark.parametrize(
    "field, typed, message",
    [
        (MoneyField(label="Amount"), "£35,368,00", "Enter amount as an amount in pounds"),
        (MoneyField(label="Price (optional)", required=False), "-5", "Price must be £0 or more."),
    ],
)
def test_money_refuses_a_figure_that_needs_a_guess_or_is_below_zero(field, typed, message):
    with pytest.raises(forms.ValidationError, match=message.replace("(", r"\(")):
        field.clean(typed)


def test_money_may_be_negative_where_allowed_and_shows_with_thousands():
    field = MoneyField(label="Adjustment", allow_negative=True)
    assert field.clean("-£5") == Decimal("-5.00")
    assert field.prepare_value(Decimal("1234.5")) == "1,234.50"


def test_a_percentage_shows_without_trailing_zeros():
    assert PercentageField().prepare_value(Decimal("2.500")) == "2.5"


@pytest.mark.parametrize(
    "typed, kept",
    [(" 1166577 ", "1166577"), ("123456", "123456"), ("1166577-1", "1166577-1"), ("", "")],
)
def test_a_charity_number(typed, kept):
    assert clean_charity_number(typed) == kept


@pytest.mark.parametrize("typed", ["12345", "123456789", "11665A7", "1166577-123"])
def test_not_a_charity_number(typed):
    with pytest.raises(forms.ValidationError, match="6 to 8 digits"):
        clean_charity_number(typed)


@pytest.mark.parametrize(
    "typed, kept",
    [("2580377", "02580377"), ("sc123456", "SC123456"), ("02580377", "02580377"), ("", "")],
)
def test_a_company_number(typed, kept):
    assert clean_company_number(typed) == kept


@pytest.mark.parametrize("typed", ["123456789", "S1234567", "SC12345X"])
def test_not_a_company_number(typed):
    with pytest.raises(forms.ValidationError, match="8 characters"):
        clean_company_number(typed)
