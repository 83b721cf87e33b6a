from django.apps import AppConfig


class PsrConfig(AppConfig):
    name = "psr"
    verbose_name = "Provider Selection Regime"

    def ready(self) -> None:
        # Award records and notices (reg 24, Schedule 3): a panel on a PSR contract's
        # page, and the demo's award records.
        from psr import demo_records, notices
        from ui import registry

        registry.register_contract_panel(notices.award_panel)
        registry.register_demo_loader(demo_records.load)
