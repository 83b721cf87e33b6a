"""The one import pipeline (ui/imports.py): upload → preview → confirm → (background) run,
the progress page, and the batched writes with the history a save would write."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts import csv_format
from contracts.models import Authority, Contract, CostShare, ExtensionOption, Provider
from tests.accounts.factories import UserFactory
from ui import imports
from ui.models import ImportJob

pytestmark = pytest.mark.django_db

HEADER = ",".join(csv_format.COLUMNS)


def _row(n: int, *, value: str = "100000", lead: str = "Kent County Council") -> str:
    shares = '"Kent County Council=40%;Medway Council=60%"' if n % 2 else ""
    return (
        f"IMP-{n:04d},Service {n},,drug_alcohol,Provider {n % 3},{lead},{shares},"
        f"2025-04-01,2027-03-31,24+12,{n % 2},{value},1,2,open,"
    )


def _csv(rows: int, **kwargs) -> str:
    return "\n".join([HEADER, *(_row(n, **kwargs) for n in range(rows))]) + "\n"


def _upload(client, text: str, url: str = "contracts:import", name: str = "contracts.csv"):
    return client.post(
        reverse(url), {"file": SimpleUploadedFile(name, text.encode(), content_type="text/csv")}
    )


def _history_rows() -> int:
    return sum(
        m.history.count() for m in (Contract, ExtensionOption, CostShare, Authority, Provider)
    )


@pytest.fixture
def in_background(monkeypatch):
    """Every confirmed import runs as a task (tests run tasks at once: TASKS_IMMEDIATE)."""
    monkeypatch.setattr(imports, "INLINE_ROWS", 0)


def _confirm(client, preview, django_capture_on_commit_callbacks, url="contracts:import"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse(url), {"confirm": "1", "token": preview.context["token"]})


# --- The flow ----------------------------------------------------------------------------


def test_an_upload_is_kept_in_the_database_not_the_session(commissioner_client, commissioner):
    preview = _upload(commissioner_client, _csv(3))
    job = ImportJob.objects.get()
    assert preview.context["token"] == str(job.pk)
    assert (job.status, job.rows_total, job.created_by) == ("checked", 3, commissioner)
    assert job.counts == {"added": 3, "updated": 0, "unchanged": 0}
    assert job.text.startswith(HEADER)
    assert not any("import" in key for key in commissioner_client.session.keys())  # noqa: SIM118
    assert not Contract.objects.exists()


def test_a_large_import_runs_as_a_task_and_its_page_shows_the_result(
    commissioner_client, commissioner, in_background, django_capture_on_commit_callbacks
):
    preview = _upload(commissioner_client, _csv(4))
    assert "runs in the background" in preview.content.decode()
    response = _confirm(commissioner_client, preview, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "import_job", args=[job.pk]
    )
    assert (job.status, job.rows_done, job.rows_total) == ("done", 4, 4)
    assert job.counts == {"added": 4, "updated": 0, "unchanged": 0}
    assert job.text == ""  # the file is not kept once imported
    page = commissioner_client.get(response["Location"]).content.decode()
    assert "4 added, 0 updated, 0 unchanged" in page
    assert 'http-equiv="refresh"' not in page
    contract = Contract.objects.get(reference="IMP-0001")
    latest = contract.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        commissioner,
        "Imported from contracts.csv",
    )
    assert latest.history_user_name == commissioner.get_full_name()


def test_a_confirmation_is_only_its_owners_and_only_once(
    commissioner_client, roles, django_capture_on_commit_callbacks
):
    from accounts.roles import COMMISSIONER
    from tests.conftest import _client_for

    preview = _upload(commissioner_client, _csv(2))
    other = _client_for(UserFactory(username="other", role=COMMISSIONER))
    response = _confirm(other, preview, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == reverse("contracts:import")
    assert not Contract.objects.exists()
    assert _confirm(commissioner_client, preview, django_capture_on_commit_callbacks)[
        "Location"
    ] == reverse("contracts:list")
    again = _confirm(commissioner_client, preview, django_capture_on_commit_callbacks)
    assert again["Location"] == reverse("contracts:import")  # expired: nothing twice
    assert Contract.objects.count() == 2


@pytest.mark.parametrize("token", ["", "not-a-uuid", "608df3cd-c630-4dee-8caa-c6174770bb9a"])
def test_a_forged_token_is_an_expired_preview_not_an_error(commissioner_client, token):
    response = commissioner_client.post(
        reverse("contracts:import"), {"confirm": "1", "token": token}
    )
    assert response.status_code == 302


def test_errors_name_the_line_and_the_column_and_nothing_is_kept(commissioner_client):
    text = (
        _csv(3)
        .replace("IMP-0001,Service 1,", "IMP-0001,,")
        .replace(
            "IMP-0002,Service 2,,drug_alcohol,Provider 2,Kent County Council,,2025-04-01",
            "IMP-0002,Service 2,,drug_alcohol,Provider 2,Kent County Council,,2025-13-01",
        )
    )
    response = _upload(commissioner_client, text)
    html = response.content.decode().replace("&quot;", '"')
    assert "The file was not imported: 2 problems" in html
    assert "line 3: title is empty" in html
    assert 'line 4: start_date "2025-13-01" is not a date' in html
    assert not ImportJob.objects.exists() and not Contract.objects.exists()


def test_the_same_rules_for_both_imports(commissioner_client):
    """Size limit, encodings and count keys are the pipeline's, not each app's."""
    windows = (_csv(1).replace("Service 0", "Café service")).encode("cp1252")
    junk = b"\x81\x8d\x8f\x90\x9d"  # neither UTF-8 nor Windows-1252
    for url in ("contracts:import", "grants:import"):
        upload = SimpleUploadedFile("w.csv", windows, content_type="text/csv")
        response = commissioner_client.post(reverse(url), {"file": upload})
        assert "saved as text" not in response.content.decode(), url  # cp1252 is read
        upload = SimpleUploadedFile("w.csv", junk, content_type="text/csv")
        response = commissioner_client.post(reverse(url), {"file": upload})
        assert "saved as text" in response.content.decode(), url
    assert imports.UploadForm.MAX_BYTES == 5 * 1024 * 1024
    grants = (
        "funder,programme,recipient_authority,financial_year,amount,status,shares,conditions\n"
        "OHID,SSMTRG,Kent County Council,2024/25,1000,confirmed,,\n"
    )
    preview = _upload(commissioner_client, grants, url="grants:import", name="g.csv")
    assert preview.context["counts"] == {"added": 1, "updated": 0, "unchanged": 0}


# --- All or nothing, history, no empty writes ----------------------------------------------


def test_a_failure_part_way_saves_nothing_and_the_job_says_so(
    commissioner_client, in_background, monkeypatch, django_capture_on_commit_callbacks
):
    preview = _upload(commissioner_client, _csv(4))
    before = _history_rows()
    real = csv_format.bulk_create_with_history

    def fail_on_shares(objs, **kwargs):
        objs = list(objs)
        if objs and isinstance(objs[0], CostShare):
            raise RuntimeError("the database went away")
        return real(objs, **kwargs)

    monkeypatch.setattr(csv_format, "bulk_create_with_history", fail_on_shares)
    response = _confirm(commissioner_client, preview, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert job.errors == ["Nothing was imported: the import stopped on an unexpected error."]
    # The contracts and options were written before the shares failed: all rolled back.
    assert not Contract.objects.exists() and not ExtensionOption.objects.exists()
    assert _history_rows() == before
    page = commissioner_client.get(response["Location"]).content.decode()
    assert "Nothing has been saved" in page and 'http-equiv="refresh"' not in page


def test_reimporting_an_unchanged_file_writes_no_history(
    commissioner_client, in_background, django_capture_on_commit_callbacks
):
    for _ in range(2):
        preview = _upload(commissioner_client, _csv(6))
        if Contract.objects.exists():
            assert preview.context["counts"] == {"added": 0, "updated": 0, "unchanged": 6}
            before, versions = _history_rows(), list(Contract.objects.values_list("version"))
        _confirm(commissioner_client, preview, django_capture_on_commit_callbacks)
    assert ImportJob.objects.first().counts == {"added": 0, "updated": 0, "unchanged": 6}
    assert _history_rows() == before
    assert list(Contract.objects.values_list("version")) == versions


def test_a_batched_update_writes_the_history_a_save_would(commissioner):
    csv_format.apply(csv_format.parse(_csv(2)), reason="first", user=commissioner)
    contract = Contract.objects.get(reference="IMP-0001")
    text = (
        _csv(2)
        .replace("IMP-0001,Service 1,", "IMP-0001,Renamed,")
        .replace("Medway Council=60%", "Swale Council=60%")
    )
    counts = csv_format.apply(csv_format.parse(text), reason="second", user=commissioner)
    assert counts == {"added": 0, "updated": 1, "unchanged": 1}
    contract.refresh_from_db()
    assert contract.version == 2
    latest = contract.history.latest()
    assert latest.changes == {"title": ["Service 1", "Renamed"]}
    assert (latest.history_change_reason, latest.history_user) == ("second", commissioner)
    gone = CostShare.history.filter(history_type="-").get()
    added = CostShare.history.filter(history_type="+", authority__name="Swale Council").get()
    assert gone.history_change_reason == added.history_change_reason == "second"
    assert added.changes["percentage"] == [None, "60.00"]
    from audit.chain import verify_all

    assert verify_all() == []


def _apply_queries(rows: int, prefix: str, value: str = "100000") -> int:
    text = _csv(rows, value=value).replace("IMP-", prefix)
    with CaptureQueriesContext(connection) as queries:
        csv_format.apply(csv_format.parse(text), reason="count")
    return len(queries)


def test_the_queries_of_an_import_do_not_grow_with_its_rows():
    # PostgreSQL inserts a batch in one statement; SQLite's limit of 999 parameters a
    # statement splits the wider history inserts of 40 rows in two (still batches).
    slack = 0 if connection.vendor == "postgresql" else 4
    _apply_queries(3, "WARM-")  # the authorities and providers exist from here on
    few, many = _apply_queries(2, "FEW-"), _apply_queries(40, "MANY-")  # added
    assert few <= many <= few + slack, (few, many)
    _apply_queries(40, "UPD-", value="1")
    few, many = _apply_queries(2, "UPD-", value="2"), _apply_queries(40, "UPD-", value="3")
    assert few <= many <= few + slack, (few, many)


# --- The progress page ---------------------------------------------------------------------


def _job(user, **values) -> ImportJob:
    return ImportJob.objects.create(
        importer="contracts",
        file_name="big.csv",
        rows_total=10_000,
        created_by=user,
        **values,
    )


def test_a_running_import_refreshes_itself_without_script_and_shows_its_progress(
    commissioner_client, commissioner
):
    job = _job(commissioner, status="running", rows_done=2500)
    page = commissioner_client.get(reverse("import_job", args=[job.pk]))
    html = page.content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Checked 2,500 of 10,000 rows (25%)" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert "script-src 'self'" in page["Content-Security-Policy"]  # a meta refresh is not script
    job.rows_done = 10_000
    job.save()
    html = commissioner_client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "All 10,000 rows checked; saving them." in html


def test_a_failed_import_lists_its_errors_by_line(commissioner_client, commissioner):
    errors = ["line 3: title is empty", 'line 9: annual_value: Cannot read "£2,45M"']
    job = _job(commissioner, status="failed", errors=errors)
    html = commissioner_client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "The file was not imported: 2 problems" in html
    assert "line 3: title is empty" in html and "line 9: annual_value" in html
    assert 'http-equiv="refresh"' not in html


def test_only_its_owner_or_staff_see_an_import(commissioner, clerk_client, auditor_client, client):
    job = _job(commissioner, status="queued")
    url = reverse("import_job", args=[job.pk])
    assert clerk_client.get(url).status_code == 404
    assert auditor_client.get(url).status_code == 404
    assert client.get(url).status_code == 302  # signed out: to the sign-in page
    admin = UserFactory(username="admin-user", is_staff=True)
    admin_client = client
    admin_client.force_login(admin)
    assert admin_client.get(url).status_code == 200


# --- The worker ------------------------------------------------------------------------------


def test_the_database_backend_queues_the_import_for_db_worker(
    commissioner_client, in_background, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    preview = _upload(commissioner_client, _csv(3))
    response = _confirm(commissioner_client, preview, django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    assert job.status == "queued" and not Contract.objects.exists()
    html = commissioner_client.get(response["Location"]).content.decode()
    assert "The import will start when a worker is free." in html
    assert 'http-equiv="refresh"' in html
    # The worker closes stale connections between tasks; the test's transaction is not one.
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job.refresh_from_db()
    assert job.status == "done" and Contract.objects.count() == 3
    assert imports.run(job.pk) == {}  # a second run of the same job does nothing
