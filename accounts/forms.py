from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Submit
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import ADMINISTRATOR, CAN_DO, ROLES
from ui.forms import GovukModelForm, ReasonField


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


NO_ROLE = ""
ROLE_CHOICES = [(NO_ROLE, "No role (cannot read records)"), *((r, r) for r in ROLES)]


class UserForm(GovukModelForm):
    """An administrator's form for a user: who they are, their role and clearance, and
    whether they may still sign in. The reason goes into the user's history."""

    role = forms.ChoiceField(
        choices=ROLE_CHOICES,
        help_text="What the user may do: " + "; ".join(f"{r}: {CAN_DO[r]}" for r in ROLES) + ".",
    )
    reason = ReasonField(
        required=True, help_text="Recorded in the user's history, for example who asked for it."
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "job_title",
            "role",
            "cleared_for_exempt",
            "is_active",
            "reason",
        ]
        labels = {"is_active": "Can sign in", "email": "Email address"}
        help_texts = {
            "is_active": "Untick for a leaver. The user is kept, with everything they did, "
            "but cannot sign in.",
            "email": "Invitations and password resets are sent here.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].error_messages["required"] = "Enter the user's email address."
        self.fields["first_name"].required = True
        self.fields["first_name"].error_messages["required"] = "Enter the user's first name."
        self.fields["last_name"].required = True
        self.fields["last_name"].error_messages["required"] = "Enter the user's last name."
        self.fields["reason"].error_messages["required"] = (
            "Enter the reason for the change, for example the request that asked for it."
        )
        if self.instance.pk:
            role = self.instance.role
            self.initial["role"] = role if role in ROLES else NO_ROLE
        else:
            del self.fields["is_active"]  # a new user is invited, and active
            self.helper.inputs[0].value = "Send the invitation"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"])
        clash = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("Another user has this email address.")
        return email

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.is_superuser and cleaned.get("role") != ADMINISTRATOR:
            self.add_error(
                "role", "This user is a superuser: their role is Administrator in any case."
            )
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        role = self.cleaned_data["role"]
        self.instance.groups.set(Group.objects.filter(name=role) if role else [])


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form (which says the same whether or not the address is known), in the
    GOV.UK template pack. An invited user who has not set a password yet may use it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.helper = FormHelper()
        self.helper.disable_csrf = True
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", "Send the link"))

    def get_users(self, email):
        # Django skips users without a usable password; an invited user has none yet.
        return User._default_manager.filter(email__iexact=email, is_active=True)


class SetPasswordForm(auth_forms.SetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.disable_csrf = True
        self.helper.form_tag = False
        self.helper.add_input(Submit("submit", "Set the password"))
