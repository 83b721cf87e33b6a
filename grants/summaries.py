"""Funding summaries: tables with totals rows, in pounds or £000s, and their charts.

Each table is worked out here once and then shown as a page, a CSV file and a chart,
so all three agree. Cells in £000s are rounded first and the totals add up the
rounded cells, as the councils' own tables do (grants.rules.split_in_units).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.core.paginator import Page
from django.urls import reverse

from contracts.models import Authority, Contract
from grants import aggregates, charts, rules
from grants.models import ZERO, GrantAllocation
from ui import exports

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
    # A long table shows one page of rows (then the totals of all of them), and its
    # export reads every row from the database as it streams.
    page: Page | None = None
    export_rows: Callable[[], Iterable[Row]] | None = None

    @property
    def columns(self) -> list[Column]:
        return [column for _, columns in self.groups for column in columns]

    @property
    def unit_label(self) -> str:
        return UNITS[self.units]

    def table_rows(self) -> list[tuple[Row, list[Decimal | None]]]:
        return [(row, [row.cells.get(c.id) for c in self.columns]) for row in self.rows]

    def csv_rows(self) -> Iterator[list[str]]:
        """The header, then every row (all pages), one at a time."""
        columns = self.columns
        yield [self.row_heading] + [
            f"{group} {column.label} ({self.unit_label})"
            for group, cols in self.groups
            for column in cols
        ]
        for row in self.export_rows() if self.export_rows else self.rows:
            cells = [row.cells.get(c.id) for c in columns]
            if row.kind == "section":
                yield [row.label] + [""] * len(cells)
                continue
            yield [row.label] + [_plain(cell, self.units) for cell in cells]

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


def _contract_rows(cells: Iterable[tuple], columns: dict[str, list[Column]]) -> Iterator[Row]:
    """A row per contract from its cells (aggregates.cells_of, in contract order): in
    each year it has money, every authority of that year shown, then its Total."""
    for _, contract_cells in groupby(cells, key=itemgetter(0)):
        row = None
        for contract_id, reference, title, year, authority_id, cell in contract_cells:
            if row is None:
                row = Row(
                    f"{reference} {title}", url=reverse("contracts:detail", args=[contract_id])
                )
            if (year, TOTAL) not in row.cells:
                for column in columns.get(year, ()):
                    row.cells[column.id] = ZERO
            row.cells[(year, authority_id)] = cell
            _add(row.cells, (year, TOTAL), cell)
        yield row


def contracts_summary(
    contracts, years: list[str], *, units: str = POUNDS, page: int | str | None = 1
) -> Summary:
    """Each contract's value per financial year, split between the authorities: a page
    of rows, then the totals of every row (each authority's, added up by the database).

    ``contracts`` is a queryset (aggregates.summary_contracts). ``page`` None reads no
    page, for the CSV export, which streams every row (``Summary.csv_rows``).
    """
    summary = Summary("Contracts by authority and financial year", units, "Contract")
    in_thousands = units == THOUSANDS
    total = Row("Total", kind="total")
    authorities: dict[str, list[Column]] = {}
    for line in aggregates.authority_totals(contracts, years, in_thousands=in_thousands):
        year = line["year"]
        label = line["authority__short_name"] or line["authority__name"]
        authorities.setdefault(year, []).append(Column(year, line["authority_id"], label))
        total.cells[(year, line["authority_id"])] = line["total"]
        _add(total.cells, (year, TOTAL), line["total"])
    for year in years:
        summary.groups.append((year, [*authorities.get(year, []), Column(year, TOTAL, "Total")]))

    if page is not None:
        summary.page = aggregates.contract_page(contracts, years, page)
        on_page = contracts.filter(pk__in=[contract.pk for contract in summary.page])
        cells = aggregates.cells_of(on_page, years, in_thousands=in_thousands)
        summary.rows = list(_contract_rows(cells, authorities))
        if summary.rows:
            summary.rows.append(total)

    def every_row() -> Iterator[Row]:
        all_cells = aggregates.cells_of(contracts, years, in_thousands=in_thousands)
        yield from _contract_rows(exports.iterate(all_cells), authorities)
        if total.cells:
            yield total

    summary.export_rows = every_row
    summary.chart = funding_chart(contracts, years, units)
    return summary


def funding_chart(contracts, years: list[str], units: str) -> charts.StackedBarChart:
    """Spend by year and source: Public Health Grant, grants, contributions, unfunded
    (each year's sum, added up by the database, then rounded)."""
    series = {
        name: {year: _round(amount, units) for year, amount in per_year.items()}
        for name, per_year in aggregates.by_year_and_source(contracts, years).items()
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


def service_areas_summary(contracts, years: list[str], *, units: str = POUNDS) -> Summary:
    """Cost, funding and the unfunded remainder per service area and year: each cell a
    sum by the database (the unfunded part worked out per contract and year, then added
    up), rounded in £000s tables; the totals row adds the cells shown."""
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
    labels = dict(Contract.ServiceArea.choices)
    rows: dict[str, Row] = {}
    for (area, year), figures in aggregates.by_service_area_and_year(contracts, years).items():
        label = str(labels.get(area, area))
        row = rows.setdefault(label, Row(label))
        for name, amount in figures.items():
            row.cells[(year, name)] = _round(amount, units)
    summary.rows = [rows[label] for label in sorted(rows)]
    if summary.rows:
        summary.rows.append(_sum_rows("Total", summary.rows, summary.columns, "total"))
    summary.chart = funding_chart(contracts, years, units)
    return summary
