"""Every domain record keeps history, and the admin never offers to rewrite it."""

from django.apps import apps
from django.contrib import admin

from accounts.roles import DOMAIN_APPS
from audit.admin import HistoryAdmin
from audit.models import AuditedHistory

# Models that are machinery rather than records, with the reason they keep no history.
NOT_AUDITED = {
    # The next free decision number per authority and year: locked and bumped when a
    # number is allocated; the decision itself records the number in its history.
    "decisions.DecisionNumberCounter",
    # A contract's figures as contracts.figures computes them: derived data, rebuilt
    # from the audited contract, options and shares (manage.py refresh_figures).
    "contracts.ContractFigures",
    "contracts.ShareFigures",
    "contracts.YearFigures",
}


def _domain_models():
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model.__name__.startswith("Historical"):
                yield model


def test_every_domain_model_records_audited_history():
    missing = [
        model._meta.label
        for model in _domain_models()
        if model._meta.label not in NOT_AUDITED
        and not (hasattr(model, "history") and issubclass(model.history.model, AuditedHistory))
    ]
    assert missing == []


def test_every_domain_model_in_the_admin_uses_the_read_only_history_admin():
    registered = {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in DOMAIN_APPS
    }
    assert "contracts.Contract" in registered
    assert [label for label, ma in registered.items() if not isinstance(ma, HistoryAdmin)] == []
