"""The grants panel on the home page: money not yet committed, and funding gaps.

Both lists are chosen, ordered and counted by the database (the contracts' costs from
their stored year figures, ``YearFigures``), so the panel costs the same at 100 or
100,000 contracts; only the rows shown are read.
"""

from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts.models import Contract, YearFigures
from contracts.rules import financial_year
from grants import rules
from grants.models import ContractFunding, GrantAllocation, GrantCommitment

MAX_ROWS = 5


def _sum_in_year(model, year: str):
    """The sum of ``model``'s amounts for the outer contract in ``year`` (0 if none)."""
    total = (
        model.objects.filter(contract=OuterRef("pk"), financial_year=year)
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total), Value(rules.ZERO), output_field=DecimalField())


def contracts_with_gaps(year: str):
    """Contracts whose funding in ``year`` falls short of their cost in it, the largest
    gap first (grants.rules.coverage: funding minus cost below nothing), annotated with
    ``cost`` and ``funded``."""
    cost = YearFigures.objects.filter(contract=OuterRef("pk"), financial_year=year)
    return (
        Contract.objects.annotate(
            cost=Subquery(cost.values("amount")[:1]),
            funded=_sum_in_year(ContractFunding, year) + _sum_in_year(GrantCommitment, year),
        )
        .filter(cost__gt=F("funded"))
        .order_by(F("funded") - F("cost"), "reference")
    )


def current_allocations(year: str):
    """Allocations running in or after ``year``."""
    return GrantAllocation.objects.with_committed().filter(
        Q(last_financial_year__gte=year) | Q(last_financial_year="", financial_year__gte=year)
    )


def open_allocations(year: str):
    """Allocations running in or after ``year`` with money not yet committed."""
    return (
        current_allocations(year).filter(uncommitted_amount__gt=0).order_by("financial_year", "pk")
    )


def home_panel(user) -> dict | None:
    if not user.has_perm("grants.view_grantallocation"):
        return None
    this_year = financial_year(timezone.localdate())
    allocations = open_allocations(this_year)
    uncommitted = Q(uncommitted_amount__gt=0)
    totals = current_allocations(this_year).aggregate(
        current=Count("pk"),
        count=Count("pk", filter=uncommitted),
        uncommitted=Sum("uncommitted_amount", filter=uncommitted),
    )
    gaps = contracts_with_gaps(this_year)
    return {
        "template": "grants/includes/home_panel.html",
        "title": "Grants and funding",
        "financial_year": this_year,
        "allocations": list(allocations.with_related()[:MAX_ROWS]),
        "allocation_count": totals["count"] or 0,
        "current_count": totals["current"] or 0,
        "uncommitted_total": totals["uncommitted"] or rules.ZERO,
        "gaps": [
            (contract, rules.YearCoverage(this_year, contract.cost, contract.funded))
            for contract in gaps[:MAX_ROWS]
        ],
        "gap_count": gaps.count(),
    }
