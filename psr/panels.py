"""What the psr app adds to the contract page: its variations (registered in psr.apps)."""

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from contracts.figures import assessed_modifications
from decisions.models import DecisionContractLink


def contract_panel(contract, user) -> dict | None:
    """The contract's variations in order, each with its reg 13 assessment and the
    decision that authorised it; a flag when any is not permitted.

    The decisions are read here (one query, however many), since the contract page
    does not prefetch another app's records.
    """
    if not user.has_perm("contracts.view_modification"):
        return None
    # The page has read the contract's modifications (Contract.objects.with_related);
    # the decisions that authorised them are read here, one query however many.
    modifications = sorted(contract.modifications.all(), key=lambda m: m.sequence)
    prefetch_related_objects(
        modifications,
        Prefetch(
            "decision_links", queryset=DecisionContractLink.objects.select_related("decision")
        ),
    )
    can_record = user.has_perm("contracts.change_contract")
    if not modifications and not can_record:
        return None
    decisions = {m.pk: [link.decision for link in m.decision_links.all()] for m in modifications}
    rows = [
        {
            "modification": row.modification,
            "assessment": row.assessment,
            "change": row.change,
            "decisions": decisions[row.modification.pk],
        }
        for row in assessed_modifications(contract)
    ]
    return {
        "template": "psr/includes/variations_panel.html",
        "title": "Variations",
        "rows": rows,
        "not_permitted": [r for r in rows if not r["assessment"].permitted],
        "can_record": can_record,
        "record_url": reverse("psr:variation_new", args=[contract.pk]),
    }
