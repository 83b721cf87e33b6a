"""The reg 25 annual summary: choose an authority and year, then its page, CSV and PDF.

Any signed-in user may read it (LoginRequiredMiddleware): it is what the regulations
ask each authority to publish, and it reads no exempt information (psr.annual).
"""

from django import forms
from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from contracts.models import Authority
from decisions.pdf import html_to_pdf
from psr import rules
from psr.annual import AnnualSummary, annual_summary
from ui import exports
from ui.forms import GovukForm
from ui.lookup import AUTHORITIES, MAX_SELECT_OPTIONS, LookupField


def _years(today=None) -> list[int]:
    """The reporting years so far, the latest first."""
    today = today or timezone.localdate()
    latest = rules.reporting_year_of(today) or rules.FIRST_REPORTING_YEAR
    return list(range(latest, rules.FIRST_REPORTING_YEAR - 1, -1))


class AnnualChoiceForm(GovukForm):
    submit_label = "Show the summary"

    authority = LookupField(
        Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label="Choose an authority",
        error_messages={"required": "Choose the authority whose summary to show."},
    )
    year = forms.TypedChoiceField(
        label="Reporting year",
        coerce=int,
        help_text="Financial years, 1 April to 31 March; the first ran from 1 January 2024.",
        error_messages={
            "required": "Choose the reporting year.",
            "invalid_choice": "Choose one of the reporting years listed.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = _years()
        self.fields["year"].choices = [(year, rules.reporting_year(year).label) for year in years]
        self.fields["year"].initial = years[0]


# The summary lists contracts, providers and values: for anyone who may read contracts
# (a user with no role reads nothing, accounts.roles).
VIEW = "contracts.view_contract"


@permission_required(VIEW, raise_exception=True)
def annual(request):
    form = AnnualChoiceForm(request.GET or None)
    if form.is_valid():
        return redirect(
            "psr:annual_summary", form.cleaned_data["authority"].pk, form.cleaned_data["year"]
        )
    return render(request, "psr/annual.html", {"form": form, "title": "PSR annual summary"})


def _summary_for(authority_pk: int, year: int) -> AnnualSummary:
    authority = get_object_or_404(Authority, pk=authority_pk)
    if year not in _years():
        raise Http404("No reporting year of that number.")
    return annual_summary(authority, year)


def _name(summary: AnnualSummary) -> str:
    slug = (summary.authority.short_name or summary.authority.name).replace(" ", "-")
    return f"psr-annual-summary-{slug}-{summary.year.year}"


@permission_required(VIEW, raise_exception=True)
def annual_summary_page(request, authority_pk: int, year: int):
    summary = _summary_for(authority_pk, year)
    export_format = exports.requested_format(request, offered=(exports.CSV,))
    if export_format:
        return exports.response(
            csv_rows(summary), export_format, _name(summary), "PSR annual summary"
        )
    return render(request, "psr/annual_summary.html", {"summary": summary})


@permission_required(VIEW, raise_exception=True)
def annual_summary_pdf(request, authority_pk: int, year: int):
    summary = _summary_for(authority_pk, year)
    html = render_to_string(
        "psr/pdf/annual_summary.html",
        {"summary": summary, "today": timezone.localdate()},
    )
    data = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    return exports.download(data, f"{_name(summary)}.pdf", "application/pdf")


def csv_rows(summary: AnnualSummary):
    """The summary as published (one line per reg 25 figure), then each figure's records."""
    s = summary
    yield ["Reg 25(2)", "Figure", "Number", "Value at award (£)", "Current value (£)"]
    for line in s.lines:
        number = "Not recorded" if line.number is None else line.number
        values = (
            [exports.money(line.figure.original_total), exports.money(line.figure.current_total)]
            if line.valued
            else [None, None]
        )
        yield [line.para, line.text, number, *values]
    yield []
    yield [
        "Contracts awarded",
        "Reference",
        "Title",
        "Provider",
        "Process",
        "Awarded on",
        "Award date from",
        "Value at award (£)",
        "Current value (£)",
    ]
    for row in s.awards.rows:
        c = row.contract
        yield [
            "",
            c.reference,
            c.title,
            c.provider.name if c.provider else "",
            row.process,
            row.awarded_on,
            row.date_from,
            exports.money(row.original_value),
            exports.money(row.current_value),
        ]
    yield []
    yield [
        "Modifications",
        "Reference",
        "Sequence",
        "Type",
        "Effective",
        "Ground",
        "Urgent",
        "Lifetime change (£)",
        "Permitted",
        "Assessment",
    ]
    for row in s.modifications.rows:
        m = row.modification
        yield [
            "",
            row.contract.reference,
            m.sequence,
            m.get_kind_display(),
            m.effective_date,
            m.get_ground_display(),
            "Yes" if m.urgent else "No",
            exports.money(row.change),
            "Yes" if row.assessment.permitted else "No",
            row.assessment.reason,
        ]
    yield []
    yield ["Providers", "Provider", "Gained or lost", "Contracts"]
    for label, figure in (("Gained", s.gained), ("Lost", s.lost)):
        for row in figure.rows:
            yield ["", row.provider.name, label, "; ".join(c.reference for c in row.contracts)]
    yield []
    yield ["Representations", "Reference", "Standstill ended", "Received", "Outcome"]
    for row in s.representations.rows:
        yield ["", row.contract.reference, row.standstill_ended, row.received, row.outcome]
