"""What the apps above add to pages below them, registered as callables in each app's
AppConfig.ready(): the layering is accounts, audit and ui, then contracts, decisions
and grants (docs/architecture.md), and a lower app never imports a higher one, by name
or by string.

- home panels: ``home_panel(user) -> dict | None`` (ui.dashboard, the home page);
- contract panels: ``contract_panel(contract, user) -> dict | None`` (the contract page:
  the decisions that authorised it, the grants that fund it);
- provider and authority panels: ``panel(provider_or_authority, user) -> dict | None``
  (their pages: the decisions and grants that touch their contracts);
- decision extras: prefetch lookups for a decision's page, and
  ``decision_context(decision) -> dict`` (the grant allocations that cite it);
- demo loaders: ``load()`` (ui's load_demo), run in order of INSTALLED_APPS.

Registration follows INSTALLED_APPS, so panels and loaders run in the apps' order.
"""

HOME_PANELS: list = []
CONTRACT_PANELS: list = []
PROVIDER_PANELS: list = []
AUTHORITY_PANELS: list = []
DECISION_PREFETCHES: list[str] = []
DECISION_CONTEXTS: list = []
DEMO_LOADERS: list = []


def _add(registry: list, item) -> None:
    # ready() can run twice (the test runner, autoreload): register each item once.
    if item not in registry:
        registry.append(item)


def register_home_panel(panel) -> None:
    _add(HOME_PANELS, panel)


def register_contract_panel(panel) -> None:
    _add(CONTRACT_PANELS, panel)


def register_provider_panel(panel) -> None:
    _add(PROVIDER_PANELS, panel)


def register_authority_panel(panel) -> None:
    _add(AUTHORITY_PANELS, panel)


def panels_for(registered: list, subject, user) -> list[dict]:
    """What the registered panels add to ``subject``'s page, in order; None is left out."""
    return [panel for make in registered if (panel := make(subject, user))]


def register_decision_extra(*, prefetch: str, context) -> None:
    _add(DECISION_PREFETCHES, prefetch)
    _add(DECISION_CONTEXTS, context)


def register_demo_loader(load) -> None:
    _add(DEMO_LOADERS, load)
