from django.core.exceptions import PermissionDenied

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
