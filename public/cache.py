"""The public pages' cache: one place for what is cached, under which key, and when it
expires.

A public page is cached per URL (path and query string) for anonymous requests only,
in Django's default cache (the database cache, shared by every app server). Each
authority has a version in the cache; a page is stored with the version it was
rendered under and served only while that version is current. Anything an
authority's pages show that is saved or deleted (a decision or one of its parts, an
issued document, an attachment, a contract, a grant, the authority itself) sets a new
version, which expires all its pages at once. The list of authorities has a version
of its own.

A hit costs one query: the version and the page are read together (``get_many``).
Writes that bypass signals (``QuerySet.update``, raw SQL) are not seen; pages then
expire after PAGE_SECONDS. Pages show "today's" forward plan, so they expire then too.
"""

import functools
import hashlib
import time

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

# How long a page is kept, and how long browsers and proxies may keep it.
PAGE_SECONDS = 300
INDEX = "index"


def _version_key(scope) -> str:
    return f"public:version:{scope}"


def _page_key(scope, full_path: str) -> str:
    digest = hashlib.sha256(full_path.encode()).hexdigest()
    return f"public:page:{scope}:{digest}"


def expire(*scopes) -> None:
    """Expire every cached page of these authorities (pks) or of INDEX: a new version.
    Inside a transaction the new version is written with the data that changed it, and
    rolled back with it."""
    now = time.time_ns()
    cache.set_many({_version_key(scope): now for scope in set(scopes) if scope}, timeout=None)


def _public_headers(response) -> None:
    patch_cache_control(response, public=True, max_age=PAGE_SECONDS)


def cached_page(view):
    """Serve an anonymous GET of ``view`` from the cache, keyed by its authority
    (the ``authority`` URL argument, else INDEX) and full path. Only whole 200 responses
    are stored (pages and feeds; a streamed file is not). Signed-in readers always get
    a fresh page (and no-store, from accounts.middleware)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        scope = kwargs.get("authority", INDEX)
        version_key, page_key = _version_key(scope), _page_key(scope, request.get_full_path())
        found = cache.get_many([version_key, page_key])
        version = found.get(version_key)
        stored = found.get(page_key)
        if stored is not None and stored[0] == version:
            _, content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code == 200 and not response.streaming:
                cache.set(
                    page_key,
                    (version, response.content, response["Content-Type"]),
                    timeout=PAGE_SECONDS,
                )
        if response.status_code == 200:
            _public_headers(response)
        return response

    return wrapper


# --- What expires an authority's pages --------------------------------------------------


def _authorities_of(instance) -> list:
    """The authorities whose public pages show ``instance`` (pks)."""
    from contracts.models import Authority, Contract, CostShare
    from decisions.models import Decision, IssuedDocument
    from grants.models import OutboundGrant, OutboundGrantProgramme

    if isinstance(instance, Authority):
        return [instance.pk, INDEX]
    if isinstance(instance, Decision):
        return _decision_authorities(instance.pk)
    if isinstance(instance, IssuedDocument):
        if instance.authority_id:
            return [instance.authority_id]
        return _decision_authorities(instance.decision_id)
    if isinstance(instance, Contract):
        shared = CostShare.objects.filter(contract_id=instance.pk)
        return [instance.lead_authority_id, *shared.values_list("authority_id", flat=True)]
    if isinstance(instance, CostShare):
        return [instance.authority_id]
    if isinstance(instance, OutboundGrantProgramme):
        return [instance.authority_id]
    if isinstance(instance, OutboundGrant):
        programme = OutboundGrantProgramme.objects.filter(pk=instance.programme_id)
        return list(programme.values_list("authority_id", flat=True))
    # A part of a decision (recommendation, section, stage, link, attachment).
    decision_id = getattr(instance, "decision_id", None)
    if decision_id:
        return _decision_authorities(decision_id)
    return []


def _decision_authorities(decision_id) -> list:
    """The lead authority of a decision and the joint ones: it is on each one's pages."""
    from decisions.models import Decision

    lead = Decision.objects.filter(pk=decision_id).values_list("authority_id", flat=True)
    joint = Decision.joint_authorities.through.objects.filter(decision_id=decision_id)
    return [*lead, *joint.values_list("authority_id", flat=True)]


def _expire_for(sender, instance, **kwargs) -> None:
    expire(*_authorities_of(instance))


def watched_models() -> list:
    from contracts.models import Authority, Contract, CostShare
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
    from grants.models import OutboundGrant, OutboundGrantProgramme

    return [
        Authority,
        Decision,
        Recommendation,
        ReportSection,
        PathwayStage,
        DecisionContractLink,
        DecisionRelation,
        DecisionAttachment,
        IssuedDocument,
        Contract,
        CostShare,
        OutboundGrantProgramme,
        OutboundGrant,
    ]


def connect_signals() -> None:
    """Called once, from public.apps."""
    for model in watched_models():
        uid = f"public-cache-{model._meta.label_lower}"
        post_save.connect(_expire_for, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_expire_for, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(_expire_for_m2m, dispatch_uid="public-cache-m2m")


def _expire_for_m2m(sender, instance, action, model=None, pk_set=None, **kwargs) -> None:
    if not action.startswith("post_") or type(instance) not in watched_models():
        return
    _expire_for(sender, instance)
    # A council taken off a joint decision no longer shows it: its pages expire too.
    from contracts.models import Authority

    if model is Authority and pk_set:
        expire(*pk_set)
