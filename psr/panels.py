"""What the psr app adds to the contract page: its variations (registered in psr.apps)."""

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from contracts.models import Modification
from decisions.figures import modification_change
from decisions.models import DecisionContractLink
from psr.variations import assessed


def contract_panel(contract, user) -> dict | None:
    """The contract's variations in order, each with its reg 13 assessment and the
    decision that authorised it; a flag when any is not permitted.

    The modifications and their decisions are read here (two queries, however many),
    since the contract page does not prefetch another app's records.
    """
    if not user.has_perm("contracts.view_modification"):
        return None
    # Its own attribute: the page's prefetch of the contract's modifications (if any)
    # does not carry their decisions.
    prefetch_related_objects(
        [contract],
        Prefetch(
            "modifications",
            queryset=Modification.objects.order_by("sequence").prefetch_related(
                Prefetch(
                    "decision_links",
                    queryset=DecisionContractLink.objects.select_related("decision"),
                )
            ),
            to_attr="psr_modifications",
        ),
    )
    can_record = user.has_perm("contracts.change_contract")
    modifications = contract.psr_modifications
    if not modifications and not can_record:
        return None
    rows = [
        {
            "modification": row.modification,
            "assessment": row.assessment,
            "change": modification_change(row.modification),
            "decisions": [link.decision for link in row.modification.decision_links.all()],
        }
        for row in assessed(contract, modifications)
    ]
    return {
        "template": "psr/includes/variations_panel.html",
        "title": "Variations",
        "rows": rows,
        "not_permitted": [r for r in rows if not r["assessment"].permitted],
        "can_record": can_record,
        "record_url": reverse("psr:variation_new", args=[contract.pk]),
    }
