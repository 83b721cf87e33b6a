import json
from decimal import Decimal
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.history import combined_history, history_rows
from contracts.models import Contract
from grants import aggregates, coverage, giving, rules, services, summaries, transfer
from grants.filters import (
    AllocationFilter,
    CommitmentFilter,
    FunderFilter,
    FundingFilter,
    OutboundGrantFilter,
)
from grants.forms import (
    AllocationForm,
    CommitmentForm,
    ContractFundingForm,
    OutboundGrantForm,
    ProgrammeEditForm,
    ProgrammeForm,
    SummaryForm,
    WarningDeleteForm,
)
from grants.models import (
    AllocationShare,
    ContractFunding,
    Funder,
    GrantAllocation,
    GrantCommitment,
    GrantProgramme,
    OutboundGrant,
)
from grants.tables import (
    AllocationTable,
    CommitmentTable,
    FunderTable,
    FundingTable,
    OutboundGrantTable,
)
from ui import exports, imports
from ui.edit import delete_or_refuse, delete_with_history, edit_view, form_status, save_or_refuse
from ui.uploads import upload_limit
from ui.views import RegisterView

# --- Allocations ------------------------------------------------------------------------


class AllocationList(RegisterView):
    permission_required = "grants.view_grantallocation"
    model = GrantAllocation
    table_class = AllocationTable
    filterset_class = AllocationFilter
    template_name = "grants/allocation_list.html"
    title = "Grant allocations"
    export_name = "grant-allocations"
    create_url_name = "grants:allocation_create"
    create_permission = "grants.add_grantallocation"
    empty_text = "No grant allocations match. Clear the filters, or add an allocation."
    filter_hint = "Search by programme, funder or conditions."

    def get_queryset(self):
        # Ordered explicitly: Meta.ordering does not apply to aggregated querysets.
        return (
            GrantAllocation.objects.with_related()
            .with_committed()
            .order_by("-financial_year", "programme__name", "authority__name", "pk")
        )


def _allocation_or_404(pk: int) -> GrantAllocation:
    return get_object_or_404(GrantAllocation.objects.with_related().with_committed(), pk=pk)


@permission_required("grants.view_grantallocation", raise_exception=True)
def allocation_detail(request, pk: int):
    allocation = _allocation_or_404(pk)
    commitments = list(
        GrantCommitment.objects.with_related()
        .filter(allocation=allocation)
        .order_by("financial_year", "pk")
    )
    weights = allocation.share_weights()
    split = rules.split_by_shares(allocation.amount, weights)
    contract_ids = {c.contract_id for c in commitments if c.contract_id}
    contracts = coverage.contracts_with_funding(Contract.objects.filter(pk__in=contract_ids))
    years = set(allocation.financial_years)
    contract_coverage = [
        (
            contract,
            [row for row in coverage.contract_coverage(contract) if row.financial_year in years],
        )
        for contract in contracts
    ]
    history = combined_history(
        allocation.history.all(),
        AllocationShare.history.filter(allocation_id=pk),
        GrantCommitment.history.filter(allocation_id=pk),
        user=request.user,
    )
    return render(
        request,
        "grants/allocation_detail.html",
        {
            "allocation": allocation,
            "commitments": commitments,
            "split": [(authority, weights[authority], split[authority]) for authority in weights],
            "contract_coverage": contract_coverage,
            "history": history,
        },
    )


def _allocation_form_page(request, *, allocation: GrantAllocation | None):
    initial = {"programme": request.GET.get("programme")} if allocation is None else None
    form = AllocationForm(
        request.POST or None, instance=allocation, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_or_refuse(
                form,
                lambda form: services.save_allocation(
                    allocation=form.save(commit=False),
                    shares=form.shares,
                    reason=form.cleaned_data.get("reason", ""),
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if saved is not None:
                messages.success(request, f"{saved} {'updated' if allocation else 'added'}.")
                return redirect(saved)
    return render(
        request,
        "grants/allocation_form.html",
        {
            "form": form,
            "title": f"Edit {allocation}" if allocation else "Add a grant allocation",
            "cancel_url": allocation.get_absolute_url() if allocation else reverse("grants:list"),
            "object": allocation,
        },
        status=form_status(form),
    )


@permission_required("grants.add_grantallocation", raise_exception=True)
def allocation_create(request):
    return _allocation_form_page(request, allocation=None)


@permission_required("grants.change_grantallocation", raise_exception=True)
def allocation_edit(request, pk: int):
    return _allocation_form_page(request, allocation=_allocation_or_404(pk))


def _confirm_delete(request, *, obj, title: str, cancel_url: str, warning: str, delete, done_url):
    """A confirmation page on GET; the delete itself only on POST."""
    form = WarningDeleteForm(request.POST if request.method == "POST" else None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            deleted = delete_or_refuse(form, lambda: delete(reason=form.cleaned_data["reason"]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if deleted:
                messages.success(request, f"{obj} deleted.")
                return redirect(done_url)
    return render(
        request,
        "grants/confirm_delete.html",
        {"form": form, "title": title, "cancel_url": cancel_url, "warning": warning, "object": obj},
        status=form_status(form),
    )


@permission_required("grants.delete_grantallocation", raise_exception=True)
def allocation_delete(request, pk: int):
    allocation = _allocation_or_404(pk)
    return _confirm_delete(
        request,
        obj=allocation,
        title=f"Delete {allocation}?",
        cancel_url=allocation.get_absolute_url(),
        warning="The allocation and its shares will be deleted. Its history is kept.",
        delete=lambda reason: services.delete_allocation(allocation=allocation, reason=reason),
        done_url=reverse("grants:list"),
    )


@permission_required("grants.add_grantprogramme", raise_exception=True)
def programme_create(request):
    """Add a programme (and its funder, if new), then go on to add an allocation of it."""
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        programme = services.add_programme(
            programme=form.save(commit=False),
            new_funder=None
            if data.get("funder")
            else (data["new_funder"], data["new_funder_short_name"]),
            reason=data.get("reason", ""),
        )
        messages.success(request, f"Programme {programme} added. Now add its allocation.")
        return redirect(f"{reverse('grants:allocation_create')}?programme={programme.pk}")
    return render(
        request,
        "grants/programme_form.html",
        {
            "form": form,
            "title": "Add a grant programme",
            "cancel_url": reverse("grants:allocation_create"),
        },
    )


@permission_required("grants.change_grantprogramme", raise_exception=True)
def programme_edit(request, pk: int):
    """Correct a programme's name; back to the allocation the user came from."""
    programme = get_object_or_404(GrantProgramme.objects.select_related("funder"), pk=pk)
    allocation_id = request.GET.get("allocation", "")
    allocation = (
        programme.allocations.filter(pk=allocation_id).first() if allocation_id.isdigit() else None
    )
    back = allocation.get_absolute_url() if allocation else reverse("grants:list")
    form = ProgrammeEditForm(request.POST if request.method == "POST" else None, instance=programme)
    if request.method == "POST" and form.is_valid() and save_or_refuse(form):
        messages.success(request, f"Programme {programme} updated.")
        return redirect(back)
    return render(
        request,
        "grants/programme_edit.html",
        {
            "form": form,
            "title": f"Edit the programme {programme}",
            "cancel_url": back,
            "programme": programme,
        },
        status=form_status(form),
    )


# --- Commitments ------------------------------------------------------------------------


class CommitmentList(RegisterView):
    permission_required = "grants.view_grantcommitment"
    model = GrantCommitment
    table_class = CommitmentTable
    filterset_class = CommitmentFilter
    template_name = "grants/commitment_list.html"
    title = "Grant commitments"
    export_name = "grant-commitments"
    empty_text = (
        "No commitments match. Clear the filters, or commit part of a grant from its "
        "allocation's page."
    )
    filter_hint = "Search by contract, service, programme or notes."

    def get_queryset(self):
        return GrantCommitment.objects.with_related().order_by(
            "-financial_year", "allocation__programme__name", "pk"
        )


def _commitment_form_page(request, *, allocation: GrantAllocation, commitment=None):
    form = CommitmentForm(request.POST or None, instance=commitment, allocation=allocation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_or_refuse(
                form,
                lambda form: services.save_commitment(
                    commitment=form.save(commit=False), reason=form.cleaned_data.get("reason", "")
                ),
            )
        except services.OverCommitment as error:
            form.add_error("amount", error.messages[0])
        except ValidationError as error:
            form.add_error(None, error)  # names its field: the financial year
        else:
            if saved is not None:
                verb = "updated" if commitment else "added"
                messages.success(request, f"Commitment of {form.instance.amount:,.2f} {verb}.")
                return redirect(allocation)
    return render(
        request,
        "grants/commitment_form.html",
        {
            "form": form,
            "title": "Change a commitment" if commitment else "Commit part of this allocation",
            "cancel_url": allocation.get_absolute_url(),
            "allocation": allocation,
        },
        status=form_status(form),
    )


@permission_required("grants.add_grantcommitment", raise_exception=True)
def commitment_add(request, pk: int):
    return _commitment_form_page(request, allocation=_allocation_or_404(pk))


def _commitment_or_404(pk: int) -> GrantCommitment:
    return get_object_or_404(GrantCommitment.objects.with_related(), pk=pk)


@permission_required("grants.change_grantcommitment", raise_exception=True)
def commitment_edit(request, pk: int):
    commitment = _commitment_or_404(pk)
    allocation = _allocation_or_404(commitment.allocation_id)
    return _commitment_form_page(request, allocation=allocation, commitment=commitment)


@permission_required("grants.delete_grantcommitment", raise_exception=True)
def commitment_delete(request, pk: int):
    commitment = _commitment_or_404(pk)
    allocation = commitment.allocation
    return _confirm_delete(
        request,
        obj=commitment,
        title="Delete this commitment?",
        cancel_url=allocation.get_absolute_url(),
        warning=f"{commitment} will go back to the uncommitted balance of {allocation}.",
        delete=lambda reason: services.delete_commitment(commitment=commitment, reason=reason),
        done_url=allocation.get_absolute_url(),
    )


# --- Contract funding -------------------------------------------------------------------


class FundingList(RegisterView):
    permission_required = "grants.view_contractfunding"
    model = ContractFunding
    table_class = FundingTable
    filterset_class = FundingFilter
    template_name = "grants/funding_list.html"
    title = "Contract funding lines"
    export_name = "contract-funding"
    empty_text = (
        "No funding lines match. Clear the filters, or add funding from a contract's funding page."
    )
    filter_hint = "Search by contract, contributor or notes."

    def get_queryset(self):
        return ContractFunding.objects.select_related("contract", "authority").order_by(
            "-financial_year", "contract__reference", "source", "pk"
        )


def _contract_or_404(pk: int) -> Contract:
    return get_object_or_404(coverage.contracts_with_funding(), pk=pk)


def _contract_url(contract: Contract) -> str:
    return reverse("grants:contract_funding", args=[contract.pk])


@permission_required("grants.view_contractfunding", raise_exception=True)
def contract_funding(request, pk: int):
    """A contract's funding year by year and its coverage check."""
    contract = _contract_or_404(pk)
    rows = coverage.contract_coverage(contract)
    history = combined_history(
        ContractFunding.history.filter(contract_id=pk),
        GrantCommitment.history.filter(contract_id=pk),
        user=request.user,
    )
    return render(
        request,
        "grants/contract_funding.html",
        {
            "contract": contract,
            "panel": {
                "contract": contract,
                "coverage": rows,
                "problems": [row for row in rows if row.status != rules.COVERED],
                "lines": coverage.funding_lines(contract),
                "can_edit": request.user.has_perm("grants.add_contractfunding"),
                "add_url": reverse("grants:funding_add", args=[contract.pk]),
                "standalone": True,
            },
            "history": history,
        },
    )


@permission_required("grants.add_contractfunding", raise_exception=True)
def funding_add(request, pk: int):
    contract = _contract_or_404(pk)
    return _funding_form_page(request, contract=contract, line=None)


def _funding_form_page(request, *, contract: Contract, line: ContractFunding | None):
    form = ContractFundingForm(request.POST or None, instance=line, contract=contract)
    if request.method == "POST" and form.is_valid():
        saved = save_or_refuse(form)
        if saved is not None:
            messages.success(request, f"Funding line {saved} {'updated' if line else 'added'}.")
            return redirect(_contract_url(contract))
    return render(
        request,
        "grants/funding_form.html",
        {
            "form": form,
            "title": f"{'Change' if line else 'Add'} funding for {contract.reference}",
            "cancel_url": _contract_url(contract),
            "contract": contract,
        },
        status=form_status(form),
    )


def _funding_or_404(pk: int) -> ContractFunding:
    return get_object_or_404(ContractFunding.objects.select_related("contract"), pk=pk)


@permission_required("grants.change_contractfunding", raise_exception=True)
def funding_edit(request, pk: int):
    line = _funding_or_404(pk)
    return _funding_form_page(request, contract=line.contract, line=line)


@permission_required("grants.delete_contractfunding", raise_exception=True)
def funding_delete(request, pk: int):
    line = _funding_or_404(pk)

    return _confirm_delete(
        request,
        obj=line,
        title="Delete this funding line?",
        cancel_url=_contract_url(line.contract),
        warning=f"{line} will no longer count towards {line.contract.reference}'s funding.",
        delete=partial(delete_with_history, line),
        done_url=_contract_url(line.contract),
    )


# --- Summaries --------------------------------------------------------------------------


def _summary_filters(request, *, default_years: tuple[str, str] | None):
    """(form, authority, first year, last year, units) from the query string."""
    form = SummaryForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    first = data.get("from_year") or (default_years[0] if default_years else "")
    last = data.get("to_year") or (default_years[1] if default_years else "")
    if first and last and last < first:
        last = first
    return form, data.get("authority"), first, last, data.get("units") or summaries.POUNDS


def _render_summary(
    request, summary, form, *, export_name: str, intro: str, current: str, years=None
):
    if exports.requested_format(request, offered=(exports.CSV,)):
        return exports.csv_response(summary.csv_rows(), f"{export_name}.csv")
    query = request.GET.copy()
    query.pop("_export", None)
    query.pop("page", None)  # the export has every row, whichever page is shown
    return render(
        request,
        "grants/summary.html",
        {
            "summary": summary,
            "form": form,
            "title": summary.title,
            "intro": intro,
            "current": current,
            "export_query": query.urlencode(),
            "years_shown": rules.period_label(years[0], years[-1]) if years else "",
        },
    )


def _allocations_for(authority, first: str, last: str):
    allocations = GrantAllocation.objects.with_related().prefetch_related("commitments")
    if authority:
        allocations = allocations.filter(
            Q(authority=authority) | Q(shares__authority=authority)
        ).distinct()
    if first:
        # A blank last year sorts before every year, so one-year grants match the first test.
        allocations = allocations.filter(
            Q(financial_year__gte=first) | Q(last_financial_year__gte=first)
        )
    if last:
        allocations = allocations.filter(financial_year__lte=last)
    return list(allocations)


@permission_required("grants.view_grantallocation", raise_exception=True)
def summary_grants(request):
    form, authority, first, last, units = _summary_filters(request, default_years=None)
    summary = summaries.grants_summary(_allocations_for(authority, first, last), units=units)
    return _render_summary(
        request,
        summary,
        form,
        export_name="grants-by-authority-and-year",
        intro="Each grant's allocation split between the authorities that share it, by "
        "financial year (Table 2 style), with totals for each group of authorities.",
        current="grants:summary_grants",
    )


@permission_required("grants.view_grantallocation", raise_exception=True)
def summary_funders(request):
    form, authority, first, last, units = _summary_filters(request, default_years=None)
    summary = summaries.funders_summary(_allocations_for(authority, first, last), units=units)
    return _render_summary(
        request,
        summary,
        form,
        export_name="grants-by-funder",
        intro="What each funder has allocated, how much of it is committed and what is left.",
        current="grants:summary_funders",
    )


# Wide enough for a contract's whole life, short enough to stay readable.
MAX_SUMMARY_YEARS = 10


def _year_list(first: str, last: str) -> list[str]:
    return rules.financial_years_between(first, last)[:MAX_SUMMARY_YEARS]


@permission_required("grants.view_contractfunding", raise_exception=True)
def summary_contracts(request):
    form, authority, first, last, units = _summary_filters(
        request, default_years=rules.financial_years_ahead(timezone.localdate())
    )
    years = _year_list(first, last)
    # An export streams every row, so it reads no page.
    exporting = exports.requested_format(request, offered=(exports.CSV,)) is not None
    summary = summaries.contracts_summary(
        aggregates.summary_contracts(authority),
        years,
        units=units,
        page=None if exporting else request.GET.get("page", 1),
    )
    return _render_summary(
        request,
        summary,
        form,
        years=years,
        export_name="contracts-by-authority-and-year",
        intro="Each contract's value in each financial year, split between the authorities "
        "by their cost shares (Table 1 style). The chart shows how that spend is funded.",
        current="grants:summary_contracts",
    )


@permission_required("grants.view_contractfunding", raise_exception=True)
def summary_service_areas(request):
    form, authority, first, last, units = _summary_filters(
        request, default_years=rules.financial_years_ahead(timezone.localdate())
    )
    years = _year_list(first, last)
    summary = summaries.service_areas_summary(
        aggregates.summary_contracts(authority), years, units=units
    )
    return _render_summary(
        request,
        summary,
        form,
        years=years,
        export_name="funding-by-service-area",
        intro="Contract cost in each service area by financial year, the funding recorded "
        "for it and what is not yet funded.",
        current="grants:summary_service_areas",
    )


# --- Outbound grants and 360Giving -------------------------------------------------------


class OutboundGrantList(RegisterView):
    permission_required = "grants.view_outboundgrant"
    model = OutboundGrant
    table_class = OutboundGrantTable
    filterset_class = OutboundGrantFilter
    template_name = "grants/outbound_list.html"
    title = "Grants we award"
    export_name = "grants-awarded"
    create_url_name = "grants:outbound_create"
    create_permission = "grants.add_outboundgrant"
    empty_text = "No grants awarded match."
    filter_hint = "Search by recipient, title, charity number or reference."

    def get_queryset(self):
        return OutboundGrant.objects.with_related()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["has_grants"] = OutboundGrant.objects.exists()
        return context


@permission_required("grants.view_outboundgrant", raise_exception=True)
def outbound_detail(request, pk: int):
    grant = get_object_or_404(OutboundGrant.objects.with_related(), pk=pk)
    return render(
        request,
        "grants/outbound_detail.html",
        {
            "grant": grant,
            "recipient_id": giving.recipient_id(grant),
            "history": history_rows(grant.history.all(), request.user),
        },
    )


@permission_required("grants.add_outboundgrant", raise_exception=True)
def outbound_create(request):
    return edit_view(
        request,
        form_class=OutboundGrantForm,
        template="grants/outbound_form.html",
        title="Record a grant awarded",
        cancel_url=reverse("grants:outbound_list"),
    )


@permission_required("grants.change_outboundgrant", raise_exception=True)
def outbound_edit(request, pk: int):
    grant = get_object_or_404(OutboundGrant.objects.with_related(), pk=pk)
    return edit_view(
        request,
        form_class=OutboundGrantForm,
        instance=grant,
        template="grants/outbound_form.html",
        title=f"Edit {grant}",
        cancel_url=grant.get_absolute_url(),
    )


@permission_required("grants.delete_outboundgrant", raise_exception=True)
def outbound_delete(request, pk: int):
    grant = get_object_or_404(OutboundGrant.objects.with_related(), pk=pk)

    return _confirm_delete(
        request,
        obj=grant,
        title="Delete this grant?",
        cancel_url=grant.get_absolute_url(),
        warning=f"{grant} will no longer be published in the 360Giving files. Its history is kept.",
        delete=partial(delete_with_history, grant),
        done_url=reverse("grants:outbound_list"),
    )


def _published_grants():
    return OutboundGrant.objects.with_related().order_by("award_date", "pk")


def _nothing_to_publish(request):
    """360Giving files must hold at least one grant, so an empty file is never served."""
    return render(
        request,
        "grants/giving_empty.html",
        {"title": "No grants to publish yet"},
        status=404,
    )


@permission_required("grants.view_outboundgrant", raise_exception=True)
def giving_json(request):
    grants = list(_published_grants())
    if not grants:
        return _nothing_to_publish(request)
    data = json.dumps(giving.package(grants), indent=2, cls=DjangoJSONEncoder)
    return exports.download(data, "360giving-grants.json", "application/json")


@permission_required("grants.view_outboundgrant", raise_exception=True)
def giving_csv(request):
    grants = list(_published_grants())
    if not grants:
        return _nothing_to_publish(request)
    return exports.csv_response(giving.csv_rows(grants), "360giving-grants.csv")


# --- Import and export of allocations -----------------------------------------------------


@upload_limit(imports.MAX_BYTES)
@permission_required("grants.add_grantallocation", raise_exception=True)
def import_allocations(request):
    """Upload → preview (nothing saved) → confirm (all rows, or none): ui.imports."""
    return imports.import_view(request, transfer.IMPORTER)


@permission_required("grants.view_grantallocation", raise_exception=True)
def export_allocations(request):
    allocations = GrantAllocation.objects.with_related().order_by(
        "financial_year", "programme__funder__name", "programme__name", "authority__name"
    )
    return exports.csv_response(transfer.export_rows(allocations), "grant-allocations.csv")


# --- Funders ---------------------------------------------------------------------------


class FunderList(RegisterView):
    permission_required = "grants.view_funder"
    model = Funder
    table_class = FunderTable
    filterset_class = FunderFilter
    title = "Funders"
    template_name = "grants/funder_list.html"
    export_name = "funders"
    empty_text = "No funders match. Clear the filters; administrators add funders."
    filter_hint = "Search by name or short name."

    def get_queryset(self):
        return Funder.objects.annotate(
            allocations=Count("programmes__allocations"),
            total=Coalesce(Sum("programmes__allocations__amount"), Decimal("0")),
        ).order_by("name")


FUNDER_HISTORY_ROWS = 20


@permission_required("grants.view_funder", raise_exception=True)
def funder_detail(request, pk: int):
    """A funder's programmes and what they allocated each year: three queries."""
    funder = get_object_or_404(Funder, pk=pk)
    programmes = funder.programmes.annotate(
        allocations_count=Count("allocations"),
        total=Coalesce(Sum("allocations__amount"), Decimal("0")),
    ).order_by("name")
    by_year = (
        GrantAllocation.objects.filter(programme__funder=funder)
        .values("financial_year", "status")
        .annotate(count=Count("pk"), total=Sum("amount"))
        .order_by("financial_year", "status")
    )
    return render(
        request,
        "grants/funder_detail.html",
        {
            "funder": funder,
            "programmes": list(programmes),
            "by_year": [
                {**row, "status_label": GrantAllocation.Status(row["status"]).label}
                for row in by_year
            ],
            "history": history_rows(funder.history.all(), request.user, limit=FUNDER_HISTORY_ROWS),
        },
    )
