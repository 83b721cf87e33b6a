"""A provider's or an authority's contracts at a glance, for their pages: counts and
totals in one aggregate over the stored figures, and the current contracts that end
soonest. A fixed number of queries, whatever the number of contracts."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from contracts.models import Contract, ShareFigures, current_condition
from contracts.tables import register_rows, status_label

SOONEST_SHOWN = 10


@dataclass(frozen=True)
class Portfolio:
    contracts: int
    current: int
    # The current contracts' annual value and all the contracts' whole-life value; for
    # an authority, its share of each (contracts.figures splits them to the penny).
    annual_value: Decimal
    whole_life_value: Decimal
    ending_soonest: list = field(default_factory=list)
    # The register, filtered to these contracts (exact, not by name).
    register_query: str = ""


@dataclass(frozen=True)
class Row:
    contract: Contract
    status: str  # its label, "In extension"


def _soonest(contracts, today: date) -> list[Row]:
    current = register_rows(contracts.filter(current_condition(today)), today)
    rows = current.order_by("stored__current_end", "pk")[:SOONEST_SHOWN]
    return [Row(contract, status_label(contract.status)) for contract in rows]


def for_provider(provider, today: date) -> Portfolio:
    """Three queries: the totals, the soonest rows and their stored shares."""
    contracts = Contract.objects.of_provider(provider)
    current = current_condition(today)
    totals = contracts.aggregate(
        contracts=Count("pk"),
        current=Count("pk", filter=current),
        annual=Sum("annual_value", filter=current),
        whole_life=Sum("stored__whole_life_value"),
    )
    return Portfolio(
        contracts=totals["contracts"],
        current=totals["current"],
        annual_value=totals["annual"] or Decimal("0.00"),
        whole_life_value=totals["whole_life"] or Decimal("0.00"),
        ending_soonest=_soonest(contracts, today),
        register_query=f"provider_id={provider.pk}&status=all",
    )


def for_authority(authority, today: date) -> Portfolio:
    """Four queries: the counts, the authority's shares, the soonest rows and their
    stored shares."""
    contracts = Contract.objects.of_authority(authority)
    current = current_condition(today)
    counts = contracts.aggregate(contracts=Count("pk"), current=Count("pk", filter=current))
    current_ids = Contract.objects.filter(current).values("pk")
    shares = ShareFigures.objects.filter(authority=authority).aggregate(
        annual=Sum("annual", filter=Q(contract__in=current_ids)),
        whole_life=Sum("whole_life"),
    )
    return Portfolio(
        contracts=counts["contracts"],
        current=counts["current"],
        annual_value=shares["annual"] or Decimal("0.00"),
        whole_life_value=shares["whole_life"] or Decimal("0.00"),
        ending_soonest=_soonest(contracts, today),
        register_query=f"authority_id={authority.pk}&status=all",
    )
