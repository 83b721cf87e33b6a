"""Funding summaries: tables with totals rows, in pounds or £000s, and their charts.

Each table is worked out here once and then shown as a page, a CSV file and a chart,
so all three agree. Cells in £000s are rounded first and the totals add up the
rounded cells, as the councils' own tables do (grants.rules.split_in_units).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from contracts.models import Authority, Contract
from grants import charts, coverage, rules
from grants.models import ZERO, GrantAllocation

POUNDS = "pounds"
THOUSANDS = "thousands"
UNITS = {POUNDS: "£", THOUSANDS: "£000s"}
TOTAL = "total"


@dataclass(frozen=True)
class Column:
    group: str
    key: object  # an Authority, or a label such as TOTAL
    label: str

    @property
    def id(self) -> tuple:
        return (self.group, self.key)


@dataclass
class Row:
    label: str
    cells: dict[tuple, Decimal | None] = field(default_factory=dict)
    kind: str = "row"  # "row", "section", "subtotal" or "total"
    url: str = ""
    note: str = ""


@dataclass
class Summary:
    title: str
    units: str
    row_heading: str
    groups: list[tuple[str, list[Column]]] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    chart: charts.StackedBarChart | None = None

    @property
    def columns(self) -> list[Column]:
        return [column for _, columns in self.groups for column in columns]

    @property
    def unit_label(self) -> str:
        return UNITS[self.units]

    def table_rows(self) -> list[tuple[Row, list[Decimal | None]]]:
        return [(row, [row.cells.get(c.id) for c in self.columns]) for row in self.rows]

    def csv_rows(self) -> list[list[str]]:
        header = [self.row_heading] + [
            f"{group} {column.label} ({self.unit_label})"
            for group, cols in self.groups
            for column in cols
        ]
        lines = [header]
        for row, cells in self.table_rows():
            if row.kind == "section":
                lines.append([row.label] + [""] * len(cells))
                continue
            lines.append([row.label] + [_plain(cell, self.units) for cell in cells])
        return lines

    @property
    def is_empty(self) -> bool:
        return not any(row.kind == "row" for row in self.rows)


def _plain(value: Decimal | None, units: str) -> str:
    if value is None:
        return ""
    if units == THOUSANDS:
        return f"{value / rules.THOUSAND:.0f}"
    return f"{value:.2f}"


def _split(amount: Decimal, weights: dict, units: str) -> dict:
    if units == THOUSANDS:
        return rules.split_in_units(amount, weights, rules.THOUSAND)
    return rules.split_by_shares(amount, weights)


def _round(amount: Decimal, units: str) -> Decimal:
    return rules.round_to_unit(amount, rules.THOUSAND) if units == THOUSANDS else amount


def _add(target: dict, key, amount: Decimal) -> None:
    target[key] = (target.get(key) or ZERO) + amount


def _sum_rows(label: str, rows: Iterable[Row], columns: list[Column], kind: str) -> Row:
    total = Row(label, kind=kind)
    for column in columns:
        values = [row.cells.get(column.id) for row in rows if row.cells.get(column.id) is not None]
        total.cells[column.id] = sum(values, ZERO) if values else None
    return total


def _authority_columns(group: str, authorities: list[Authority]) -> list[Column]:
    columns = [
        Column(group, authority, authority.short_name or authority.name)
        for authority in authorities
    ]
    return columns + [Column(group, TOTAL, "Total")]


def _by_name(authorities: Iterable[Authority]) -> list[Authority]:
    return sorted(set(authorities), key=lambda a: a.name)


# --- Grants by authority and year (Northamptonshire's Table 2) -------------------------


def _section_label(weights: dict) -> str:
    authorities = _by_name(weights)
    if len(authorities) == 1:
        return f"{authorities[0].name} only"
    shares = ", ".join(f"{a.short_name or a.name} {weights[a].normalize():f}%" for a in authorities)
    return f"Shared between authorities ({shares})"


def grants_summary(allocations: list[GrantAllocation], *, units: str = POUNDS) -> Summary:
    """Allocations by programme, split between authorities, per financial year.

    One row per programme and host (its years side by side), grouped into sections by
    who shares the money, each with a totals row, then a grand total.
    """
    summary = Summary("Grants by authority and financial year", units, "Grant")
    periods = sorted({a.period_label for a in allocations})
    all_weights = {a.pk: a.share_weights() for a in allocations}
    # Each year shows only the authorities with money in it, so tables stay narrow.
    authorities = {
        period: _by_name(
            authority
            for a in allocations
            if a.period_label == period
            for authority in all_weights[a.pk]
        )
        for period in periods
    }
    for period in periods:
        summary.groups.append((period, _authority_columns(period, authorities[period])))
    columns = summary.columns

    sections: dict[tuple, dict[tuple, Row]] = {}
    section_labels: dict[tuple, str] = {}
    for allocation in sorted(allocations, key=lambda a: (a.programme.name, a.authority.name)):
        weights = all_weights[allocation.pk]
        section_key = tuple(sorted((a.pk, str(p)) for a, p in weights.items()))
        section_labels[section_key] = _section_label(weights)
        row_key = (allocation.programme_id, allocation.authority_id)
        rows = sections.setdefault(section_key, {})
        if row_key not in rows:
            programme = allocation.programme
            label = (
                f"{programme.name} ({programme.short_name})"
                if programme.short_name
                else programme.name
            )
            rows[row_key] = Row(label, note=f"{programme.funder}; host {allocation.authority.name}")
        row = rows[row_key]
        period = allocation.period_label
        for authority in authorities[period]:
            row.cells.setdefault((period, authority), ZERO)
        parts = _split(allocation.amount, weights, units)
        for authority, part in parts.items():
            _add(row.cells, (period, authority), part)
            _add(row.cells, (period, TOTAL), part)

    subtotals = []
    # Shared grants first, as the councils print them, then each authority's own.
    for section_key in sorted(sections, key=lambda k: (-len(k), section_labels[k])):
        rows = list(sections[section_key].values())
        summary.rows.append(Row(section_labels[section_key], kind="section"))
        summary.rows += rows
        subtotal = _sum_rows(f"Total: {section_labels[section_key]}", rows, columns, "subtotal")
        summary.rows.append(subtotal)
        subtotals.append(subtotal)
    if subtotals:
        summary.rows.append(_sum_rows("Total, all grants", subtotals, columns, "total"))
    summary.chart = charts.stacked_bars(
        chart_id="grants-chart",
        title="Grant allocations by financial year and programme",
        description=(
            "Stacked bars: one bar per financial year, one segment per grant programme. "
            "The table beside the chart gives the figures."
        ),
        categories=periods,
        series=_series(
            (a.programme.label, a.period_label, _round(a.amount, units)) for a in allocations
        ),
    )
    return summary


def _series(items: Iterable[tuple[str, str, Decimal]]) -> dict[str, dict[str, Decimal]]:
    series: dict[str, dict[str, Decimal]] = {}
    for name, category, amount in items:
        _add(series.setdefault(name, {}), category, amount)
    return dict(sorted(series.items()))


# --- Contracts by authority and year (Table 1) ------------------------------------------


def contract_weights(contract: Contract) -> dict[Authority, Decimal]:
    """Who pays what share: percentages, else fixed amounts, else the lead pays all."""
    shares = list(contract.shares.all())
    if not shares:
        return {contract.lead_authority: Decimal("100")}
    if all(share.percentage is not None for share in shares):
        return {share.authority: share.percentage for share in shares}
    return {share.authority: share.fixed_amount or ZERO for share in shares}


@dataclass(frozen=True)
class ContractYears:
    contract: Contract
    profile: dict[str, Decimal]
    funding: dict[str, dict[str, Decimal]]


def contract_years(contracts: Iterable[Contract]) -> list[ContractYears]:
    """Each contract's financial-year profile (its stored year figures) and funding
    (contracts from ``coverage.contracts_with_funding``, which prefetches both)."""
    return [
        ContractYears(c, coverage.cost_by_year(c), coverage.funding_by_source(c)) for c in contracts
    ]


def contracts_summary(
    items: list[ContractYears], years: list[str], *, units: str = POUNDS
) -> Summary:
    """Each contract's value per financial year, split between the authorities."""
    summary = Summary("Contracts by authority and financial year", units, "Contract")
    weights = {item.contract.pk: contract_weights(item.contract) for item in items}
    authorities = {
        year: _by_name(
            authority
            for item in items
            if item.profile.get(year)
            for authority in weights[item.contract.pk]
        )
        for year in years
    }
    for year in years:
        summary.groups.append((year, _authority_columns(year, authorities[year])))
    rows = []
    for item in items:
        if not any(item.profile.get(year) for year in years):
            continue
        row = Row(str(item.contract), url=item.contract.get_absolute_url())
        for year in years:
            amount = item.profile.get(year)
            if not amount:
                continue
            for authority in authorities[year]:
                row.cells[(year, authority)] = ZERO
            for authority, part in _split(amount, weights[item.contract.pk], units).items():
                row.cells[(year, authority)] = part
                _add(row.cells, (year, TOTAL), part)
        rows.append(row)
    summary.rows = rows
    if rows:
        summary.rows.append(_sum_rows("Total", rows, summary.columns, "total"))
    summary.chart = funding_chart(items, years, units)
    return summary


def funding_chart(
    items: list[ContractYears], years: list[str], units: str
) -> charts.StackedBarChart:
    """Spend by year and source: Public Health Grant, grants, contributions, unfunded."""
    series: dict[str, dict[str, Decimal]] = {s: {} for s in (*coverage.SOURCES, coverage.UNFUNDED)}
    for item in items:
        for year in years:
            cost = item.profile.get(year, ZERO)
            funded = ZERO
            for source in coverage.SOURCES:
                amount = item.funding[source].get(year, ZERO)
                funded += amount
                _add(series[source], year, amount)
            _add(series[coverage.UNFUNDED], year, max(cost - funded, ZERO))
    series = {
        name: {year: _round(amount, units) for year, amount in per_year.items()}
        for name, per_year in series.items()
    }
    return charts.stacked_bars(
        chart_id="funding-chart",
        title="Contract spend by financial year and funding source",
        description=(
            "Stacked bars: one bar per financial year, with segments for the Public Health "
            "Grant, grant commitments, contributions and any cost not yet funded. The table "
            "beside the chart gives the figures."
        ),
        categories=years,
        series=series,
    )


# --- By funder ----------------------------------------------------------------------------


def funders_summary(allocations: list[GrantAllocation], *, units: str = POUNDS) -> Summary:
    """Allocated, committed and uncommitted per funder and year (commitments prefetched)."""
    summary = Summary("Grants by funder", units, "Funder")
    periods = sorted({a.period_label for a in allocations})
    for period in periods:
        summary.groups.append(
            (
                period,
                [
                    Column(period, "allocated", "Allocated"),
                    Column(period, "committed", "Committed"),
                    Column(period, "uncommitted", "Uncommitted"),
                ],
            )
        )
    rows: dict[int, Row] = {}
    for allocation in sorted(allocations, key=lambda a: a.programme.funder.name):
        funder = allocation.programme.funder
        row = rows.setdefault(funder.pk, Row(funder.name))
        period = allocation.period_label
        committed = sum((c.amount for c in allocation.commitments.all()), ZERO)
        allocated = _round(allocation.amount, units)
        committed = _round(committed, units)
        _add(row.cells, (period, "allocated"), allocated)
        _add(row.cells, (period, "committed"), committed)
        _add(row.cells, (period, "uncommitted"), allocated - committed)
    summary.rows = list(rows.values())
    if rows:
        summary.rows.append(_sum_rows("Total", summary.rows, summary.columns, "total"))
    summary.chart = charts.stacked_bars(
        chart_id="funders-chart",
        title="Grant allocations by financial year and funder",
        description=(
            "Stacked bars: one bar per financial year, one segment per funder. The table "
            "beside the chart gives the figures."
        ),
        categories=periods,
        series=_series(
            (str(a.programme.funder), a.period_label, _round(a.amount, units)) for a in allocations
        ),
    )
    return summary


# --- By service area ------------------------------------------------------------------------


def service_areas_summary(
    items: list[ContractYears], years: list[str], *, units: str = POUNDS
) -> Summary:
    """Cost, funding and the unfunded remainder per service area and year."""
    summary = Summary("Funding by service area", units, "Service area")
    for year in years:
        summary.groups.append(
            (
                year,
                [
                    Column(year, "cost", "Cost"),
                    Column(year, "funded", "Funded"),
                    Column(year, "unfunded", "Unfunded"),
                ],
            )
        )
    rows: dict[str, Row] = {}
    for item in sorted(items, key=lambda i: i.contract.get_service_area_display()):
        label = item.contract.get_service_area_display()
        row = rows.setdefault(label, Row(label))
        for year in years:
            cost = item.profile.get(year)
            funded = sum((item.funding[s].get(year, ZERO) for s in coverage.SOURCES), ZERO)
            if cost is None and not funded:
                continue
            cost, funded = _round(cost or ZERO, units), _round(funded, units)
            _add(row.cells, (year, "cost"), cost)
            _add(row.cells, (year, "funded"), funded)
            _add(row.cells, (year, "unfunded"), max(cost - funded, ZERO))
    summary.rows = [row for row in rows.values() if row.cells]
    if summary.rows:
        summary.rows.append(_sum_rows("Total", summary.rows, summary.columns, "total"))
    summary.chart = funding_chart(items, years, units)
    return summary
