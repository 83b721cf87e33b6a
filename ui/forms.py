from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms

from audit.versioning import VersionedFormMixin, VersionField, is_versioned


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

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The version the page was opened with: the delete is refused if the record
        # was saved since (audit.versioning.VersionedModel.delete).
        self.instance = instance
        if is_versioned(type(instance)):
            self.fields["version"] = VersionField(initial=instance.version)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("version") is not None:
            self.instance.version = cleaned["version"]
        return cleaned


# A contract has a handful of options and shares; 50 rows is far more than any needs, and
# caps what a forged ``-TOTAL_FORMS=100000`` makes the server build (2,000 forms, 4 MB, 8 s
# before this cap): above it the formset answers "Submit at most 50" without building them.
MAX_FORMSET_ROWS = 50
# The name of the submit button that adds a blank row to a formset without JavaScript:
# its value is the formset's prefix ("Add another authority" posts ``_add=shares``).
ADD_ROW = "_add"


def with_another_row(data, prefix: str):
    """A copy of posted ``data`` with one more row in the formset ``prefix``, up to
    MAX_FORMSET_ROWS: the page is shown again with what was typed and a blank row."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0  # a forged count: the formset reports it when the form is saved
    data[key] = str(min(max(total, 0) + 1, MAX_FORMSET_ROWS))
    return data


def without_errors(*forms_and_formsets) -> None:
    """Show bound forms and formsets as typed, without validating them: adding a row is
    not a save, so half-filled rows get no errors yet."""
    for item in forms_and_formsets:
        if isinstance(item, forms.BaseFormSet):
            item._non_form_errors = forms.utils.ErrorList()
            item._errors = []
            for form in item.forms:
                form._errors = forms.utils.ErrorDict()
        else:
            item._errors = forms.utils.ErrorDict()


class RowFormSet(forms.BaseInlineFormSet):
    """The base of every inline formset: a row's id must be one of the parent's own rows.

    Django checks a posted row id against every row of the model, so a row carrying
    another contract's option id passed validation and then saved a duplicate (a 500 on
    the unique constraint). Here it is the "Select a valid choice" error on that row. A
    new row (past ``INITIAL_FORMS``) may carry no id at all, not even one of the parent's.
    An existing row must carry the id of the row shown at its place: two rows naming one
    record, or rows swapped, would renumber into each other (a 500 on the unique
    sequence) and are "Select a valid choice" too.
    """

    def add_fields(self, form, index):
        super().add_fields(form, index)
        pk_name = self.model._meta.pk.name
        if pk_name in form.fields and isinstance(form.fields[pk_name], forms.ModelChoiceField):
            own = self.get_queryset()
            if index is None or not self.is_bound:
                form.fields[pk_name].queryset = own
                return
            rows = list(own)  # the formset's queryset is evaluated once, then cached
            shown = rows[index].pk if index < min(len(rows), self.initial_form_count()) else None
            form.fields[pk_name].queryset = own.filter(pk=shown) if shown else own.none()


def inline_formset(parent, model, *, form, formset=RowFormSet, **kwargs):
    """``inlineformset_factory`` with the project's caps: use it for every inline formset."""
    if not issubclass(formset, RowFormSet):
        raise TypeError("Inline formsets derive from ui.forms.RowFormSet.")
    return forms.inlineformset_factory(
        parent,
        model,
        form=form,
        formset=formset,
        max_num=MAX_FORMSET_ROWS,
        absolute_max=MAX_FORMSET_ROWS,
        validate_max=True,
        **kwargs,
    )
