from django.apps import AppConfig


class PsrConfig(AppConfig):
    name = "psr"
    verbose_name = "Provider Selection Regime"

    def ready(self) -> None:
        from psr import demo, panels
        from ui import registry

        # The contract page lists its variations with their reg 13 assessment.
        registry.register_contract_panel(panels.contract_panel)
        registry.register_demo_loader(demo.load)
