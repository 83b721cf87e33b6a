"""The contract summaries' figures, added up by the database from the stored figures.

Every contract's value per financial year (``YearFigures``) and the authorities that
pay for it (``ShareFigures``: the lead authority's 100% when no shares are recorded) are
stored by contracts.figures. The queries here join and sum those rows, so a summary
runs the same few queries for 2 contracts or 100,000, and no Python loop reads every
contract.

A cell of Table 1 is one contract's value in one year, split for one authority. The
split is written once, in SQL (:func:`_share_cell`), and both the rows shown and the
totals add up that same expression, so each authority's total is exactly the sum of
its rows. The split rounds each part to the penny (or to whole £000s after rounding the
year to £000s, as grants.rules.split_in_units does), half up. For two authorities that
is the part rules.split_by_shares gives, except at an exact half penny each way; with
three or more, a part may differ from the largest-remainder split by a penny, and then
the row's total (the sum of its parts) differs from the stored year figure by as much.
"""

from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, NullIf, Round

from contracts.models import Authority, Contract, CostShare, ShareFigures, YearFigures
from grants import rules
from grants.coverage import CONTRIBUTIONS, GRANTS, PUBLIC_HEALTH_GRANT, UNFUNDED
from grants.models import ZERO, ContractFunding, GrantCommitment

# Rows of a long summary table shown at a time.
PAGE_SIZE = 50

MONEY = DecimalField(max_digits=20, decimal_places=2)
# Weights are percentages (4 places) or fixed amounts (2): the wider of both.
WEIGHT = DecimalField(max_digits=20, decimal_places=4)
HUNDRED = Value(Decimal("100"), output_field=WEIGHT)


def summary_contracts(authority: Authority | None = None) -> QuerySet:
    """The contracts a summary covers: every contract, or those ``authority`` leads or
    shares the cost of. Each contract once (a subquery, not a join on its shares)."""
    contracts = Contract.objects.all()
    if authority is not None:
        contracts = contracts.filter(
            Q(lead_authority=authority)
            | Q(pk__in=CostShare.objects.filter(authority=authority).values("contract"))
        )
    return contracts


# --- Table 1: contracts by authority and year -----------------------------------------


def _share_weight():
    """A cost share's weight, as contracts.figures splits by it: its percentage when
    every share of the contract has one, else its fixed amount (none counts as 0)."""
    by_amount = Exists(
        CostShare.objects.filter(contract=OuterRef("contract"), percentage__isnull=True)
    )
    return Case(
        When(by_amount, then=Coalesce("fixed_amount", Value(ZERO), output_field=WEIGHT)),
        default=F("percentage"),
        output_field=WEIGHT,
    )


def _share_cell(*, in_thousands: bool):
    """One ShareFigures row's part of its contract's value in one year (the annotation
    ``amount``), rounded half up to the penny, or to whole £000s in £000s tables."""
    shares = (
        CostShare.objects.filter(contract=OuterRef("contract"))
        .annotate(weight=_share_weight())
        .order_by()
    )
    own = shares.filter(authority=OuterRef("authority")).values("weight")[:1]
    total = shares.values("contract").annotate(total=Sum("weight")).values("total")
    # No shares recorded: the stored row is the lead authority's, paying it all.
    weight = Coalesce(Subquery(own, output_field=WEIGHT), HUNDRED)
    total_weight = NullIf(
        Coalesce(Subquery(total, output_field=WEIGHT), HUNDRED), Value(ZERO, output_field=WEIGHT)
    )
    if in_thousands:
        thousand = Value(rules.THOUSAND, output_field=MONEY)
        whole = Round(F("amount") / thousand, output_field=MONEY)
        return Round(whole * weight / total_weight, output_field=MONEY) * thousand
    return Round(F("amount") * weight / total_weight, 2, output_field=MONEY)


def share_cells(contracts: QuerySet, years: list[str], *, in_thousands: bool) -> QuerySet:
    """ShareFigures rows joined to their contract's year figures in ``years`` (not
    those of £0), annotated ``year``, ``amount`` and ``cell`` (the authority's part)."""
    return (
        ShareFigures.objects.filter(contract__in=contracts.values("pk"))
        .annotate(
            year=F("contract__stored_years__financial_year"),
            amount=F("contract__stored_years__amount"),
        )
        .filter(year__in=years)
        .exclude(amount=0)
        .annotate(cell=_share_cell(in_thousands=in_thousands))
        .order_by()
    )


def contracts_with_money(contracts: QuerySet, years: list[str]) -> QuerySet:
    """The contracts with a value other than £0 in one of ``years``, in register order."""
    in_years = YearFigures.objects.filter(financial_year__in=years).exclude(amount=0)
    return contracts.filter(pk__in=in_years.values("contract")).order_by("reference", "pk")


def contract_page(contracts: QuerySet, years: list[str], number) -> Page:
    """One page of :func:`contracts_with_money` (a bad page number gives the first or
    the last page), read with the fields a row's label and link need."""
    rows = contracts_with_money(contracts, years).only("pk", "reference", "title")
    return Paginator(rows, PAGE_SIZE).get_page(number)


CELL_FIELDS = (
    "contract_id",
    "contract__reference",
    "contract__title",
    "year",
    "authority_id",
    "cell",
)


def cells_of(contracts: QuerySet, years: list[str], *, in_thousands: bool) -> QuerySet:
    """Every cell of these contracts as (contract id, reference, title, year,
    authority id, cell), in register order: for a page's contracts, or streamed to an
    export."""
    return (
        share_cells(contracts, years, in_thousands=in_thousands)
        .order_by("contract__reference", "contract_id", "year", "position")
        .values_list(*CELL_FIELDS)
    )


def authority_totals(contracts: QuerySet, years: list[str], *, in_thousands: bool) -> QuerySet:
    """Per year and authority, the sum of that authority's cells: rows of ``year``,
    ``authority_id``, the authority's ``name`` and ``short_name`` and ``total``."""
    return (
        share_cells(contracts, years, in_thousands=in_thousands)
        .values("year", "authority_id", "authority__name", "authority__short_name")
        .annotate(total=Sum("cell"))
        .order_by("year", "authority__name")
    )


# --- Cost against funding ---------------------------------------------------------------


def _funded_in_year():
    """What a YearFigures row's contract has recorded to pay for it in its year:
    funding lines plus grant commitments."""
    lines = (
        ContractFunding.objects.filter(
            contract=OuterRef("contract"), financial_year=OuterRef("financial_year")
        )
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    commitments = (
        GrantCommitment.objects.filter(
            contract=OuterRef("contract"), financial_year=OuterRef("financial_year")
        )
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    zero = Value(ZERO, output_field=MONEY)
    return Coalesce(Subquery(lines, output_field=MONEY), zero) + Coalesce(
        Subquery(commitments, output_field=MONEY), zero
    )


def year_costs(contracts: QuerySet, years: list[str]) -> QuerySet:
    """Each contract's year figures in ``years``, annotated ``funded`` and ``unfunded``
    (its cost less its funding that year, never below £0: rules.coverage's shortfall)."""
    return (
        YearFigures.objects.filter(contract__in=contracts.values("pk"), financial_year__in=years)
        .annotate(funded=_funded_in_year())
        .annotate(unfunded=Greatest(F("amount") - F("funded"), Value(ZERO), output_field=MONEY))
        .order_by()
    )


def funding_lines(contracts: QuerySet, years: list[str]) -> QuerySet:
    return ContractFunding.objects.filter(
        contract__in=contracts.values("pk"), financial_year__in=years
    ).order_by()


def commitments(contracts: QuerySet, years: list[str]) -> QuerySet:
    return GrantCommitment.objects.filter(
        contract__in=contracts.values("pk"), financial_year__in=years
    ).order_by()


def by_year_and_source(contracts: QuerySet, years: list[str]) -> dict[str, dict[str, Decimal]]:
    """Source label ("Public Health Grant", "Grant commitments", "Contributions",
    "Unfunded") → year → amount, in three grouped queries."""
    series: dict[str, dict[str, Decimal]] = {
        s: {} for s in (PUBLIC_HEALTH_GRANT, GRANTS, CONTRIBUTIONS, UNFUNDED)
    }
    for row in (
        funding_lines(contracts, years)
        .values("financial_year", "source")
        .annotate(total=Sum("amount"))
    ):
        label = (
            PUBLIC_HEALTH_GRANT
            if row["source"] == ContractFunding.Source.PUBLIC_HEALTH_GRANT
            else CONTRIBUTIONS
        )
        per_year = series[label]
        per_year[row["financial_year"]] = per_year.get(row["financial_year"], ZERO) + row["total"]
    for row in commitments(contracts, years).values("financial_year").annotate(total=Sum("amount")):
        series[GRANTS][row["financial_year"]] = row["total"]
    for row in (
        year_costs(contracts, years).values("financial_year").annotate(total=Sum("unfunded"))
    ):
        series[UNFUNDED][row["financial_year"]] = row["total"]
    return series


def by_service_area_and_year(contracts: QuerySet, years: list[str]) -> dict[tuple, dict]:
    """(service area code, year) → {"cost", "funded", "unfunded"}, in three grouped
    queries. Funding in a year with no cost counts as funded, with nothing unfunded."""
    cells: dict[tuple, dict] = {}

    def add(key, name, amount):
        cell = cells.setdefault(key, {"cost": ZERO, "funded": ZERO, "unfunded": ZERO})
        cell[name] += amount or ZERO

    for row in (
        year_costs(contracts, years)
        .values("contract__service_area", "financial_year")
        .annotate(cost=Sum("amount"), unfunded=Sum("unfunded"))
    ):
        key = (row["contract__service_area"], row["financial_year"])
        add(key, "cost", row["cost"])
        add(key, "unfunded", row["unfunded"])
    for queryset in (funding_lines(contracts, years), commitments(contracts, years)):
        for row in queryset.values("contract__service_area", "financial_year").annotate(
            total=Sum("amount")
        ):
            add((row["contract__service_area"], row["financial_year"]), "funded", row["total"])
    return cells
