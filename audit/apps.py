from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit history"

    def ready(self) -> None:
        from audit import recording  # noqa: F401  (connects the history signals)
