"""What the home page shows each role: the panels the apps register (ui.registry)."""

from ui import registry


def dashboard_context(user) -> dict:
    panels = [panel for home_panel in registry.HOME_PANELS if (panel := home_panel(user))]
    return {"panels": panels}
