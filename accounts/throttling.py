"""What a locked-out sign-in sees (django-axes' AXES_LOCKOUT_CALLABLE).

When axes locks out a username and IP address, its backend refuses the sign-in before
any password is checked, so the sign-in form (the app's or the admin's) has already been
shown again with its usual "enter a correct username and password" error. That page is
the answer: the same as for a wrong password or an unknown user, so an attacker learns
neither which accounts exist nor which are locked.
"""

from django.http import HttpResponse


def lockout_response(request, original_response: HttpResponse | None, credentials) -> HttpResponse:
    if original_response is None:  # axes' async path gives none; the app runs under WSGI
        return HttpResponse(status=403)
    return original_response
