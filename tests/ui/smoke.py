"""Routes of the shared pages for the smoke walk (tests/smoke_objects.py)."""

from tests.accounts.factories import UserFactory
from ui.models import ImportJob


def routes() -> dict:
    # Someone else's import: every role is answered 404 (tests/smoke_objects.FIXED).
    job = ImportJob.objects.create(
        importer="contracts",
        file_name="smoke.csv",
        status=ImportJob.Status.RUNNING,
        rows_total=10,
        rows_done=5,
        created_by=UserFactory(username="importer"),
    )
    return {"import_job": ((job.pk,), None)}
