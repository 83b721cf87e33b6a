"""The grants panel on the home page: money not yet committed, and funding gaps."""

from django.utils import timezone

from contracts.rules import financial_year
from grants import coverage, rules
from grants.models import GrantAllocation

MAX_ROWS = 5


def home_panel(user) -> dict | None:
    if not user.has_perm("grants.view_grantallocation"):
        return None
    this_year = financial_year(timezone.localdate())
    allocations = [
        a
        for a in GrantAllocation.objects.with_related().with_committed().order_by("financial_year")
        if (a.last_financial_year or a.financial_year) >= this_year and a.uncommitted_amount > 0
    ]
    gaps = []
    for contract in coverage.contracts_with_funding():
        for row in coverage.contract_coverage(contract):
            if row.financial_year == this_year and row.status == rules.GAP:
                gaps.append((contract, row))
    gaps.sort(key=lambda item: item[1].difference)
    return {
        "template": "grants/includes/home_panel.html",
        "title": "Grants and funding",
        "financial_year": this_year,
        "allocations": allocations[:MAX_ROWS],
        "allocation_count": len(allocations),
        "uncommitted_total": sum((a.uncommitted_amount for a in allocations), rules.ZERO),
        "gaps": gaps[:MAX_ROWS],
        "gap_count": len(gaps),
    }
