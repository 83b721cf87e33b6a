"""The decisions panel on a contract's page (included by the contracts app)."""

from django.db.models import Prefetch

from decisions import figures, visibility
from decisions.models import Decision, DecisionContractLink


def contract_panel(contract, user) -> dict | None:
    """The decisions that award, extend or vary ``contract``, with any ceiling breach.

    An exempt decision shows an uncleared user only its number, title and paragraph.
    Returns None when no decision is linked.
    """
    links = DecisionContractLink.objects.filter(contract=contract)
    # By date; an exempt decision's date and what it does are withheld, so by number.
    links = list(
        visibility.ordered(
            links, user, "decision__decision_date", "decision__number", "kind", prefix="decision__"
        )
        .select_related("decision__authority")
        .prefetch_related(
            Prefetch(
                "decision__contract_links",
                queryset=DecisionContractLink.objects.select_related(
                    "contract__provider", "contract__lead_authority", "contract__stored"
                ).prefetch_related("contract__options", "contract__shares__authority"),
            )
        )
    )
    if not links:
        return None
    rows = []
    ceilings: dict[int, figures.Ceiling] = {}
    for link in links:
        decision: Decision = link.decision
        hidden = visibility.withheld(decision, user)
        if not hidden and decision.pk not in ceilings:
            ceilings[decision.pk] = figures.ceiling_for(decision)
        rows.append(
            {
                "decision": decision,
                "kind": link.get_kind_display(),
                "hidden": hidden,
                "ceiling": None if hidden else ceilings[decision.pk],
            }
        )
    return {
        "template": "decisions/includes/contract_panel.html",
        "title": "Decisions",
        "rows": rows,
        "breached": any(r["ceiling"] and r["ceiling"].breached for r in rows),
    }
