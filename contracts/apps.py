from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts"

    def ready(self) -> None:
        from contracts import dashboard, demo
        from ui import registry

        registry.register_home_panel(dashboard.home_panel)
        registry.register_demo_loader(demo.load)
