"""Inviting a user: the account is made without a password, and the invitation gives a
link to set one (Django's password reset token, valid for PASSWORD_RESET_TIMEOUT)."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def set_password_url(user, *, base_url: str) -> str:
    """The one-use link to set ``user``'s password (the password reset confirm page)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return base_url.rstrip("/") + path


def send_invitation(user, *, invited_by, base_url: str) -> None:
    """Email ``user`` a link to set a password and sign in (console in development,
    SMTP from the environment in production: commissioning/settings.py)."""
    context = {
        "user": user,
        "invited_by": invited_by.get_full_name() or invited_by.get_username(),
        "url": set_password_url(user, base_url=base_url),
        "service": settings.SERVICE_NAME,
        "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60),
    }
    send_mail(
        subject=f"You have been invited to {settings.SERVICE_NAME}",
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
