from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form, rendered with the GOV.UK template pack."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(spellcheck="false")
        self.helper = FormHelper()
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", "Sign in"))
