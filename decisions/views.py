from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.history import REDACTED, combined_history
from decisions import figures, issuing, pdf, reports, visibility
from decisions.filters import DecisionFilter, ForwardPlanFilter
from decisions.forms import (
    ContractLinkForm,
    DecisionAttachmentForm,
    DecisionForm,
    ForwardPlanIssueForm,
    IssueForm,
    PathwayStageForm,
    RecommendationForm,
    RelationForm,
    ReportSectionForm,
)
from decisions.models import (
    Decision,
    DecisionAttachment,
    DecisionContractLink,
    DecisionRelation,
    IssuedDocument,
    PathwayStage,
    Recommendation,
    ReportSection,
)
from decisions.services import create_decision
from decisions.tables import DecisionTable, ForwardPlanTable
from ui import attachments, exports
from ui.edit import (
    delete_or_refuse,
    delete_with_history,
    form_status,
    save_or_refuse,
    save_with_history,
)
from ui.forms import DeleteForm
from ui.uploads import upload_limit
from ui.views import RegisterView


def _decision_for(user, pk: int, *, edit: bool = False, detail: bool = True) -> Decision:
    """The one fetch every decision view uses.

    Reading: the page shows an exempt decision's public fields to an uncleared user.
    Editing it or any of its parts, or making its PDFs (``edit``), needs clearance
    (403 otherwise), decided in decisions.visibility. ``detail`` prefetches what the
    page and the PDFs read.
    """
    queryset = Decision.objects.with_related()
    if detail:
        queryset = queryset.prefetch_related(*reports.detail_prefetch())
    if edit:
        return visibility.decision_for_edit(queryset, pk, user)
    return get_object_or_404(queryset, pk=pk)


class DecisionList(RegisterView):
    permission_required = "decisions.view_decision"
    model = Decision
    table_class = DecisionTable
    filterset_class = DecisionFilter
    template_name = "decisions/decision_list.html"
    title = "Decisions"
    export_name = "decisions"
    create_url_name = "decisions:create"
    create_permission = "decisions.add_decision"
    empty_text = "No decisions match. Clear the filters, or add a decision."

    def get_queryset(self):
        # Newest first; an exempt decision's date is withheld, so it sorts by number.
        return Decision.objects.with_related().ordered_for(
            self.request.user, "-decision_date", "-number"
        )

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "user": self.request.user}


class ForwardPlan(RegisterView):
    """Upcoming key decisions by date, with how each was notified."""

    permission_required = "decisions.view_decision"
    model = Decision
    table_class = ForwardPlanTable
    filterset_class = ForwardPlanFilter
    template_name = "decisions/forward_plan.html"
    title = "Forward plan of key decisions"
    export_name = "forward-plan"
    empty_text = "No key decisions are planned. Planned key decisions appear here by date."

    def get_queryset(self):
        return Decision.objects.forward_plan(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        authority = _chosen_authority(self.filterset)
        if authority is not None:
            # Each council publishes its own plan (reg 9): a filtered page is that plan.
            context["title"] = f"{self.title}: {authority.name}"
        return context

    def get_table_kwargs(self):
        rows = self.object_list if hasattr(self, "object_list") else self.get_queryset()
        deadlines = {d.pk: figures.deadlines_for(d) for d in rows}
        return {
            **super().get_table_kwargs(),
            "user": self.request.user,
            "deadlines": deadlines,
        }


def _history(decision: Decision, user) -> list:
    # Restricted at read time (audit.history.readable_history): an exempt decision's
    # earlier changes, and its parts' labels, are hidden whatever path made it exempt.
    return combined_history(
        Decision.history.filter(id=decision.pk),
        Recommendation.history.filter(decision_id=decision.pk),
        ReportSection.history.filter(decision_id=decision.pk),
        PathwayStage.history.filter(decision_id=decision.pk),
        DecisionContractLink.history.filter(decision_id=decision.pk),
        DecisionRelation.history.filter(decision_id=decision.pk),
        IssuedDocument.history.filter(decision_id=decision.pk),
        DecisionAttachment.history.filter(decision_id=decision.pk),
        user=user,
    )


@permission_required("decisions.view_decision", raise_exception=True)
def decision_detail(request, pk: int):
    decision = _decision_for(request.user, pk)
    context = reports.detail_context(decision, request.user, today=timezone.localdate())
    context["history"] = _history(decision, request.user)
    context["withdrawn_attachments"] = [
        a
        for a in reports.shown_attachments(decision, request.user, withdrawn=True)
        if a.withdrawn_at
    ]
    context["attachment_form"] = DecisionAttachmentForm()
    context["redacted_text"] = REDACTED
    context["issued"] = _issued_rows(decision, request.user)
    context["issue_links"] = _issue_links(decision, request.user)
    return render(request, "decisions/decision_detail.html", context)


@permission_required("decisions.add_decision", raise_exception=True)
def decision_create(request):
    form = DecisionForm(request.POST or None)

    def create(form):
        decision = create_decision(
            decision=form.save(commit=False),
            allocate=form.allocate_number,
            year=form.allocation_year,
            reason=form.cleaned_data.get("reason", ""),
        )
        form.save_m2m()
        return decision

    if request.method == "POST" and form.is_valid():
        # A typed number another clerk took meanwhile comes back as the number's error.
        decision = save_or_refuse(form, create)
        if decision is not None:
            messages.success(request, f"Decision {decision.number} added.")
            return redirect(decision)
    return render(
        request,
        "decisions/decision_form.html",
        {"form": form, "title": "Add a decision", "cancel_url": reverse("decisions:list")},
    )


@permission_required("decisions.change_decision", raise_exception=True)
def decision_edit(request, pk: int):
    decision = _decision_for(request.user, pk, edit=True, detail=False)
    form = DecisionForm(request.POST or None, instance=decision)

    def save(form):
        save_with_history(form, reason=form.cleaned_data.get("reason", ""))
        return decision

    if request.method == "POST" and form.is_valid() and save_or_refuse(form, save):
        messages.success(request, f"Decision {decision.number} updated.")
        return redirect(decision)
    return render(
        request,
        "decisions/decision_form.html",
        {
            "form": form,
            "title": f"Edit decision {decision.number}",
            "cancel_url": decision.get_absolute_url(),
            "object": decision,
        },
        status=form_status(form),
    )


# --- Parts of a decision: recommendations, sections, pathway stages, links ---------

PARTS = {
    "recommendation": (Recommendation, RecommendationForm, "recommendation", "recommendations"),
    "section": (ReportSection, ReportSectionForm, "report section", "sections"),
    "stage": (PathwayStage, PathwayStageForm, "pathway stage", "pathway"),
    "contract_link": (DecisionContractLink, ContractLinkForm, "contract link", "links"),
    "relation": (DecisionRelation, RelationForm, "earlier decision", "links"),
}


def _next_order(decision: Decision, model) -> int:
    last = model.objects.filter(decision=decision).order_by("-order").first()
    return (last.order + 1) if last else 1


@permission_required("decisions.change_decision", raise_exception=True)
def part_edit(request, pk: int, kind: str, part_pk: int | None = None):
    """Add or edit one part of a decision (POST, then back to the decision)."""
    model, form_class, noun, anchor = PARTS[kind]
    decision = _decision_for(request.user, pk, edit=True, detail=False)
    part = get_object_or_404(model, pk=part_pk, decision=decision) if part_pk else None
    initial = {}
    if part is None and "order" in form_class.Meta.fields:
        initial["order"] = _next_order(decision, model)
    form = form_class(
        request.POST or None, instance=part, decision=decision, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid() and save_or_refuse(form):
        messages.success(request, f"{noun.capitalize()} {'updated' if part else 'added'}.")
        return redirect(f"{decision.get_absolute_url()}#{anchor}")
    return render(
        request,
        "decisions/part_form.html",
        {
            "form": form,
            "title": f"{'Edit' if part else 'Add'} a {noun}",
            "decision": decision,
            "cancel_url": f"{decision.get_absolute_url()}#{anchor}",
        },
        status=form_status(form),
    )


@permission_required("decisions.change_decision", raise_exception=True)
def part_delete(request, pk: int, kind: str, part_pk: int):
    """Confirm, then delete one part of a decision."""
    model, _form, noun, anchor = PARTS[kind]
    decision = _decision_for(request.user, pk, edit=True, detail=False)
    part = get_object_or_404(model, pk=part_pk, decision=decision)
    back = f"{decision.get_absolute_url()}#{anchor}"
    form = DeleteForm(request.POST if request.method == "POST" else None, instance=part)
    if (
        request.method == "POST"
        and form.is_valid()
        and delete_or_refuse(
            form, lambda: delete_with_history(part, reason=form.cleaned_data["reason"])
        )
    ):
        messages.success(request, f"{noun.capitalize()} deleted.")
        return redirect(back)
    return render(
        request,
        "decisions/part_confirm_delete.html",
        {"decision": decision, "part": part, "noun": noun, "cancel_url": back, "form": form},
        status=form_status(form),
    )


# --- PDFs ----------------------------------------------------------------------------
# Any user who may read a decision may download its PDFs; auditors read the published
# documents as well as the page. An exempt decision's PDFs are not for publication:
# they need clearance, like editing it (the forward plan PDF lists it, as the page does).


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    return exports.download(data, filename, "application/pdf")


def _decision_pdf(request, pk: int, document: str) -> HttpResponse:
    decision = _decision_for(request.user, pk, edit=True)
    data = reports.decision_pdf(
        decision, document, user=request.user, base_url=request.build_absolute_uri("/")
    )
    slug = decision.number.replace("/", "-").replace(" ", "")
    return _pdf_response(data, f"{slug}-{document}.pdf")


@permission_required("decisions.view_decision", raise_exception=True)
def report_pdf(request, pk: int):
    return _decision_pdf(request, pk, pdf.REPORT)


@permission_required("decisions.view_decision", raise_exception=True)
def record_pdf(request, pk: int):
    return _decision_pdf(request, pk, pdf.RECORD)


@permission_required("decisions.view_decision", raise_exception=True)
def notice_pdf(request, pk: int):
    return _decision_pdf(request, pk, pdf.NOTICE)


def _chosen_authority(plan_filter):
    """The authority a forward plan is filtered to, if one is chosen (and valid)."""
    if plan_filter is None or not plan_filter.is_valid():
        return None
    return plan_filter.form.cleaned_data.get("authority")


@permission_required("decisions.view_decision", raise_exception=True)
def forward_plan_pdf(request):
    # The PDF lists what the page lists, with the same filters applied. The forward plan
    # is each authority's own: one plan per authority, the filtered one named even when
    # it plans nothing, each headed by the authority's name.
    # A joint committee's decision is on the plan of each council it binds.
    queryset = Decision.objects.forward_plan(request.user).prefetch_related("joint_authorities")
    plan_filter = ForwardPlanFilter(request.GET, queryset=queryset, request=request)
    decisions = list(plan_filter.qs)
    chosen = _chosen_authority(plan_filter)
    plans = {chosen.pk: {"authority": chosen, "rows": []}} if chosen else {}
    for d in decisions:
        row = {
            "decision": d,
            "hidden": visibility.withheld(d, request.user),
            "deadlines": figures.deadlines_for(d),
        }
        for authority in [chosen] if chosen else [d.authority, *d.joint_authorities.all()]:
            plan = plans.setdefault(authority.pk, {"authority": authority, "rows": []})
            plan["rows"].append(row)
    ordered = sorted(plans.values(), key=lambda plan: plan["authority"].name)
    data = pdf.render_forward_plan_pdf(
        {
            "plans": ordered or [{"authority": None, "rows": []}],
            "today": timezone.localdate(),
            "draft": True,
        },
        base_url=request.build_absolute_uri("/"),
    )
    return _pdf_response(data, "forward-plan.pdf")


# --- Issued documents ------------------------------------------------------------------
# Issuing renders a document once and keeps its bytes (decisions.issuing). Whoever may
# change decisions issues them, with clearance for an exempt decision (403 otherwise,
# from _decision_for). Every reader of the decision may download an issued version, and
# gets the file IssuedDocument.file_for says: the full one, the public one or none.

ISSUE_REFRESH_SECONDS = 3


def _issuable_kind(kind: str) -> IssuedDocument.Kind:
    if kind not in issuing.DECISION_KINDS:
        raise Http404("No such document.")
    return IssuedDocument.Kind(kind)


def _issued_rows(decision: Decision, user) -> list[dict]:
    """The decision's issued versions, each with the file (and hash) ``user`` gets."""
    hidden = decision.is_hidden_from(user)
    rows = []
    for document in decision.issued_documents.all():
        served = document.file_for(user)
        public = bool(served) and served.name == document.public_file.name
        rows.append(
            {
                "document": document,
                "available": bool(served),
                "public": public,
                "sha256": document.public_sha256 if public else document.sha256,
                # A re-issue's reason is part of the decision's content.
                "reason": "" if hidden else document.reason,
            }
        )
    return rows


def _issue_links(decision: Decision, user) -> list[dict]:
    """What the issue buttons say: the next version of each document."""
    if not user.has_perm("decisions.change_decision") or decision.is_hidden_from(user):
        return []
    last = {}
    for document in decision.issued_documents.all():
        last[document.kind] = max(last.get(document.kind, 0), document.version)
    return [
        {"kind": kind, "label": kind.label, "version": last.get(kind, 0) + 1}
        for kind in issuing.DECISION_KINDS
    ]


@permission_required("decisions.change_decision", raise_exception=True)
def issue(request, pk: int, kind: str):
    """Confirm, then issue the next version of a document in the background."""
    kind = _issuable_kind(kind)
    decision = _decision_for(request.user, pk, edit=True, detail=False)
    version = issuing.next_version(decision.issued_documents.filter(kind=kind))
    form = IssueForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        issuing.issue_document_task.enqueue(
            kind=kind.value,
            decision_id=decision.pk,
            user_id=request.user.pk,
            reason=form.cleaned_data["reason"],
            base_url=request.build_absolute_uri("/"),
        )
        return redirect("decisions:issue_progress", decision.pk, kind.value, version)
    return render(
        request,
        "decisions/issue_confirm.html",
        {
            "form": form,
            "decision": decision,
            "kind": kind,
            "version": version,
            "title": f"{'Re-issue' if version > 1 else 'Issue'} the {kind.label}",
            "cancel_url": f"{decision.get_absolute_url()}#issued",
        },
    )


@permission_required("decisions.view_decision", raise_exception=True)
def issue_progress(request, pk: int, kind: str, version: int):
    """Whether a version is issued yet; while it is not, the page reloads itself (a
    meta refresh, no script), as an import's progress page does."""
    kind = _issuable_kind(kind)
    decision = _decision_for(request.user, pk, detail=False)
    document = (
        decision.issued_documents.filter(kind=kind, version__gte=version)
        .order_by("version")
        .first()
    )
    return render(
        request,
        "decisions/issue_progress.html",
        {
            "decision": decision,
            "kind": kind,
            "version": version,
            "document": document,
            "title": f"{kind.label}, version {version}",
            "refresh_seconds": None if document else ISSUE_REFRESH_SECONDS,
        },
    )


@permission_required("decisions.view_decision", raise_exception=True)
def issued_download(request, pk: int):
    """The stored bytes of an issued version: the same bytes on every download."""
    document = get_object_or_404(IssuedDocument.objects.with_related(), pk=pk)
    stored = document.file_for(request.user)
    if not stored:
        return render(
            request,
            "decisions/issue_exempt.html",
            {"document": document, "decision": document.decision, "title": "Exempt document"},
            status=403,
        )
    filename = document.download_name(stored)
    return exports.download(stored.open("rb"), filename, "application/pdf")


@permission_required("decisions.change_decision", raise_exception=True)
def forward_plan_issue(request):
    """Issue an authority's forward plan for a period (in the background), and list the
    forward plans issued. The forward plan is public: one file serves every reader."""
    form = ForwardPlanIssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        authority = form.cleaned_data["authority"]
        period = (form.cleaned_data["period_from"], form.cleaned_data["period_to"])
        issuing.issue_document_task.enqueue(
            kind=IssuedDocument.Kind.FORWARD_PLAN.value,
            authority_id=authority.pk,
            period=(period[0].isoformat(), period[1].isoformat()),
            user_id=request.user.pk,
            reason=form.cleaned_data["reason"],
            base_url=request.build_absolute_uri("/"),
        )
        messages.success(
            request,
            f"Issuing version {form.version} of {authority.name}'s forward plan. It is "
            "listed below once it is stored; reload the page in a few seconds.",
        )
        return redirect("decisions:forward_plan_issue")
    issued = (
        IssuedDocument.objects.filter(kind=IssuedDocument.Kind.FORWARD_PLAN)
        .select_related("authority", "issued_by")
        .order_by("-issued_at")[:50]
    )
    return render(
        request,
        "decisions/issue_forward_plan.html",
        {
            "form": form,
            "issued": issued,
            "title": "Issue a forward plan",
            "cancel_url": reverse("decisions:forward_plan"),
        },
    )


# --- Attachments: appendices, background papers, the signed record --------------------
# What a user sees of a file is ui.attachments' to decide; these fetch the decision as
# every decision view does. Attaching and withdrawing need clearance for an exempt
# decision (as editing it does); a file exempt on its own is 403 to an uncleared user.


def _attachments_back(decision: Decision) -> str:
    return f"{decision.get_absolute_url()}#attachments"


@upload_limit(attachments.MAX_BYTES)
@permission_required("decisions.add_decisionattachment", raise_exception=True)
def attachment_add(request, pk: int):
    decision = _decision_for(request.user, pk, edit=True, detail=False)
    return attachments.upload_page(
        request,
        attachment=DecisionAttachment(decision=decision),
        form_class=DecisionAttachmentForm,
        back=_attachments_back(decision),
        caption=f"Decision {decision.number}: {decision.title}",
    )


@permission_required("decisions.view_decisionattachment", raise_exception=True)
def attachment_download(request, pk: int, attachment_pk: int):
    decision = _decision_for(request.user, pk, detail=False)
    attachment = attachments.get_readable(
        DecisionAttachment, request.user, pk=attachment_pk, decision=decision
    )
    return attachments.download_response(attachment)


@permission_required("decisions.change_decisionattachment", raise_exception=True)
def attachment_withdraw(request, pk: int, attachment_pk: int):
    decision = _decision_for(request.user, pk, edit=True, detail=False)
    attachment = attachments.get_readable(
        DecisionAttachment, request.user, pk=attachment_pk, decision=decision
    )
    return attachments.withdraw_page(
        request,
        attachment=attachment,
        back=_attachments_back(decision),
        caption=f"Decision {decision.number}: {decision.title}",
    )
