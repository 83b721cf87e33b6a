"""The decisions panel on a contract's page (included by the contracts app)."""

from collections import defaultdict

from contracts.models import Contract
from decisions import figures, visibility
from decisions.models import Decision, DecisionContractLink


def contract_panel(contract, user) -> dict | None:
    """The decisions that award, extend or vary ``contract``, with any ceiling breach.

    An exempt decision shows an uncleared user only its number, title and paragraph.
    Returns None when no decision is linked.
    """
    # One query, however many decisions: every link of every decision about this
    # contract. This contract's links are the rows; each decision's links (to any
    # contract, with what each counts) make its ceiling.
    about_this = DecisionContractLink.objects.filter(contract=contract).values("decision_id")
    links = DecisionContractLink.objects.filter(decision_id__in=about_this)
    # By date; an exempt decision's date and what it does are withheld, so by number.
    links = list(
        visibility.ordered(
            links, user, "decision__decision_date", "decision__number", "kind", prefix="decision__"
        )
        .select_related(
            "decision__authority", "contract__stored", "contract__lead_authority", "modification"
        )
        # What an extension's ceiling reads (decisions.figures.ceiling_line).
        .prefetch_related("contract__options", "contract__modifications")
    )
    links_of: dict[int, list[DecisionContractLink]] = defaultdict(list)
    for link in links:
        links_of[link.decision_id].append(link)
    rows = []
    ceilings: dict[int, figures.Ceiling] = {}
    for link in links:
        if link.contract_id != contract.pk:
            continue
        decision: Decision = link.decision
        hidden = visibility.withheld(decision, user)
        if not hidden and decision.pk not in ceilings:
            ceilings[decision.pk] = figures.ceiling_for(decision, links=links_of[decision.pk])
        rows.append(
            {
                "decision": decision,
                "kind": link.get_kind_display(),
                "hidden": hidden,
                "ceiling": None if hidden else ceilings[decision.pk],
            }
        )
    if not rows:
        return None
    return {
        "template": "decisions/includes/contract_panel.html",
        "title": "Decisions",
        "rows": rows,
        "breached": any(r["ceiling"] and r["ceiling"].breached for r in rows),
    }


DECISIONS_SHOWN = 10


def _decisions_panel(decisions, user, *, caption: str, list_query: str = "") -> dict | None:
    """The latest of ``decisions`` (by date; an exempt decision's date is withheld from
    an uncleared user, so it sorts by number) and how many there are: two queries."""
    if not user.has_perm("decisions.view_decision"):
        return None
    count = decisions.count()
    if not count:
        return None
    latest = visibility.ordered(decisions, user, "-decision_date", "-number")
    rows = [
        {"decision": decision, "hidden": visibility.withheld(decision, user)}
        for decision in latest.select_related("authority")[:DECISIONS_SHOWN]
    ]
    return {
        "template": "decisions/includes/decisions_panel.html",
        "caption": caption,
        "rows": rows,
        "count": count,
        "list_query": list_query,
    }


def provider_panel(provider, user) -> dict | None:
    """The decisions that award, extend or vary the provider's contracts."""
    contracts = Contract.objects.of_provider(provider).values("pk")
    about = DecisionContractLink.objects.filter(contract__in=contracts).values("decision_id")
    return _decisions_panel(
        Decision.objects.filter(pk__in=about),
        user,
        caption="Decisions about its contracts",
    )


def authority_panel(authority, user) -> dict | None:
    """The authority's decisions, its joint committees' included."""
    return _decisions_panel(
        Decision.objects.for_authority(authority),
        user,
        caption="Its decisions",
        list_query=f"authority={authority.pk}",
    )
