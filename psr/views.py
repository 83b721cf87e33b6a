from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify

from audit.history import combined_history
from contracts.models import Contract
from decisions import visibility
from decisions.models import DecisionContractLink
from decisions.pdf import html_to_pdf
from psr import notices, rules
from psr.filters import AwardRecordFilter
from psr.forms import AwardRecordForm, NoticePublishedForm
from psr.models import AwardRecord, Notice
from psr.notices import NoticeDraft
from psr.tables import AwardRecordTable
from ui import exports
from ui.edit import form_status, save_or_refuse
from ui.views import RegisterView

# --- Award records (reg 24) --------------------------------------------------------------


class AwardRecordList(RegisterView):
    permission_required = "psr.view_awardrecord"
    model = AwardRecord
    table_class = AwardRecordTable
    filterset_class = AwardRecordFilter
    template_name = "psr/awardrecord_list.html"
    title = "PSR award records"
    export_name = "psr-award-records"
    empty_text = (
        "No award records match. Clear the filters, or add a record from the page of a "
        "contract awarded under the Provider Selection Regime."
    )
    filter_hint = "Search by contract reference, title, provider or decision-makers."

    def get_queryset(self):
        return notices.record_queryset().order_by("contract__reference", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # PSR contracts that have no record yet: what the empty list asks for.
        context["without_record"] = list(
            Contract.objects.filter(
                procurement_route__startswith=rules.PSR_ROUTE_PREFIX, award_record__isnull=True
            )
            .only("pk", "reference", "title")
            .order_by("reference")[:10]
        )
        return context


def _record_or_404(pk: int) -> AwardRecord:
    return get_object_or_404(notices.record_queryset(), pk=pk)


def _notice_kinds(record: AwardRecord) -> list[str]:
    route = record.contract.procurement_route
    return [
        kind
        for kind in notices.AWARD_NOTICE_KINDS
        if kind != Notice.Kind.INTENTION or rules.needs_intention_notice(route)
    ]


def _key_criteria(record: AwardRecord) -> list[tuple[str, str]]:
    return [(label, getattr(record, name)) for label, name in notices.KEY_CRITERIA]


@permission_required("psr.view_awardrecord", raise_exception=True)
def awardrecord_detail(request, pk: int):
    record = _record_or_404(pk)
    history = combined_history(record.history.filter(id=pk), user=request.user)
    drafts = [notices.award_notice(record, kind) for kind in _notice_kinds(record)]
    return render(
        request,
        "psr/awardrecord_detail.html",
        {
            "record": record,
            "contract": record.contract,
            "standstill": notices.standstill_of(record),
            "key_criteria": _key_criteria(record),
            "drafts": drafts,
            "history": history,
        },
    )


def _awarding_decision(contract: Contract, user):
    """The latest decision that awarded ``contract`` and that ``user`` may read in full,
    or None: a new award record starts from what it recorded."""
    links = DecisionContractLink.objects.filter(
        contract=contract, kind=DecisionContractLink.Kind.AWARD
    ).select_related("decision")
    decisions = [link.decision for link in links if not visibility.withheld(link.decision, user)]
    return max(decisions, key=lambda d: (d.decision_date or date.min, d.pk), default=None)


def _awardrecord_form_page(request, *, contract: Contract, record: AwardRecord | None):
    initial = None
    if record is None:
        provider = contract.provider
        initial = {
            "provider_name": provider.name if provider else "",
            "provider_address": (
                "\n".join(filter(None, [provider.address, provider.postcode])) if provider else ""
            ),
        }
        # The awarding decision already holds who decided and the standstill's dates
        # (decisions.Decision.intention_notice_on): start from them, not a blank.
        decision = _awarding_decision(contract, request.user)
        if decision is not None:
            # Reg 24 asks for a committee or job titles, not names: the role first.
            initial |= {
                "decision_makers": decision.decision_maker_role or decision.decision_maker,
                "intention_notice_on": decision.intention_notice_on,
                "further_decision_on": decision.representations_decided_on,
            }
    form = AwardRecordForm(
        request.POST or None,
        instance=record or AwardRecord(contract=contract),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        saved = save_or_refuse(form)
        if saved is not None:
            messages.success(request, f"{saved} {'updated' if record else 'added'}.")
            return redirect(saved)
    return render(
        request,
        "psr/awardrecord_form.html",
        {
            "form": form,
            "title": f"Edit the award record of {contract.reference}"
            if record
            else f"Add the award record of {contract.reference}",
            "contract": contract,
            "cancel_url": record.get_absolute_url() if record else contract.get_absolute_url(),
            "object": record,
        },
        status=form_status(form),
    )


@permission_required("psr.add_awardrecord", raise_exception=True)
def awardrecord_create(request, contract_pk: int):
    contract = get_object_or_404(
        Contract.objects.select_related("provider", "lead_authority"), pk=contract_pk
    )
    if not rules.is_psr_route(contract.procurement_route):
        messages.error(
            request,
            f"{contract.reference} was not awarded under the Provider Selection Regime "
            f"({contract.get_procurement_route_display()}), so it keeps no reg 24 award record.",
        )
        return redirect(contract)
    existing = AwardRecord.objects.filter(contract=contract).first()
    if existing:
        messages.info(request, f"{contract.reference} has an award record: edit it here.")
        return redirect("psr:awardrecord_edit", existing.pk)
    return _awardrecord_form_page(request, contract=contract, record=None)


@permission_required("psr.change_awardrecord", raise_exception=True)
def awardrecord_edit(request, pk: int):
    record = _record_or_404(pk)
    return _awardrecord_form_page(request, contract=record.contract, record=record)


def _pdf(request, template: str, context: dict, filename: str) -> HttpResponse:
    html = render_to_string(template, context, request=request)
    data = html_to_pdf(html, base_url=request.build_absolute_uri("/"))
    return exports.download(data, filename, "application/pdf")


def _pdf_context(contract: Contract) -> dict:
    # The decisions PDF base names its council from ``decision.authority`` (masthead,
    # author): these documents are the contract's lead authority's.
    return {"decision": {"authority": contract.lead_authority}, "contract": contract}


@permission_required("psr.view_awardrecord", raise_exception=True)
def awardrecord_pdf(request, pk: int):
    record = _record_or_404(pk)
    return _pdf(
        request,
        "psr/pdf/award_record.html",
        {
            **_pdf_context(record.contract),
            "record": record,
            "standstill": notices.standstill_of(record),
            "key_criteria": _key_criteria(record),
        },
        f"{slugify(record.contract.reference)}-award-record.pdf",
    )


# --- Notices (Schedule 3; reg 13) ----------------------------------------------------------


def _award_draft_or_404(pk: int, kind: str) -> NoticeDraft:
    record = _record_or_404(pk)
    if kind not in _notice_kinds(record):
        raise Http404("This process publishes no such notice.")
    return notices.award_notice(record, kind)


def _modification_draft_or_404(pk: int) -> NoticeDraft:
    return notices.modification_notice(get_object_or_404(notices.modification_queryset(), pk=pk))


def _notice_page(request, draft: NoticeDraft):
    return render(
        request,
        "psr/notice_detail.html",
        {"draft": draft, "contract": draft.contract, "schedule_3": rules.SCHEDULE_3_FIELDS},
    )


def _notice_pdf(request, draft: NoticeDraft):
    name = f"{slugify(draft.contract.reference)}-{draft.kind}"
    if draft.modification:
        name += f"-{draft.modification.sequence}"
    return _pdf(
        request,
        "psr/pdf/notice.html",
        {
            **_pdf_context(draft.contract),
            "notice": draft,
            # The decisions PDF base marks a document "DRAFT" on every page while
            # ``draft`` is true: a notice is a draft until its publication is recorded.
            "draft": not draft.published,
        },
        f"{name}-notice.pdf",
    )


def _notice_published_page(request, draft: NoticeDraft):
    """Record when and where a drafted notice was published (a Notice row, made on the
    first save; its version guards later edits)."""
    notice = draft.notice or Notice(
        contract=draft.contract, kind=draft.kind, modification=draft.modification
    )
    initial = None
    if draft.notice is None and draft.kind == Notice.Kind.INTENTION and draft.record:
        # The record's notice date is what the standstill runs from: offer it.
        initial = {"published_on": draft.record.intention_notice_on}
    form = NoticePublishedForm(request.POST or None, instance=notice, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = save_or_refuse(form)
        if saved is not None:
            messages.success(request, f"{saved}: publication recorded.")
            return redirect(draft.urls["page"])
    return render(
        request,
        "psr/notice_published.html",
        {
            "form": form,
            "title": f"Record the publication of the {draft.title.lower()}",
            "draft": draft,
            "cancel_url": draft.urls["page"],
            "object": draft.notice,
        },
        status=form_status(form),
    )


@permission_required("psr.view_notice", raise_exception=True)
def notice_detail(request, pk: int, kind: str):
    return _notice_page(request, _award_draft_or_404(pk, kind))


@permission_required("psr.view_notice", raise_exception=True)
def notice_pdf(request, pk: int, kind: str):
    return _notice_pdf(request, _award_draft_or_404(pk, kind))


@permission_required("psr.change_notice", raise_exception=True)
def notice_published(request, pk: int, kind: str):
    return _notice_published_page(request, _award_draft_or_404(pk, kind))


@permission_required("psr.view_notice", raise_exception=True)
def modification_notice(request, pk: int):
    return _notice_page(request, _modification_draft_or_404(pk))


@permission_required("psr.view_notice", raise_exception=True)
def modification_notice_pdf(request, pk: int):
    return _notice_pdf(request, _modification_draft_or_404(pk))


@permission_required("psr.change_notice", raise_exception=True)
def modification_notice_published(request, pk: int):
    return _notice_published_page(request, _modification_draft_or_404(pk))
