import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.utils.cache import add_never_cache_headers

from accounts.roles import is_read_only

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Signing out is a POST that read-only users must still be able to make; so is
# resetting one's own calendar address (accounts.views.calendar), which changes no record.
ALWAYS_ALLOWED = ("/accounts/logout/", "/accounts/login/", "/users/me/calendar/")


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
LAST_SEEN = "last_seen"
# How often activity renews the idle timeout: renewing saves the session, and once a
# minute is precise enough for a 30-minute timeout without a write on every request.
IDLE_RENEWAL_SECONDS = 60


class SessionLifetimeMiddleware:
    """Sign a user out after SESSION_COOKIE_AGE (30 minutes) without a request, and
    SESSION_ABSOLUTE_LIFETIME (12 hours) after signing in, however active.

    Idle: the session (stored with SESSION_COOKIE_AGE to live) is renewed by a request
    at most once a minute, so it expires 29 to 30 minutes after the last request. Absolute:
    the sign-in time is stored at sign-in (accounts.apps), or when the middleware first
    sees a session that has none.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session, now = request.session, int(time.time())
            signed_in_at = session.setdefault(SIGNED_IN_AT, now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds():
                # logout() flushes the session; LoginRequiredMiddleware then asks the
                # now anonymous user to sign in again.
                logout(request)
            elif now - session.get(LAST_SEEN, 0) >= IDLE_RENEWAL_SECONDS:
                session[LAST_SEEN] = now  # saved, with a new expiry, after the response
        return self.get_response(request)


def record_sign_in_time(sender, request, user, **kwargs) -> None:
    """user_logged_in receiver: every sign-in (the app's, the admin's) starts the 12 hours."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = request.session[LAST_SEEN] = int(time.time())


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
