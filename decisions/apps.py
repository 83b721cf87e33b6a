from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = "Decisions"

    def ready(self) -> None:
        from decisions import dashboard, demo, panels
        from ui import registry

        registry.register_home_panel(dashboard.home_panel)
        registry.register_contract_panel(panels.contract_panel)
        registry.register_provider_panel(panels.provider_panel)
        registry.register_authority_panel(panels.authority_panel)
        registry.register_demo_loader(demo.load)
