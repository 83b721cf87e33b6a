from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms


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
        self.helper.form_tag = False
        self.helper.label_size = "s"
        self.helper.add_input(Submit("show", "Show", css_class="govuk-button--secondary"))
