"""The public transparency site's pages: no sign-in, the same for every reader.

Every page shows what the public may see, whoever is signed in: decisions come from
``Decision.objects.published()``, and what an exempt one shows is decided by
``decisions.visibility`` for an anonymous reader (READER); attachments by
``ui.attachments``, issued files by ``IssuedDocument.file_for``. No view decides for
itself what to hide. Anonymous pages are cached (public.cache).
"""

import functools

from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from contracts.models import Authority, Contract
from decisions import visibility
from decisions.models import Decision, DecisionAttachment, IssuedDocument
from grants.models import OutboundGrant
from public.cache import cached_page
from public.filters import (
    READER,
    PublicContractFilter,
    PublicDecisionFilter,
    PublicForwardPlanFilter,
    PublicGrantFilter,
)
from public.tables import (
    PublicContractTable,
    PublicDecisionTable,
    PublicForwardPlanTable,
    PublicGrantTable,
)
from ui import attachments, exports

PER_PAGE = 25
ISSUED_FORWARD_PLANS_SHOWN = 6


def _not_found(request, message: str):
    return render(request, "public/not_found.html", {"message": message}, status=404)


def public_page(view):
    """A public page: no sign-in, GET only, the ``authority`` argument fetched (a
    helpful 404 if there is none), and anonymous responses cached."""

    @functools.wraps(view)
    def with_authority(request, *args, **kwargs):
        if "authority" in kwargs:
            authority = Authority.objects.filter(pk=kwargs["authority"]).first()
            if authority is None:
                return _not_found(
                    request, f"There is no authority number {kwargs['authority']} on this site."
                )
            kwargs["authority"] = authority
        return view(request, *args, **kwargs)

    return login_not_required(require_safe(cached_page(with_authority)))


def _published(authority):
    return Decision.objects.published().for_authority(authority)


# The authority's open-data files and feeds, by the page that links them.
FORWARD_PLAN_FILES = (("public:forward_plan_ics", "Calendar (iCalendar)"),)
DECISION_FILES = (("public:decisions_atom", "New decisions (Atom feed)"),)
CONTRACT_FILES = (
    ("public:transparency_contracts", "Contracts (Transparency Code CSV)"),
    ("public:ocds", "Contracts (Open Contracting Data Standard JSON)"),
)
GRANT_FILES = (("public:transparency_grants", "Grants to VCSE bodies (Transparency Code CSV)"),)
# An empty 360Giving package is invalid: no file until a grant is awarded.
GIVING_FILE = ("public:giving", "Grants (360Giving JSON)")


def _links(authority, *entries) -> list[dict]:
    return [
        {"url": reverse(name, kwargs={"authority": authority.pk}), "label": label}
        for name, label in entries
    ]


def _grant_files(authority, any_awarded: bool) -> tuple:
    return (*GRANT_FILES, GIVING_FILE) if any_awarded else GRANT_FILES


def _register(request, *, queryset, filterset_class, table_class, empty_text, **table_kwargs):
    """The filtered, sorted and paged table, and the filter: (table, filter, status)."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else queryset.none()
    table = table_class(rows, empty_text=empty_text, **table_kwargs)
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return table, filterset, 200 if valid else 400


def _register_page(request, template: str, context: dict, table, filterset, status: int):
    context.update({"table": table, "filter": filterset, "authority_nav": _authority_nav(context)})
    return render(request, template, context, status=status)


def _authority_nav(context) -> list[dict]:
    authority = context["authority"]
    return [
        {"name": name, "label": label, "url": reverse(name, args=[authority.pk])}
        for name, label in (
            ("public:forward_plan", "Forward plan"),
            ("public:decisions", "Decisions"),
            ("public:contracts", "Contracts"),
            ("public:grants", "Grants"),
        )
    ]


@public_page
def index(request):
    authorities = Authority.objects.order_by("name")
    return render(
        request, "public/index.html", {"authorities": authorities, "title": "Public information"}
    )


@public_page
def authority_home(request, authority):
    any_awarded = OutboundGrant.objects.filter(programme__authority=authority).exists()
    files = (*FORWARD_PLAN_FILES, *DECISION_FILES, *CONTRACT_FILES)
    context = {
        "authority": authority,
        "title": authority.name,
        "open_data": _links(authority, *files, *_grant_files(authority, any_awarded)),
    }
    context["authority_nav"] = _authority_nav(context)
    return render(request, "public/authority.html", context)


@public_page
def forward_plan(request, authority):
    queryset = _published(authority).forward_plan(READER, today=timezone.localdate())
    table, filterset, status = _register(
        request,
        queryset=queryset,
        filterset_class=PublicForwardPlanFilter,
        table_class=PublicForwardPlanTable,
        empty_text="No key decisions are planned.",
        user=READER,
    )
    issued = IssuedDocument.objects.filter(
        kind=IssuedDocument.Kind.FORWARD_PLAN, authority=authority
    ).order_by("-issued_at")[:ISSUED_FORWARD_PLANS_SHOWN]
    context = {
        "authority": authority,
        "title": f"Forward plan of key decisions: {authority.name}",
        "section": "public:forward_plan",
        "issued_plans": issued,
        "open_data": _links(authority, *FORWARD_PLAN_FILES),
    }
    return _register_page(request, "public/forward_plan.html", context, table, filterset, status)


@public_page
def decision_list(request, authority):
    queryset = _published(authority).with_related()
    queryset = visibility.ordered(queryset, READER, "-decision_date", "-number")
    table, filterset, status = _register(
        request,
        queryset=queryset,
        filterset_class=PublicDecisionFilter,
        table_class=PublicDecisionTable,
        empty_text="No published decisions match. Clear the filters to see them all.",
        user=READER,
    )
    context = {
        "authority": authority,
        "title": f"Decisions: {authority.name}",
        "section": "public:decisions",
        "open_data": _links(authority, *DECISION_FILES),
    }
    return _register_page(request, "public/decision_list.html", context, table, filterset, status)


def _public_decision(authority, pk: int):
    """A published decision of ``authority``, with what its page reads, or None."""
    queryset = (
        _published(authority)
        .with_related()
        .prefetch_related(
            "recommendations",
            Prefetch(
                "issued_documents",
                queryset=IssuedDocument.objects.order_by("kind", "-version"),
            ),
            Prefetch(
                "attachments",
                queryset=DecisionAttachment.objects.select_related("uploaded_by", "withdrawn_by"),
            ),
        )
    )
    return queryset.filter(pk=pk).first()


@public_page
def decision_detail(request, authority, pk: int):
    decision = _public_decision(authority, pk)
    if decision is None:
        return _not_found(request, f"{authority.name} has published no decision at this address.")
    context = {
        "authority": authority,
        "decision": decision,
        "section": "public:decisions",
        "title": f"{decision.number} {decision.title}",
        "hidden": visibility.withheld(decision, READER),
    }
    if not context["hidden"]:
        context["documents"] = [
            {"document": d, "url": reverse("public:document", args=[authority.pk, d.pk])}
            for d in decision.issued_documents.all()
            if d.file_for(READER)
        ]
        context["attachments"] = attachments.shown_to(READER, decision.attachments.all())
    context["authority_nav"] = _authority_nav(context)
    return render(request, "public/decision_detail.html", context)


@login_not_required
@require_safe
def document(request, authority: int, pk: int):
    """An issued document's public file: a decision's report, record or notice, or
    the authority's forward plan. Never cached here: the file is streamed."""
    found = (
        IssuedDocument.objects.select_related("decision")
        .filter(pk=pk)
        .filter(Q(authority_id=authority) | Q(decision__in=_published(authority)))
        .first()
    )
    if found is None or (found.decision and visibility.withheld(found.decision, READER)):
        return _not_found(request, "There is no published document at this address.")
    stored = found.file_for(READER)
    if not stored:
        return _not_found(request, "This document is not published.")
    return exports.download(stored.open("rb"), found.download_name(stored), "application/pdf")


@login_not_required
@require_safe
def attachment(request, authority: int, pk: int, attachment_pk: int):
    """A file attached to a published decision, if ui.attachments lets the public see it."""
    decision = _published(authority).filter(pk=pk).first()
    if decision is None or visibility.withheld(decision, READER):
        return _not_found(request, "There is no published file at this address.")
    found = DecisionAttachment.objects.listed_for(READER).readable_by(READER)
    file = found.filter(pk=attachment_pk, decision=decision).first()
    if file is None or attachments.withheld(file, READER):
        return _not_found(request, "There is no published file at this address.")
    return attachments.download_response(file)


def _public_contracts(authority):
    """The authority's awarded contracts: those it leads or shares the cost of."""
    return Contract.objects.published().of_authority(authority).for_register().order_by("reference")


@public_page
def contract_list(request, authority):
    table, filterset, status = _register(
        request,
        queryset=_public_contracts(authority),
        filterset_class=PublicContractFilter,
        table_class=PublicContractTable,
        empty_text="No contracts match.",
    )
    context = {
        "authority": authority,
        "title": f"Contracts register: {authority.name}",
        "section": "public:contracts",
        "open_data": _links(authority, *CONTRACT_FILES),
    }
    return _register_page(request, "public/contract_list.html", context, table, filterset, status)


@public_page
def grant_list(request, authority):
    grants = OutboundGrant.objects.with_related().filter(programme__authority=authority)
    table, filterset, status = _register(
        request,
        queryset=grants,
        filterset_class=PublicGrantFilter,
        table_class=PublicGrantTable,
        empty_text="No grants match.",
    )
    any_awarded = grants.exists()
    context = {
        "authority": authority,
        "title": f"Grants awarded: {authority.name}",
        "section": "public:grants",
        "any_awarded": any_awarded,
        "open_data": _links(authority, *_grant_files(authority, any_awarded)),
    }
    return _register_page(request, "public/grant_list.html", context, table, filterset, status)
