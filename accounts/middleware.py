import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers

from accounts.roles import is_read_only

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Signing out is a POST that read-only users must still be able to make.
ALWAYS_ALLOWED = ("/accounts/logout/", "/accounts/login/")


class ReadOnlyRoleMiddleware:
    """Refuse every state-changing request from a read-only role (auditors).

    Views check their own permissions too; this is the backstop that makes "an
    auditor changes nothing" true even for a view that forgets.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method not in SAFE_METHODS
            and request.user.is_authenticated
            and request.path not in ALWAYS_ALLOWED
            and is_read_only(request.user)
        ):
            raise PermissionDenied("Your role can read but not change records.")
        return self.get_response(request)


SIGNED_IN_AT = "signed_in_at"


class SessionLifetimeMiddleware:
    """End a session SESSION_ABSOLUTE_LIFETIME (12 hours) after sign-in, however active.

    The sign-in time is stored in the session when the middleware first sees the signed-in
    user (the request that follows signing in), or at sign-in itself (accounts.apps). The
    idle timeout is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds():
                # logout() flushes the session; LoginRequiredMiddleware then asks the
                # now anonymous user to sign in again.
                logout(request)
        return self.get_response(request)


def record_sign_in_time(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: every sign-in (the app's, the admin's) starts the 12 hours."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = int(time.time())


class NoStoreWhenSignedInMiddleware:
    """Cache-Control: no-store on every response to a signed-in user.

    Pages, exports and PDFs show council records; no browser or proxy cache may keep
    them after the user signs out. Anonymous pages (sign-in, static files) are unaffected.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
