"""The deploy path: /health/ for a load balancer, the HTTPS settings and check --deploy."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_answers_200_with_a_short_json_body_without_signing_in(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_health_is_not_redirected_to_https(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client()
    assert client.get("/health/").status_code == 200
    # The same request to any other page is redirected: the setting is really on.
    other = client.get("/accounts/login/")
    assert other.status_code == 301
    assert other["Location"].startswith("https://")


def test_health_answers_a_probe_that_uses_the_instance_ip_as_host(settings):
    settings.ALLOWED_HOSTS = ["commissioning.example.gov.uk"]
    client = Client(HTTP_HOST="10.0.3.17:8000")
    assert client.get("/health/").status_code == 200
    # The host check still refuses that Host everywhere else.
    assert client.get("/accounts/login/").status_code == 400


# The database is "down" until monkeypatch undoes it, which may be after the autouse
# stored-figures check has run; that check has nothing to read here.
@pytest.mark.stale_figures_allowed
def test_health_answers_503_when_the_database_does_not(client, monkeypatch):
    from ui import health

    class BrokenCursor:
        def __enter__(self):
            raise DatabaseError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: BrokenCursor())
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "error"


def test_https_settings_are_on_by_default_when_debug_is_off():
    # The suite runs with DEBUG off and only SECURE_SSL_REDIRECT switched off (pyproject).
    assert settings.DEBUG is False
    assert settings.SECURE_HSTS_SECONDS >= 31_536_000
    assert settings.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_a_request_the_proxy_marks_https_gets_hsts(client):
    response = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert "max-age=31536000" in response["Strict-Transport-Security"]
    assert "includeSubDomains" in response["Strict-Transport-Security"]


def _check_deploy(env: dict) -> subprocess.CompletedProcess:
    base = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "false",
        "SECRET_KEY": "k" * 20 + "-deploy-check-only-0123456789-abcdefgh",
        "ALLOWED_HOSTS": "commissioning.example.gov.uk",
        "DATABASE_URL": settings.DATABASE_URL,
        "HISTORY_HMAC_KEY": "h" * 40,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_only_the_documented_variables():
    result = _check_deploy({})
    assert result.returncode == 0, result.stderr


def test_a_proxy_switch_silences_only_its_own_deploy_check():
    # SECURE_HSTS_SECONDS=0 and SECURE_SSL_REDIRECT=false say the proxy does those.
    proxy_does_both = {"SECURE_HSTS_SECONDS": "0", "SECURE_SSL_REDIRECT": "false"}
    assert _check_deploy(proxy_does_both).returncode == 0
    # Anything else that weakens the deploy is still reported.
    result = _check_deploy({"SECURE_COOKIES": "false"})
    assert result.returncode != 0
    assert "security.W012" in result.stderr
