"""Shared fixtures. Role fixtures say what each user may do:

- commissioner: edits contracts, providers, authorities and grants; reads decisions.
- clerk: edits decisions and makes their PDFs; reads contracts and grants.
  Cleared for exempt information.
- auditor: reads everything and its history; every change is refused (403).
- outsider: signed in but has no role: reads nothing, changes nothing.
"""

import pytest
from django.test import Client

from accounts.roles import AUDITOR, CLERK, COMMISSIONER, ensure_roles
from tests.accounts.factories import UserFactory


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Production hashes static files at collectstatic; tests read them from the source."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path_factory):
    """MEDIA_ROOT is a temporary directory, never the repository (attachment_storage
    below keeps the stored files themselves in memory)."""
    root = tmp_path_factory.getbasetemp() / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def roles(db):
    ensure_roles()


@pytest.fixture
def commissioner(roles):
    return UserFactory(username="commissioner", role=COMMISSIONER)


@pytest.fixture
def clerk(roles):
    return UserFactory(username="clerk", role=CLERK, cleared_for_exempt=True)


@pytest.fixture
def auditor(roles):
    return UserFactory(username="auditor", role=AUDITOR)


@pytest.fixture
def outsider(roles):
    return UserFactory(username="outsider")


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def commissioner_client(commissioner):
    return _client_for(commissioner)


@pytest.fixture
def clerk_client(clerk):
    return _client_for(clerk)


@pytest.fixture
def auditor_client(auditor):
    return _client_for(auditor)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


# History tables are append-only: PostgreSQL triggers refuse UPDATE, DELETE and
# TRUNCATE on them (audit.models.append_only_triggers). Transactional tests
# (``transaction=True``) end with a flush, which TRUNCATEs every table; this is the one
# place the triggers are lifted, for that flush only, whoever writes such a test.
# Production code never lifts them.
@pytest.fixture(autouse=True, scope="session")
def flush_lifts_history_triggers():
    import pgtrigger
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown
    truncate_triggers = [
        trigger.get_uri(model)
        for model, trigger in pgtrigger.registered()
        if trigger.name == "history_no_truncate"
    ]

    def teardown_with_triggers_lifted(self):
        with pgtrigger.ignore(*truncate_triggers):
            return original(self)

    TransactionTestCase._fixture_teardown = teardown_with_triggers_lifted
    yield
    TransactionTestCase._fixture_teardown = original


# Stored figures (contracts.figures): after every test that used the database, each
# contract's stored figures must agree with figures_for, so any path that writes a
# contract, option or share without storing its figures fails the test that took it.
# Tests that make figures stale on purpose opt out with @pytest.mark.stale_figures_allowed.
_DB_FIXTURES = (
    "transactional_db",
    "db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
)


@pytest.fixture(autouse=True)
def stored_figures_agree(request):
    marker = request.node.get_closest_marker("django_db")
    wanted = [name for name in _DB_FIXTURES if name in request.fixturenames]
    if marker is None and not wanted:
        yield
        return
    if wanted:
        # Set the database up before this fixture, so it is torn down after the check.
        request.getfixturevalue(wanted[0])
    yield
    if request.node.get_closest_marker("stale_figures_allowed"):
        return
    from django.db import connection

    from contracts.figures import stale_figures

    if connection.needs_rollback or connection.connection is None:
        return
    stale = stale_figures()
    assert stale == [], f"stored figures disagree with figures_for for contracts {stale}"


# django-axes (sign-in throttling) needs the request in authenticate() to know the IP
# address, and Client.login() passes none. Tests may call client.login() as usual: it
# passes an empty request, as axes' documentation advises for tests. force_login() does
# not authenticate and needs nothing.
_client_login = Client.login


def _login_with_a_request(self, **credentials):
    from django.http import HttpRequest

    credentials.setdefault("request", HttpRequest())
    return _client_login(self, **credentials)


Client.login = _login_with_a_request


# --- Value bounds: hypothesis profiles (tests/contracts/test_properties.py) -------------
# The suite runs derandomized, so CI sees the same examples every run and a failure is
# reproducible; HYPOTHESIS_PROFILE=explore draws new examples (and remembers failures).
def _hypothesis_profiles() -> None:
    import os

    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("ci", derandomize=True, database=None, deadline=None)
    hypothesis_settings.register_profile("explore", deadline=None)
    hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


_hypothesis_profiles()


@pytest.fixture(autouse=True)
def attachment_storage(settings, private_media_root):
    """Stored files (attachments, issued documents) are kept in memory, one store per
    test: no test writes to disk, and none sees another's files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.InMemoryStorage",
            "OPTIONS": {"location": private_media_root},
        },
    }
    from django.core.files.storage import default_storage

    return default_storage
