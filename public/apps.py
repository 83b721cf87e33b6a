from django.apps import AppConfig


class PublicConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "public"
    verbose_name = "Public transparency site"

    def ready(self) -> None:
        # Saving what an authority publishes expires its cached public pages.
        from public.cache import connect_signals

        connect_signals()
