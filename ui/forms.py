from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from audit.versioning import VersionedFormMixin


class GovukForm(forms.Form):
    """A form rendered with the GOV.UK template pack (see templates/includes/form.html)."""

    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", self.submit_label))


class GovukModelForm(VersionedFormMixin, forms.ModelForm):
    """A model form rendered with the GOV.UK template pack. It carries the version it
    was opened with, so saving it is refused if someone saved the record meanwhile."""

    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.form_tag = False
        # A layout lists the visible fields; the hidden version must come along too.
        self.helper.render_hidden_fields = True
        self.helper.add_input(Submit("submit", self.submit_label))


class ReasonField(forms.CharField):
    """The optional reason for a change, kept in the record's history."""

    def __init__(self, required: bool = False, **kwargs):
        kwargs.setdefault("label", "Reason for the change" + ("" if required else " (optional)"))
        kwargs.setdefault(
            "help_text", "Recorded in the history, for example the decision that authorises it."
        )
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        kwargs.setdefault("max_length", 1000)
        super().__init__(required=required, **kwargs)


class DeleteForm(forms.Form):
    """Confirms a deletion, with the optional reason kept in the record's history.
    The template supplies the warning button and the cancel link."""

    reason = ReasonField(
        label="Reason for deleting (optional)",
        help_text="Recorded in the history with the deletion.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
