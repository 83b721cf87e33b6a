from django.apps import AppConfig


class UiConfig(AppConfig):
    """Page furniture shared by every app: forms, registers, home and error pages."""

    name = "ui"
    verbose_name = "User interface"
