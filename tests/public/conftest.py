"""A council's publications for the public site's tests.

``world`` is one authority (and a second, whose records must not show on the first's
pages) with:

- an open key decision on the forward plan, with a recommendation, an issued report,
  an open appendix and an appendix exempt on its own (its title carries EXEMPT);
- an exempt key decision on the forward plan (paragraph 3) with EXEMPT in every text
  field but its number and title, and in its parts, its appendix and the full version
  of its issued report. Regulation 9 publishes its decision maker (and role) on the
  forward plan, so those carry REG9 instead: allowed on forward-plan pages only;
- a draft (neither on a forward plan nor with a document issued) with DRAFT in every
  text field, its number and title included: drafts never appear anywhere;
- an awarded contract and a grant.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from decisions.issuing import sha256
from decisions.models import Decision, IssuedDocument
from tests.accounts.factories import UserFactory
from tests.attachments.factories import attach
from tests.contracts.factories import AuthorityFactory, ContractFactory
from tests.decisions.factories import (
    DecisionFactory,
    PathwayStageFactory,
    RecommendationFactory,
    ReportSectionFactory,
)
from tests.decisions.issued import stored_document, tiny_pdf
from tests.grants.factories import OutboundGrantFactory, OutboundProgrammeFactory

EXEMPT = "EXEMPTMARK"
DRAFT = "DRAFTMARK"
REG9 = "REGNINEMARK"
# Fields regulation 9 publishes of every key decision (decisions.visibility.FORWARD_PLAN_FIELDS).
REG9_FIELDS = ("decision_maker", "decision_maker_role")


def _text_fields(exclude=()) -> list[models.Field]:
    return [
        f
        for f in Decision._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name not in exclude
    ]


def marked_fields(marker: str, exclude=()) -> dict[str, str]:
    """Every free-text field of a decision set to ``marker`` and the field's name."""
    return {f.name: f"{marker}-{f.name}"[: f.max_length] for f in _text_fields(exclude)}


@dataclass
class World:
    authority: object
    other: object
    open_decision: Decision
    exempt_decision: Decision
    draft: Decision
    open_report: IssuedDocument
    exempt_report: IssuedDocument
    clerk: object


def _exempt_issued(decision, *, user) -> IssuedDocument:
    """An exempt decision's issued report: the full file holds the exempt text, the
    public version does not."""
    full = tiny_pdf() + f"\n% {EXEMPT} the full report\n".encode()
    public = tiny_pdf()
    document = IssuedDocument(
        kind=IssuedDocument.Kind.REPORT,
        decision=decision,
        version=1,
        issued_by=user,
        as_of=timezone.localdate(),
        sha256=sha256(full),
        public_sha256=sha256(public),
        exempt_paragraph=decision.exempt_paragraph,
    )
    document.file.save("exempt-report.pdf", ContentFile(full), save=False)
    document.public_file.save("exempt-report-public.pdf", ContentFile(public), save=False)
    document.save()
    return document


def make_world() -> World:
    today = timezone.localdate()
    clerk = UserFactory(username="issuing-clerk")
    authority = AuthorityFactory(name="Kent County Council", short_name="KCC")
    other = AuthorityFactory(name="Surrey County Council", short_name="SCC")
    on_plan = {
        "is_key_decision": True,
        "decision_type": Decision.Type.EXECUTIVE_KEY,
        "status": Decision.Status.PLANNED,
        "forward_plan_published_on": today - timedelta(days=30),
        "decision_date": today + timedelta(days=20),
    }
    open_decision = DecisionFactory(
        authority=authority,
        number="26/00001",
        title="Award of the community drug and alcohol service",
        summary="The open summary of the drug and alcohol service.",
        **on_plan,
    )
    RecommendationFactory(decision=open_decision, verb="APPROVE", text="the open award")
    attach(open_decision, title="Service specification", name="specification.pdf")
    attach(open_decision, title=f"{EXEMPT} tender prices", name="prices.pdf", exempt_paragraph=3)
    open_report = stored_document(open_decision, user=clerk)

    exempt_fields = marked_fields(EXEMPT, exclude=("number", "title", *REG9_FIELDS))
    exempt_fields.update({name: f"{REG9}-{name}" for name in REG9_FIELDS})
    exempt_decision = DecisionFactory(
        authority=authority,
        number="26/00002",
        title="Contract award for the sexual health service",
        exempt_paragraph=3,
        amount_involved=987654321,
        **{**on_plan, "decision_date": today + timedelta(days=40)},
        **exempt_fields,
    )
    RecommendationFactory(decision=exempt_decision, verb=EXEMPT, text=f"{EXEMPT} recommendation")
    ReportSectionFactory(decision=exempt_decision, heading=EXEMPT, body=f"{EXEMPT} body")
    PathwayStageFactory(decision=exempt_decision, body=f"{EXEMPT} committee")
    attach(exempt_decision, title=f"{EXEMPT} appendix", name="exempt-appendix.pdf")
    exempt_report = _exempt_issued(exempt_decision, user=clerk)

    draft = DecisionFactory(
        authority=authority,
        number=f"{DRAFT}/1",
        is_key_decision=True,
        decision_date=today + timedelta(days=10),
        **marked_fields(DRAFT, exclude=("number",)),
    )
    RecommendationFactory(decision=draft, verb=DRAFT, text=f"{DRAFT} recommendation")

    ContractFactory(
        lead_authority=authority, reference="KCC-PH-0001", title="Community drug service"
    )
    programme = OutboundProgrammeFactory(authority=authority)
    OutboundGrantFactory(programme=programme, title="Youth club sessions")
    return World(
        authority=authority,
        other=other,
        open_decision=open_decision,
        exempt_decision=exempt_decision,
        draft=draft,
        open_report=open_report,
        exempt_report=exempt_report,
        clerk=clerk,
    )


@pytest.fixture
def world(db, attachment_storage):
    return make_world()


@pytest.fixture(autouse=True)
def empty_cache(db):
    """Each test starts with an empty page cache (the database cache's table is made
    by Django's test runner, as createcachetable makes it after migrate)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
