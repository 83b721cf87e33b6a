"""Tasks with no other home. The import task is ui.imports.run_import."""

from django_tasks import task


@task()
def ping() -> str:
    """Does nothing: .ci/deploy_check queues it to see that db_worker starts and runs it."""
    return "pong"
