from django.apps import AppConfig


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Grants and funding"

    def ready(self) -> None:
        from grants import dashboard, demo, panels
        from ui import registry

        registry.register_home_panel(dashboard.home_panel)
        registry.register_contract_panel(panels.contract_panel)
        registry.register_provider_panel(panels.provider_panel)
        registry.register_authority_panel(panels.authority_panel)
        # A decision's page lists the grant allocations deployed under it.
        registry.register_decision_extra(
            prefetch="deployed_allocations", context=panels.decision_context
        )
        registry.register_demo_loader(demo.load)
