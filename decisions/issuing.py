"""Issuing a document: render it once, store the exact bytes, and never change them.

A decision's documents (the Key Decision Report, the Record of Decision, the forward
plan notice) and an authority's forward plan for a period are drafts, rendered from live
data on every download, until a clerk issues them. Issuing renders the PDF as it stands
on the day of issue (``as_of``), without the DRAFT marks, stores the bytes through
Django's storage API (``default_storage``: the filesystem, or an S3-compatible store)
with their SHA-256, and writes an :class:`~decisions.models.IssuedDocument` row with who,
when, why and the classification. Every later download serves those bytes.

An exempt decision issues two files: the full document, as a cleared officer reads it,
and the public version, as a reader who is not cleared reads it (decisions.reports
withholds the exempt parts and names the paragraph).

Rendering takes a second or two a document, so pages issue in the background
(:func:`issue_document_task`, run by ``manage.py db_worker``, or at once with
TASKS_IMMEDIATE).
"""

import hashlib
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks import task

from contracts.models import Authority
from decisions import figures, pdf, reports, visibility
from decisions.models import Decision, IssuedDocument

DECISION_KINDS = (
    IssuedDocument.Kind.REPORT,
    IssuedDocument.Kind.RECORD,
    IssuedDocument.Kind.NOTICE,
)
REISSUE_NEEDS_A_REASON = "Say why the document is issued again: the reason is kept with it."


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_reason(version: int, reason: str) -> None:
    """A re-issue (version 2 onwards) needs a reason; a first issue may have one."""
    if version > 1 and not reason.strip():
        raise ValidationError({"reason": REISSUE_NEEDS_A_REASON})


def next_version(documents) -> int:
    return (documents.aggregate(last=Max("version"))["last"] or 0) + 1


def _decision_for_documents(pk: int, *, lock: bool) -> Decision:
    """The decision with everything its documents read (as the decision page fetches it)."""
    queryset = Decision.objects.with_related()
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return queryset.prefetch_related(*reports.detail_prefetch()).get(pk=pk)


def _file_name(prefix: str, kind: str, version: int, digest: str, suffix: str = "") -> str:
    slug = prefix.replace("/", "-").replace(" ", "")
    return f"{slug}-{kind}-v{version}{suffix}-{digest[:12]}.pdf"


def _store(document: IssuedDocument, *, full: bytes, public: bytes | None, prefix: str) -> None:
    """Write the bytes through the storage API (a new name each time: nothing is
    overwritten). A transaction rolled back after this leaves an unreferenced file,
    never a row without its bytes."""
    document.sha256 = sha256(full)
    document.file.save(
        _file_name(prefix, document.kind, document.version, document.sha256),
        ContentFile(full),
        save=False,
    )
    if public is not None:
        document.public_sha256 = sha256(public)
        document.public_file.save(
            _file_name(prefix, document.kind, document.version, document.public_sha256, "-public"),
            ContentFile(public),
            save=False,
        )


def issue_document(
    *,
    kind: str,
    user,
    reason: str = "",
    base_url: str,
    decision: Decision | None = None,
    authority: Authority | None = None,
    period: tuple[date, date] | None = None,
) -> IssuedDocument:
    """Issue the next version of a decision's document, or of an authority's forward
    plan for a period (``kind`` forward_plan)."""
    if kind == IssuedDocument.Kind.FORWARD_PLAN:
        return issue_forward_plan(
            authority=authority, period=period, user=user, reason=reason, base_url=base_url
        )
    return issue_decision_document(
        decision=decision, kind=kind, user=user, reason=reason, base_url=base_url
    )


def issue_decision_document(
    *, decision: Decision, kind: str, user, reason: str = "", base_url: str
) -> IssuedDocument:
    """Issue the next version of ``kind`` (report, record or notice) of ``decision``.

    Raises ValidationError (``reason`` for a re-issue without one) and PermissionDenied
    (an exempt decision issued by someone not cleared for it).
    """
    if kind not in DECISION_KINDS:
        raise ValueError(f"Not a decision's document: {kind!r}")
    reason = reason.strip()
    with transaction.atomic():
        # The race: two clerks issue the same document at once. Both would read
        # version n as the last and both write n + 1, and the second's unique
        # constraint would fail after its render. Locking the decision's row first
        # makes the second wait until the first has written its version, then read it.
        # The lock is held through the render, so the classification recorded is the
        # one the bytes were rendered under (an edit of the decision waits for it).
        decision = _decision_for_documents(decision.pk, lock=True)
        if visibility.withheld(decision, user):
            raise PermissionDenied("Only officers cleared for exempt information may issue it.")
        version = next_version(decision.issued_documents.filter(kind=kind))
        check_reason(version, reason)
        as_of = timezone.localdate()
        full = reports.decision_pdf(
            decision, kind, user=user, base_url=base_url, as_of=as_of, draft=False
        )
        public = None
        if decision.is_exempt:
            # As the public reads it: the exempt parts withheld, the paragraph named.
            public = reports.decision_pdf(
                decision, kind, user=AnonymousUser(), base_url=base_url, as_of=as_of, draft=False
            )
        document = IssuedDocument(
            kind=kind,
            decision=decision,
            version=version,
            issued_by=user,
            as_of=as_of,
            reason=reason,
            exempt_paragraph=decision.exempt_paragraph,
        )
        _store(document, full=full, public=public, prefix=decision.number)
        return _save(document, reason)


def issue_forward_plan(
    *, authority: Authority, period: tuple[date, date], user, reason: str = "", base_url: str
) -> IssuedDocument:
    """Issue the next version of ``authority``'s forward plan for ``period`` (from, to).

    The forward plan is a public document: it is rendered as the public reads it, with
    an exempt decision's withheld fields withheld (regulation 9 fields shown), so one
    file serves every reader.
    """
    period_from, period_to = period
    if period_to < period_from:
        raise ValidationError({"period_to": "The period must end on or after its start."})
    reason = reason.strip()
    public_reader = AnonymousUser()
    with transaction.atomic():
        # The race: as for a decision's documents, two issues of the same plan would
        # both take version n + 1; the authority's row lock makes them take turns.
        Authority.objects.select_for_update().get(pk=authority.pk)
        version = next_version(
            IssuedDocument.objects.filter(
                authority=authority,
                kind=IssuedDocument.Kind.FORWARD_PLAN,
                period_from=period_from,
                period_to=period_to,
            )
        )
        check_reason(version, reason)
        as_of = timezone.localdate()
        decisions = (
            Decision.objects.forward_plan(public_reader, today=period_from)
            .for_authority(authority)  # a joint committee's decisions are each council's
            .filter(decision_date__lte=period_to)
        )
        rows = [
            {
                "decision": d,
                "hidden": visibility.withheld(d, public_reader),
                "deadlines": figures.deadlines_for(d),
            }
            for d in decisions
        ]
        data = pdf.render_forward_plan_pdf(
            {
                "plans": [{"authority": authority, "rows": rows}],
                "today": as_of,
                "as_of": as_of,
                "draft": False,
                "authority": authority,
                "period_from": period_from,
                "period_to": period_to,
            },
            base_url=base_url,
        )
        document = IssuedDocument(
            kind=IssuedDocument.Kind.FORWARD_PLAN,
            authority=authority,
            period_from=period_from,
            period_to=period_to,
            version=version,
            issued_by=user,
            as_of=as_of,
            reason=reason,
        )
        _store(document, full=data, public=None, prefix=f"forward-plan-{authority.pk}")
        return _save(document, reason)


def _save(document: IssuedDocument, reason: str) -> IssuedDocument:
    document.full_clean()
    document._change_reason = reason or "Issued"
    document._history_user = document.issued_by
    document.save()
    return document


# --- In the background ------------------------------------------------------------------


@task()
def issue_document_task(
    *,
    kind: str,
    user_id: int,
    reason: str,
    base_url: str,
    decision_id: int | None = None,
    authority_id: int | None = None,
    period: tuple[str, str] | None = None,
) -> int:
    """Issue a document in the background (arguments as JSON: ids and ISO dates).
    Returns the issued document's id."""
    document = issue_document(
        kind=kind,
        user=get_user_model().objects.get(pk=user_id),
        reason=reason,
        base_url=base_url,
        decision=Decision.objects.get(pk=decision_id) if decision_id else None,
        authority=Authority.objects.get(pk=authority_id) if authority_id else None,
        period=(date.fromisoformat(period[0]), date.fromisoformat(period[1])) if period else None,
    )
    return document.pk
