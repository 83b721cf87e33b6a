"""What the grants app adds to other apps' pages."""

from django.db.models import Count, F, Q, Sum, prefetch_related_objects
from django.urls import reverse

from contracts.figures import figures_for
from contracts.models import Contract
from grants import coverage, rules
from grants.models import (
    AllocationShare,
    ContractFunding,
    GrantAllocation,
    GrantCommitment,
    OutboundGrant,
)


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


def _by_year(queryset, amount: str = "amount", year: str = "financial_year") -> list[dict]:
    """Count and total of ``queryset`` per financial year, oldest first: one query."""
    return list(
        queryset.values(year=F(year))
        .annotate(count=Count("pk"), total=Sum(amount))
        .order_by("year")
    )


def authority_panel(authority, user) -> dict | None:
    """The grant allocations the authority hosts, receives or shares, by year, and the
    grants it awards: two queries."""
    if not user.has_perm("grants.view_grantallocation"):
        return None
    shared = AllocationShare.objects.filter(authority=authority).values("allocation_id")
    allocations = GrantAllocation.objects.filter(Q(authority=authority) | Q(pk__in=shared))
    awarded = OutboundGrant.objects.filter(programme__authority=authority).aggregate(
        count=Count("pk"), total=Sum("amount")
    )
    return {
        "template": "grants/includes/party_panel.html",
        "allocations": _by_year(allocations),
        "allocations_caption": "Grant allocations it hosts, receives or shares, by year",
        "allocations_query": f"authority={authority.pk}",
        "commitments": None,
        "funding": None,
        "awarded": awarded,
    }


def provider_panel(provider, user) -> dict | None:
    """Grant money committed to the provider's contracts and their other funding lines,
    by year, and the council's grants to it (matched by charity or company number):
    three queries."""
    if not user.has_perm("grants.view_grantallocation"):
        return None
    contracts = Contract.objects.of_provider(provider).values("pk")
    numbers = Q(pk__in=[])
    if provider.charity_number:
        numbers |= Q(recipient_charity_number=provider.charity_number)
    if provider.company_number:
        numbers |= Q(recipient_company_number=provider.company_number)
    return {
        "template": "grants/includes/party_panel.html",
        "allocations": None,
        "commitments": _by_year(
            GrantCommitment.objects.filter(contract__in=contracts),
            year="allocation__financial_year",
        ),
        "funding": _by_year(ContractFunding.objects.filter(contract__in=contracts)),
        "awarded": OutboundGrant.objects.filter(numbers).aggregate(
            count=Count("pk"), total=Sum("amount")
        ),
    }
