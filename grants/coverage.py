"""How each contract is funded year by year, and whether that covers its cost.

Reads a contract's funding lines and grant commitments through ``.all()``, so callers
listing many contracts use ``contracts_with_funding()`` and pay no query per row.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from contracts.figures import figures_for
from contracts.models import Contract
from grants import rules
from grants.models import ZERO, ContractFunding, GrantCommitment

PUBLIC_HEALTH_GRANT = ContractFunding.Source.PUBLIC_HEALTH_GRANT.label
GRANTS = "Grant commitments"
CONTRIBUTIONS = "Contributions"
UNFUNDED = "Unfunded"
SOURCES = (PUBLIC_HEALTH_GRANT, GRANTS, CONTRIBUTIONS)


@dataclass(frozen=True)
class FundingLine:
    """One source paying for a contract in one year, for display."""

    financial_year: str
    source: str
    detail: str
    amount: Decimal
    funding: ContractFunding | None = None
    commitment: GrantCommitment | None = None


def funding_prefetches() -> tuple[Prefetch, Prefetch]:
    """A contract's funding lines and grant commitments, with what their labels read."""
    return (
        Prefetch("funding_lines", queryset=ContractFunding.objects.select_related("authority")),
        Prefetch(
            "grant_commitments",
            queryset=GrantCommitment.objects.select_related("allocation__programme__funder"),
        ),
    )


def contracts_with_funding(queryset=None):
    """Contracts with what coverage reads: their funding, commitments and stored costs
    per financial year (``YearFigures``), so a list of them runs no query per row."""
    queryset = queryset if queryset is not None else Contract.objects.all()
    # Not Contract.objects.with_related(): the options, subcontractors and priorities it
    # prefetches for working out figures are not read here (the figures are stored).
    return queryset.select_related("provider", "lead_authority").prefetch_related(
        "shares__authority", "stored_years", *funding_prefetches()
    )


def funding_lines(contract) -> list[FundingLine]:
    lines = [
        FundingLine(
            line.financial_year,
            line.get_source_display(),
            line.contributor
            if line.source == ContractFunding.Source.CONTRIBUTION
            else (str(line.authority) if line.authority_id else ""),
            line.amount,
            funding=line,
        )
        for line in contract.funding_lines.all()
    ]
    lines += [
        FundingLine(
            commitment.financial_year,
            ContractFunding.GRANT_COMMITMENT_LABEL,
            f"{commitment.allocation.programme.label} ({commitment.allocation.programme.funder})",
            commitment.amount,
            commitment=commitment,
        )
        for commitment in contract.grant_commitments.all()
    ]
    return sorted(lines, key=lambda line: (line.financial_year, line.source, line.detail))


def funding_by_source(contract) -> dict[str, dict[str, Decimal]]:
    """Source label → financial year → amount."""
    by_source: dict[str, dict[str, Decimal]] = {source: {} for source in SOURCES}
    for line in contract.funding_lines.all():
        label = (
            PUBLIC_HEALTH_GRANT
            if line.source == ContractFunding.Source.PUBLIC_HEALTH_GRANT
            else CONTRIBUTIONS
        )
        by_source[label][line.financial_year] = (
            by_source[label].get(line.financial_year, ZERO) + line.amount
        )
    for commitment in contract.grant_commitments.all():
        year = commitment.financial_year
        by_source[GRANTS][year] = by_source[GRANTS].get(year, ZERO) + commitment.amount
    return by_source


def cost_by_year(contract) -> dict[str, Decimal]:
    """The contract's value per financial year, as stored with it (``YearFigures``,
    written from contracts.figures by the same rule); worked out if none is stored."""
    stored = {year.financial_year: year.amount for year in contract.stored_years.all()}
    return stored or figures_for(contract).financial_years


def contract_coverage(contract, figures=None) -> list[rules.YearCoverage]:
    """Each financial year's funding against the contract's value in that year."""
    costs = figures.financial_years if figures is not None else cost_by_year(contract)
    funded = rules.add_by_year(
        (year, amount)
        for per_year in funding_by_source(contract).values()
        for year, amount in per_year.items()
    )
    return rules.coverage(costs, funded)
