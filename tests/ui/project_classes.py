"""The project's own classes of a kind, found by importing every app's modules."""

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings

MODULES = ("forms", "tables", "views")


def _project_modules():
    base = Path(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(base) or ".venv" in Path(config.path).parts:
            continue
        for name in MODULES:
            if (Path(config.path) / f"{name}.py").exists():
                yield import_module(f"{config.name}.{name}")


def project_subclasses(base) -> list[type]:
    found = set()
    for module in _project_modules():
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, base)
                and value.__module__.split(".")[0] in {c.name for c in apps.get_app_configs()}
            ):
                found.add(value)
    return sorted(found, key=lambda c: c.__qualname__)


def project_formset_factories() -> list[type]:
    """Formset classes the project builds (inlineformset_factory's products)."""
    from django.forms.formsets import BaseFormSet

    found = set()
    for module in _project_modules():
        for value in vars(module).values():
            # The factory's product has a form; the base classes it builds on do not.
            if (
                isinstance(value, type)
                and issubclass(value, BaseFormSet)
                and hasattr(value, "form")
            ):
                found.add(value)
    return sorted(found, key=lambda c: c.__qualname__)
