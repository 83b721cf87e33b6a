from django.apps import AppConfig


class PsrConfig(AppConfig):
    name = "psr"
    verbose_name = "Provider Selection Regime"

    def ready(self) -> None:
        from psr import demo, demo_records, notices, panels
        from ui import registry

        # The contract page lists its variations with their reg 13 assessment, and a
        # PSR contract's award record and notices (reg 24, Schedule 3).
        registry.register_contract_panel(panels.contract_panel)
        registry.register_contract_panel(notices.award_panel)
        registry.register_demo_loader(demo.load)
        registry.register_demo_loader(demo_records.load)
