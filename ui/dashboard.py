"""What the home page shows each role. Other apps add panels as they grow."""

from importlib import import_module
from importlib.util import find_spec

# Each entry: a module with ``home_panel(user) -> dict | None``; a panel is a dict
# with "title", "template" and its context. Apps that have nothing yet are skipped.
PANEL_MODULES = ("contracts.dashboard", "decisions.dashboard", "grants.dashboard")


def dashboard_context(user) -> dict:
    panels = []
    for name in PANEL_MODULES:
        if find_spec(name) is None:
            continue
        panel = import_module(name).home_panel(user)
        if panel:
            panels.append(panel)
    return {"panels": panels}
