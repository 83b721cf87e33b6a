from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib.auth import get_user_model

from audit.feed import ACTIONS, record_type_choices
from ui.lookup import USERS, LookupField


class AsOfForm(forms.Form):
    """The date at whose end a record's history page shows the record."""

    as_of = forms.DateField(
        label="See this record as it stood on a date",
        help_text="The record at the end of that day.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter a real date, for example 2025-02-01."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["as_of"].widget.attrs["class"] = "govuk-input--width-10"
        self.helper = FormHelper()
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.form_tag = False
        self.helper.label_size = "s"
        self.helper.add_input(Submit("show", "Show", css_class="govuk-button--secondary"))


class ChangesFilterForm(forms.Form):
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # A council has hundreds of users, so they are looked up by name, not listed.
    user = LookupField(
        get_user_model().objects.order_by("first_name", "last_name", "username"),
        lookup=USERS,
        label="Changed by",
        required=False,
        help_text="Their name or username. Leave blank for anyone.",
    )
    record_type = forms.ChoiceField(label="Record type", required=False)
    action = forms.ChoiceField(
        label="Action", required=False, choices=[("", "Any")] + list(ACTIONS.items())
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", "Any")] + record_type_choices(user)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned
