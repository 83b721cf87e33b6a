"""What a decision's documents say: the context the decision page and the clerks' PDFs
(the Key Decision Report, the Record of Decision and the forward-plan notice) share,
and one function that renders a document's bytes.

Everything that makes a decision document, the live download and an issued version
alike, goes through :func:`decision_pdf`, so a reader gets the same content from both.
"""

from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from contracts.models import ExtensionOption
from decisions import figures, pdf, rules, visibility
from decisions.models import (
    DecisionAttachment,
    DecisionContractLink,
    DecisionRelation,
    IssuedDocument,
)
from ui import attachments, registry

# Everything the decision page and the PDFs read, so templates run no queries.
DETAIL_PREFETCH = (
    "recommendations",
    "sections",
    "stages",
    "strategic_priorities",
    Prefetch(
        "contract_links",
        queryset=DecisionContractLink.objects.select_related(
            "contract__provider", "contract__lead_authority", "contract__stored", "modification"
        ).prefetch_related(
            "contract__options", "contract__shares__authority", "contract__modifications"
        ),
    ),
    Prefetch("relations", queryset=DecisionRelation.objects.select_related("earlier")),
    Prefetch("later_relations", queryset=DecisionRelation.objects.select_related("decision")),
    Prefetch(
        "issued_documents",
        queryset=IssuedDocument.objects.select_related("issued_by").order_by("kind", "-version"),
    ),
    Prefetch(
        "attachments",
        queryset=DecisionAttachment.objects.select_related("uploaded_by", "withdrawn_by"),
    ),
    Prefetch(
        "authorised_options",
        queryset=ExtensionOption.objects.select_related("contract").order_by(
            "contract__reference", "sequence"
        ),
    ),
)


def detail_prefetch() -> list:
    """DETAIL_PREFETCH, with what the apps above add to a decision's page (ui.registry:
    the grant allocations deployed under it)."""
    return [*DETAIL_PREFETCH, *registry.DECISION_PREFETCHES]


def document_date(decision, *, today: date) -> date:
    """The date a draft document speaks from, when it is not given (an issued one
    speaks from its date of issue): the meeting the report goes to, else the date of
    the decision, else ``today``."""
    return decision.meeting_date or decision.decision_date or today


def shown_attachments(decision, user, *, withdrawn: bool = False) -> list:
    """The decision's files as ``user`` may see them, its appendices lettered on from
    the letters its report already uses (decisions.rules.appendix_letters_taken)."""
    taken = rules.appendix_letters_taken(figures.lines(decision.appendices))
    return attachments.shown_to(
        user, decision.attachments.all(), withdrawn=withdrawn, letters_taken=taken
    )


def detail_context(decision, user, *, today: date, as_of: date | None = None) -> dict:
    """What the decision page and the documents show of ``decision`` to ``user`` on
    ``today``: only its public fields when they are withheld from the user. A
    document passes its date as ``as_of``: the pathway is then as it stood on it."""
    if decision.is_hidden_from(user):
        return {
            "decision": decision,
            "hidden": True,
            "report_heading": figures.report_heading(decision, hidden=True),
        }
    past, future = figures.pathway_lines(decision, as_of=as_of)
    sections = figures.numbered_sections(decision)
    context = {
        "decision": decision,
        "hidden": False,
        "deadlines": figures.deadlines_for(decision),
        "suggested_reasons": figures.suggested_key_reasons(decision),
        "past_pathway": past,
        "future_pathway": future,
        "sections": sections,
        "report_heading": figures.report_heading(decision),
        "decided_on": figures.decided_on(decision),
        "ceiling": figures.ceiling_for(decision, today=today),
        "report_from": figures.lines(decision.report_from),
        "background_documents": figures.lines(decision.background_documents),
        "contacts": figures.lines(decision.contacts),
        "appendices": figures.lines(decision.appendices),
        # The files attached, as this reader may see them (ui.attachments); the report
        # lists the appendices and background papers among them (``report_label``).
        "attachments": shown_attachments(decision, user),
        # A later decision's link to this one is a part of it: withheld if it is exempt.
        "later_relations": [
            rel
            for rel in decision.later_relations.all()
            if not visibility.withheld(rel.decision, user)
        ],
        "today": today,
    }
    for decision_context in registry.DECISION_CONTEXTS:
        context.update(decision_context(decision))
    return context


def decision_pdf(
    decision,
    document: str,
    *,
    user,
    base_url: str,
    as_of: date | None = None,
    draft: bool = True,
) -> bytes:
    """The PDF of ``document`` (pdf.REPORT, pdf.RECORD or pdf.NOTICE) of ``decision``
    as ``user`` may read it, as it stood on ``as_of``: the date of issue, or for a
    draft by default its :func:`document_date`. The contracts' timelines and figures
    and the pathway are as they stood then. ``draft`` marks it as not yet issued.
    ``decision`` is fetched with what the page reads (:func:`detail_prefetch`)."""
    as_of = as_of or document_date(decision, today=timezone.localdate())
    context = detail_context(decision, user, today=as_of, as_of=as_of)
    context["draft"] = draft
    context["as_of"] = as_of
    context["contract_timelines"] = (
        [] if context["hidden"] else pdf.contract_timelines(decision, as_of)
    )
    if not context["hidden"]:
        # Appendices listed from the decision's attachments, once they exist.
        attachments = context.get("attachments", [])
        context["closing_sections"] = figures.closing_sections(
            decision, after=len(context["sections"]), attachments=attachments
        )
    return pdf.render_decision_pdf(document, context, base_url=base_url)
