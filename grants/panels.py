"""What the grants app adds to other apps' pages."""

from django.db.models import prefetch_related_objects
from django.urls import reverse

from contracts.figures import figures_for
from grants import coverage, rules


def contract_panel(contract, user) -> dict | None:
    """Funding and coverage for the contract page, or None for users who cannot see it.

    The contract page includes ``panel["template"]`` with ``panel`` in its context.
    The contract's funding lines and commitments are read here (two queries), since the
    contract page does not prefetch another app's records; the contract itself, with
    its options and shares, is the page's.
    """
    if not user.has_perm("grants.view_contractfunding"):
        return None
    prefetch_related_objects([contract], *coverage.funding_prefetches())
    figures = figures_for(contract)
    rows = coverage.contract_coverage(contract, figures)
    return {
        "template": "grants/includes/contract_panel.html",
        "title": "Funding",
        "contract": contract,
        "coverage": rows,
        "problems": [row for row in rows if row.status != rules.COVERED],
        "lines": coverage.funding_lines(contract),
        "can_edit": user.has_perm("grants.add_contractfunding"),
        "add_url": reverse("grants:funding_add", args=[contract.pk]),
        "funding_url": reverse("grants:contract_funding", args=[contract.pk]),
    }


def decision_context(decision) -> dict:
    """The grant allocations deployed under ``decision``, for its page (prefetched as
    ``deployed_allocations``, registered in grants.apps)."""
    return {"allocations": list(decision.deployed_allocations.all())}
