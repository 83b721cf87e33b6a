"""/health/ for load balancers and uptime monitors: is this process up, and can it reach
its database?

Answered by a middleware placed first, because a load balancer's probe uses plain HTTP
and the instance's IP address as Host: SecurityMiddleware would redirect it to HTTPS and
the host check (ALLOWED_HOSTS) would refuse it. It needs no sign-in and says nothing
but "ok" or which check failed.
"""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse

HEALTH_PATH = "/health/"

logger = logging.getLogger(__name__)


def health_response() -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            response = health_response()
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
