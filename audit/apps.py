from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit history"

    def ready(self) -> None:
        from audit import recording  # noqa: F401  (connects the history signals)
        from audit.feed import audited_models
        from audit.models import guard_through_tables

        guard_through_tables(audited_models())
