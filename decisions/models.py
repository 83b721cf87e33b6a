"""Decisions, their recommendations, report sections, pathway and links.

Every model here is audited. What a user may see of an exempt decision (Schedule 12A),
of its parts and of their history is decided in ``decisions.visibility``: the querysets
and predicates here ask it. History written while a decision is exempt is also marked
``restricted``; earlier history is restricted at read time, from its classification now.
"""

from decimal import Decimal

import pgtrigger
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditedModel, AuditedQuerySet, audited_history
from contracts.models import Authority, Contract, Modification, StrategicPriority
from decisions import rules, visibility
from ui import attachments
from ui.bounds import MONEY, bounded

TAKEN_WITHOUT_DATE = "Enter the date the decision was taken"


class DecisionQuerySet(AuditedQuerySet):
    def with_related(self):
        return self.select_related("authority")

    def key(self):
        return self.filter(is_key_decision=True)

    def planned(self):
        return self.filter(status=Decision.Status.PLANNED)

    def upcoming(self, today=None):
        """Planned decisions due today or later (undated ones last)."""
        today = today or timezone.localdate()
        return self.planned().filter(Q(decision_date__gte=today) | Q(decision_date__isnull=True))

    def forward_plan(self, user, today=None):
        """Upcoming key decisions by date; each one's date is public (regulation 9)."""
        return (
            self.with_related()
            .key()
            .upcoming(today)
            .ordered_for(user, "decision_date", "number", public=visibility.FORWARD_PLAN_FIELDS)
        )

    def published(self, today=None):
        """Decisions the public may know of: entered on a forward plan published by
        ``today`` (regulation 9 of SI 2012/2089), or with a report, record or notice
        issued (decisions.issuing). A draft that is neither never appears. What the
        public sees of an exempt one is still decided by ``decisions.visibility``."""
        today = today or timezone.localdate()
        issued = IssuedDocument.objects.filter(decision=models.OuterRef("pk"))
        return self.filter(Q(forward_plan_published_on__lte=today) | models.Exists(issued))

    def for_authority(self, authority):
        """The decisions of ``authority``: those it leads and the joint ones it shares,
        each once (a subquery, not a join, so nothing is repeated or needs DISTINCT)."""
        joint = Decision.joint_authorities.through.objects.filter(authority=authority)
        return self.filter(Q(authority=authority) | Q(pk__in=joint.values("decision_id")))

    def exempt(self):
        return self.filter(exempt_paragraph__isnull=False)

    def unrestricted(self):
        return self.filter(exempt_paragraph__isnull=True)

    def readable_by(self, user):
        """Decisions whose content ``user`` may read in full (exempt ones need clearance)."""
        return visibility.readable_decisions(self, user)

    def ordered_for(self, user, *keys, public=visibility.PUBLIC_FIELDS):
        """Ordered by ``keys``; exempt rows sort by number only where a key is withheld."""
        return visibility.ordered(self, user, *keys, public=public)


class DecisionPartQuerySet(AuditedQuerySet):
    def readable_by(self, user):
        """Parts whose content ``user`` may read: none of an exempt decision, uncleared."""
        return visibility.readable_parts(self, user)


@bounded()
class Decision(AuditedModel):
    """What a decision maker resolves, with the report that goes before them."""

    class Type(models.TextChoices):
        EXECUTIVE_KEY = "executive_key", "Executive decision: key"
        EXECUTIVE_NON_KEY = "executive_non_key", "Executive decision: non-key"
        OFFICER = "officer", "Officer decision under delegated authority"
        BOARD = "board", "Board or joint committee: for decision / note"
        COUNCIL = "council", "Full council"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        TAKEN = "taken", "Taken"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # PROTECT: a decision's number is allocated within its authority.
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(
        max_length=30,
        help_text="For example 24/00056. Allocated when the decision is added.",
    )
    title = models.CharField(
        "subject", max_length=300, help_text="The subject line of the report, as published."
    )
    decision_type = models.CharField(
        "type", max_length=20, choices=Type.choices, default=Type.EXECUTIVE_KEY
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    decision_maker = models.CharField(
        max_length=200,
        blank=True,
        help_text="The person or body who takes the decision, for example “Dan Watkins”.",
    )
    decision_maker_role = models.CharField(
        "decision maker's role",
        max_length=200,
        blank=True,
        help_text="For example “Cabinet Member for Adult Social Care and Public Health”.",
    )
    report_from = models.TextField(
        "from",
        blank=True,
        help_text="Members and directors the report is from, one a line, with their roles.",
    )
    report_to = models.CharField(
        "to",
        max_length=300,
        blank=True,
        help_text="The committee or board the report goes to.",
    )
    meeting_date = models.DateField(
        null=True,
        blank=True,
        help_text="The date of that meeting. Stages before it are the "
        "report's past pathway; stages after it, its future pathway.",
    )
    decision_date = models.DateField(
        null=True, blank=True, help_text="When the decision is (or is to be) taken."
    )

    # Key decision (SI 2012/2089 reg 8).
    is_key_decision = models.BooleanField("key decision", default=False)
    key_decision_reason = models.CharField(
        "why it is a key decision",
        max_length=300,
        blank=True,
        help_text="For example “It involves expenditure or savings of more than £1m”.",
    )
    amount_involved = models.DecimalField(
        "money involved (£)",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Expenditure or savings the decision is likely to result in.",
    )
    involves_savings = models.BooleanField(
        "the money is savings", default=False, help_text="Tick if the amount is savings."
    )
    divisions_significantly_affected = models.PositiveSmallIntegerField(
        "electoral divisions significantly affected",
        null=True,
        blank=True,
        help_text="How many divisions the decision significantly affects (two or more "
        "make it a key decision). Leave blank if none is significantly affected.",
    )
    electoral_divisions = models.CharField(
        "electoral division",
        max_length=500,
        blank=True,
        default="All",
        help_text="“All”, or the divisions by name, separated by commas.",
    )

    # Classification (Local Government Act 1972 Sch 12A).
    exempt_paragraph = models.PositiveSmallIntegerField(
        "exempt under paragraph",
        null=True,
        blank=True,
        choices=[(n, f"Paragraph {n}: {text}") for n, text in rules.EXEMPT_PARAGRAPHS.items()],
        help_text="Leave blank for an unrestricted report.",
    )
    public_interest_reason = models.TextField(
        "public interest test",
        blank=True,
        help_text="Why the public interest in keeping the information exempt outweighs "
        "the public interest in disclosing it.",
    )
    call_in_eligible = models.BooleanField(
        "eligible for call-in",
        default=True,
        help_text="Untick for non-executive decisions and urgent decisions exempt from call-in.",
    )

    # The report.
    summary = models.TextField(blank=True)
    recommendation_intro = models.TextField(
        "recommendations: opening words",
        blank=True,
        help_text="For example “The Cabinet Committee is asked to **CONSIDER** and "
        "**ENDORSE** … the proposed decision to:”. Words in **double asterisks** are bold.",
    )
    options_rejected = models.TextField("options considered and rejected", blank=True)
    reasons = models.TextField("reasons for the decision", blank=True)
    financial_implications = models.TextField(blank=True)
    legal_implications = models.TextField(blank=True)
    equalities_implications = models.TextField(blank=True)
    data_protection_implications = models.TextField(blank=True)
    conflicts_of_interest = models.TextField(
        blank=True, help_text="Declared by the decision maker or anyone consulted."
    )
    dispensations = models.TextField(
        blank=True, help_text="Dispensations granted by the Standards Committee, if any."
    )
    background_documents = models.TextField(blank=True, help_text="One a line.")
    contacts = models.TextField(
        "contact details",
        blank=True,
        help_text="Report authors and the relevant director, one person a line.",
    )
    appendices = models.TextField(blank=True, help_text="One a line, for example “A: ...”.")
    approved_maximum = models.DecimalField(
        "approved maximum value (£)",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="The ceiling: contracts awarded or varied under this decision may not "
        "exceed it in whole-life value.",
    )

    # Notice, publication and call-in.
    forward_plan_published_on = models.DateField(
        "first on the forward plan",
        null=True,
        blank=True,
        help_text="The date the decision first appeared on the published forward plan.",
    )
    late_notice_reason = models.TextField(
        "reasons for general exception or special urgency",
        blank=True,
        help_text="Required when the decision was not on the forward plan 28 clear days before.",
    )
    published_on = models.DateField(
        "record of decision published",
        null=True,
        blank=True,
        help_text="The call-in period runs from this date.",
    )
    intention_notice_on = models.DateField(
        "intention to award notice",
        null=True,
        blank=True,
        help_text="Provider Selection Regime: the date of the notice of intention to award.",
    )
    representations_decided_on = models.DateField(
        "further decision after representations",
        null=True,
        blank=True,
        help_text="Provider Selection Regime: the date of a further decision after "
        "representations, if any.",
    )

    strategic_priorities = models.ManyToManyField(
        StrategicPriority, blank=True, related_name="decisions"
    )
    # The lead authority numbers the decision; a joint committee's decision also
    # belongs to the other councils it binds, and is on each one's forward plan.
    joint_authorities = models.ManyToManyField(
        Authority,
        blank=True,
        related_name="joint_decisions",
        verbose_name="other authorities",
        help_text="For a joint committee: the other councils the decision binds, "
        "besides the lead authority.",
    )
    related_decisions = models.ManyToManyField(
        "self",
        through="DecisionRelation",
        through_fields=("decision", "earlier"),
        symmetrical=False,
        blank=True,
        related_name="cited_by",
    )

    objects = models.Manager.from_queryset(DecisionQuerySet)()
    history = audited_history(m2m_fields=[strategic_priorities, joint_authorities])
    history_url_name = "decisions:detail"

    class Meta:
        ordering = ["-decision_date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="decision_number_unique"),
            models.CheckConstraint(
                condition=Q(exempt_paragraph__isnull=True)
                | Q(exempt_paragraph__gte=1, exempt_paragraph__lte=7),
                name="decision_exempt_paragraph_1_to_7",
            ),
            models.CheckConstraint(
                condition=Q(approved_maximum__isnull=True) | Q(approved_maximum__gte=0),
                name="decision_ceiling_not_negative",
            ),
        ]
        permissions = [("generate_pdf", "Can generate decision PDFs")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("decisions:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.number and self.authority_id and self._typed_without_prefix():
            # Every path (form, admin) prints a typed number as the authority's.
            prefix = self.authority.decision_number_prefix
            self.number = rules.prefixed_decision_number(self.number, prefix)
        if self.status == self.Status.TAKEN and self.decision_date is None:
            raise ValidationError({"decision_date": TAKEN_WITHOUT_DATE})

    def _typed_without_prefix(self) -> bool:
        """Whether the number is new here and has no prefix (one kept from before
        prefixes stays as it is). A query only for a number without a prefix."""
        try:
            own_prefix, _, _ = rules.parse_decision_number(self.number)
        except ValueError:
            return False  # the field's own validation says what is wrong
        if own_prefix:
            return False
        if self._state.adding:
            return True
        stored = Decision.objects.filter(pk=self.pk).values_list("number", flat=True).first()
        return stored != self.number

    @property
    def is_exempt(self) -> bool:
        return self.exempt_paragraph is not None

    @property
    def history_restricted(self) -> bool:
        return self.is_exempt

    def is_hidden_from(self, user) -> bool:
        """Whether ``user`` may see only the title and the exempt paragraph."""
        return visibility.withheld(self, user)

    @classmethod
    def annotate_history_visibility(cls, history_qs):
        """See audit.history.readable_history."""
        return visibility.annotate_history(history_qs, decision_id="id", part_noun=None)

    @property
    def classification(self) -> str:
        if self.is_exempt:
            return rules.exempt_label(self.exempt_paragraph)
        return "Unrestricted"

    @property
    def exempt_short_label(self) -> str:
        return f"Exempt under paragraph {self.exempt_paragraph}" if self.is_exempt else ""


class DecisionPart(AuditedModel):
    """A part of a decision: its history is restricted when the decision is exempt."""

    objects = models.Manager.from_queryset(DecisionPartQuerySet)()

    class Meta:
        abstract = True

    # What the part is called where its content must not show (an exempt decision's
    # parts in the history feed, which labels each change with the record's name).
    part_noun = "part"

    @property
    def history_restricted(self) -> bool:
        return self.decision.is_exempt

    @classmethod
    def annotate_history_visibility(cls, history_qs):
        """See audit.history.readable_history."""
        return visibility.annotate_history(
            history_qs, decision_id="decision_id", part_noun=cls.part_noun
        )

    def exempt_label(self) -> str:
        return f"{self.decision.number}: {self.part_noun}"

    def __str__(self) -> str:
        if self.decision.is_exempt:
            return self.exempt_label()
        return self.describe()

    def describe(self) -> str:
        raise NotImplementedError


@bounded()
class Recommendation(DecisionPart):
    """One recommendation: an action verb and its text, in order."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="recommendations")
    order = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    verb = models.CharField(
        max_length=40, help_text="The action, for example APPROVE, DELEGATE or CONFIRM."
    )
    text = models.TextField(help_text="What follows the verb.")

    history = audited_history()

    class Meta:
        ordering = ["decision", "order", "pk"]

    part_noun = "recommendation"

    def describe(self) -> str:
        return f"{self.decision.number}: {self.verb.upper()} {self.text[:60]}"


@bounded()
class ReportSection(DecisionPart):
    """A numbered section of the report; its paragraphs are numbered 1.1, 1.2, ..."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    heading = models.CharField(max_length=200)
    body = models.TextField(
        help_text="Separate paragraphs with a blank line. Start a line with “- ” for a "
        "bullet point under the paragraph above; wrap words in **double asterisks** "
        "for bold."
    )

    history = audited_history()

    class Meta:
        ordering = ["decision", "order", "pk"]

    part_noun = "report section"

    def describe(self) -> str:
        return f"{self.decision.number}: {self.heading}"


@bounded()
class PathwayStage(DecisionPart):
    """One step on a decision's route: a body, a date, a purpose and an outcome."""

    class Purpose(models.TextChoices):
        CONSIDER = "consider", "Consider and endorse"
        DECIDE = "decide", "Decide"
        NOTE = "note", "Note"
        SCRUTINY = "scrutiny", "Scrutiny"

    class Outcome(models.TextChoices):
        ENDORSED = "endorsed", "Endorsed"
        AMENDED = "amended", "Amended"
        DEFERRED = "deferred", "Deferred"
        REJECTED = "rejected", "Rejected"
        DECIDED = "decided", "Decided"
        NOTED = "noted", "Noted"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    body = models.CharField(
        max_length=200,
        help_text="For example “Health Reform and Public Health Cabinet Committee”.",
    )
    date = models.DateField(null=True, blank=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, default=Purpose.CONSIDER)
    outcome = models.CharField(
        max_length=10,
        choices=Outcome.choices,
        blank=True,
        help_text="Leave blank until the body has met.",
    )
    minutes_reference = models.CharField(
        max_length=100, blank=True, help_text="For example “Minute 45” or a link to the minutes."
    )

    history = audited_history()

    class Meta:
        ordering = ["decision", "order", "date", "pk"]

    part_noun = "pathway stage"

    def describe(self) -> str:
        return f"{self.decision.number}: {self.body}"


@bounded()
class DecisionContractLink(DecisionPart):
    """A contract a decision awards, extends or varies."""

    class Kind(models.TextChoices):
        AWARD = "award", "Awards"
        EXTEND = "extend", "Extends"
        VARY = "vary", "Varies"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="contract_links")
    # PROTECT: the record of what a decision authorised must keep its contract.
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="decision_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    note = models.CharField(max_length=300, blank=True)
    # The modification a "Varies" link authorised (PSR reg 13): the decisions side holds
    # the link up to the contract's record, as the layering asks. PROTECT: what a
    # decision authorised must not vanish from under it.
    modification = models.ForeignKey(
        Modification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision_links",
    )

    history = audited_history()

    class Meta:
        ordering = ["decision", "kind", "contract__reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "contract", "kind"],
                condition=Q(modification__isnull=True),
                name="decision_contract_link_unique",
            ),
            models.UniqueConstraint(
                fields=["decision", "modification"],
                condition=Q(modification__isnull=False),
                name="decision_modification_link_unique",
            ),
            models.CheckConstraint(
                condition=Q(modification__isnull=True) | Q(kind="vary"),
                name="decision_link_modification_only_varies",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if (
            self.modification_id
            and self.contract_id
            and self.modification.contract_id != self.contract_id
        ):
            raise ValidationError(
                {"modification": "Choose a modification of the contract this link names."}
            )

    part_noun = "contract link"

    def describe(self) -> str:
        return f"{self.decision.number} {self.get_kind_display().lower()} {self.contract.reference}"

    @property
    def counts_against_ceiling(self) -> bool:
        return self.kind in rules.CEILING_LINK_KINDS


@bounded()
class DecisionRelation(DecisionPart):
    """An earlier decision this one relies on or supersedes."""

    class Kind(models.TextChoices):
        RELIES_ON = "relies_on", "Relies on"
        SUPERSEDES = "supersedes", "Supersedes"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="relations")
    # PROTECT: a decision that others rely on cannot vanish from under them.
    earlier = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        related_name="later_relations",
        verbose_name="earlier decision",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RELIES_ON)

    history = audited_history()

    class Meta:
        ordering = ["decision", "earlier__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "earlier"], name="decision_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(decision=models.F("earlier")), name="decision_not_related_to_itself"
            ),
        ]

    part_noun = "earlier decision link"

    def describe(self) -> str:
        return f"{self.decision.number} {self.get_kind_display().lower()} {self.earlier.number}"


@bounded()
class DecisionNumberCounter(models.Model):
    """The last sequence number allocated for an authority and year.

    Bookkeeping, not a record users read, so it has no history. Its row is locked
    while a number is allocated (see decisions.services.allocate_number).
    """

    # PROTECT: numbers already allocated belong to the authority.
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="decision_counters"
    )
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1000), MaxValueValidator(9999)]
    )
    last_sequence = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.year}: {self.last_sequence}"


# --- Issued documents ------------------------------------------------------------------


class IssuedDocumentIsPermanent(Exception):
    """Raised by any attempt to delete an issued document, or to change what it holds."""


class IssuedDocumentQuerySet(models.QuerySet):
    """Issued documents are added, never changed or removed, whatever asks."""

    def _refuse(self, what: str):
        raise IssuedDocumentIsPermanent(
            f"{what}() on issued documents: a published document is never changed or removed."
        )

    def delete(self):
        self._refuse("delete")

    def update(self, **kwargs):
        self._refuse("update")

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse("bulk_update")

    def update_or_create(self, *args, **kwargs):
        self._refuse("update_or_create")

    def with_related(self):
        return self.select_related("decision", "authority", "issued_by")


def issued_document_path(instance, filename: str) -> str:
    """Where the bytes are stored: by year, under a name that says what they are."""
    return f"issued/{instance.issued_at:%Y}/{filename}"


@bounded()
class IssuedDocument(models.Model):
    """One issued version of a decision's document, or of an authority's forward plan:
    the exact bytes published, with who issued them, when, why, and the classification
    of the decision at that moment.

    Never deleted or changed, by anyone: the queryset and the model refuse, the admin
    has no delete or change permission (``default_permissions``), and database
    triggers refuse DELETE and any change of the stored bytes' columns (migration
    0010_issued_documents, on PostgreSQL and SQLite). decisions.issuing writes them.
    """

    class Kind(models.TextChoices):
        REPORT = "report", "Key Decision Report"
        RECORD = "record", "Record of Decision"
        NOTICE = "notice", "Forward plan notice"
        FORWARD_PLAN = "forward_plan", "Forward plan"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # PROTECT: a published document keeps the decision it records.
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        help_text="Blank for a forward plan, which is the authority's.",
    )
    # PROTECT: a published forward plan keeps its authority.
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_forward_plans",
        help_text="The authority whose forward plan this is (forward plans only).",
    )
    period_from = models.DateField("covers from", null=True, blank=True)
    period_to = models.DateField("covers to", null=True, blank=True)
    version = models.PositiveIntegerField(
        validators=[MinValueValidator(1)],
        help_text="1 for the first issue; each re-issue of the same document adds one.",
    )
    file = models.FileField(upload_to=issued_document_path, max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    public_file = models.FileField(
        upload_to=issued_document_path,
        max_length=300,
        blank=True,
        help_text="An exempt decision's document with the exempt parts withheld: what "
        "uncleared readers and the public may see.",
    )
    public_sha256 = models.CharField("SHA-256 of the public file", max_length=64, blank=True)
    # PROTECT: who issued a published document stays known.
    issued_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="issued_documents"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    as_of = models.DateField(help_text="The date the document shows: the date of issue.")
    reason = models.TextField(blank=True, help_text="Why it was issued again (re-issues).")
    exempt_paragraph = models.PositiveSmallIntegerField(
        "exempt at issue under paragraph",
        null=True,
        blank=True,
        help_text="The decision's classification when it was issued (blank: unrestricted).",
    )

    objects = models.Manager.from_queryset(IssuedDocumentQuerySet)()
    history = audited_history()
    history_url_name = "decisions:detail"

    class Meta:
        ordering = ["kind", "-version"]
        base_manager_name = "objects"
        # Issued documents are added and read; nobody may change or delete one.
        default_permissions = ("add", "view")
        # PostgreSQL's half of the database's refusal; SQLite's triggers are installed
        # by the migration (decisions/migrations/0010_issued_documents.py).
        triggers = [
            pgtrigger.Protect(
                name="issued_document_permanent",
                operation=pgtrigger.Update | pgtrigger.Delete,
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "kind", "version"],
                condition=Q(decision__isnull=False),
                name="issued_document_version_unique",
            ),
            models.UniqueConstraint(
                fields=["authority", "kind", "period_from", "period_to", "version"],
                condition=Q(decision__isnull=True),
                name="issued_forward_plan_version_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="forward_plan", decision__isnull=True, authority__isnull=False)
                    & Q(period_from__isnull=False, period_to__isnull=False)
                    & Q(period_to__gte=models.F("period_from"))
                )
                | (
                    ~Q(kind="forward_plan")
                    & Q(decision__isnull=False, authority__isnull=True)
                    & Q(period_from__isnull=True, period_to__isnull=True)
                ),
                name="issued_document_of_a_decision_or_a_forward_plan",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="issued_document_version_from_1"
            ),
            models.CheckConstraint(
                condition=Q(version=1) | ~Q(reason=""),
                name="issued_document_reissue_has_a_reason",
            ),
            models.CheckConstraint(
                condition=(Q(exempt_paragraph__isnull=True) & Q(public_sha256=""))
                | (
                    Q(exempt_paragraph__gte=1, exempt_paragraph__lte=7)
                    & ~Q(public_sha256="")
                    & ~Q(public_file="")
                ),
                name="issued_document_exempt_has_a_public_file",
            ),
        ]

    part_noun = "issued document"
    # The history shows what was issued (kind, hash, reason, classification), not the
    # storage's file names, which say nothing to a reader.
    history_hidden_fields = ("file", "public_file", "issued_at")

    def __str__(self) -> str:
        # Kind, version and the decision's number: all public, whatever the classification.
        of = self.decision.number if self.decision_id else self.authority.name
        return f"{of}: {self.get_kind_display()}, version {self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise IssuedDocumentIsPermanent(f"{self} is issued: it is never changed.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("decisions:issued_download", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise IssuedDocumentIsPermanent(f"{self} is issued: it is never deleted.")

    @property
    def was_exempt(self) -> bool:
        return self.exempt_paragraph is not None

    @property
    def history_restricted(self) -> bool:
        return self.was_exempt or (self.decision_id is not None and self.decision.is_exempt)

    @classmethod
    def annotate_history_visibility(cls, history_qs):
        """See audit.history.readable_history: restricted as the decision's parts are."""
        return visibility.annotate_history(
            history_qs, decision_id="decision_id", part_noun=cls.part_noun
        )

    def file_for(self, user):
        """The stored file ``user`` may download, or None when they may have neither.

        - cleared for exempt information: the full document;
        - exempt at issue: the public version, with the exempt parts withheld;
        - unrestricted at issue but exempt now: nothing. A decision that becomes exempt
          after issue is served under its stricter classification, and the only file
          stored is the full one;
        - otherwise the full document, which is public.
        """
        if visibility.is_cleared(user):
            return self.file
        if self.was_exempt:
            return self.public_file
        if self.decision_id is not None and visibility.withheld(self.decision, user):
            return None
        return self.file

    def download_name(self, served) -> str:
        """The file name a download of ``served`` (one of its stored files) is given:
        "KCC24-00056-report-v2.pdf", with "-public" for the public version."""
        subject = self.decision.number if self.decision_id else "forward-plan"
        slug = subject.replace("/", "-").replace(" ", "")
        public = "-public" if self.public_file and served.name == self.public_file.name else ""
        return f"{slug}-{self.kind}-v{self.version}{public}.pdf"

    @property
    def short_sha256(self) -> str:
        return self.sha256[:12]


@bounded()
class DecisionAttachment(attachments.Attachment):
    """A file attached to a decision: an appendix, a background paper, the signed record.

    A file of an exempt decision is exempt under the decision's paragraph; a file may be
    exempt on its own while the decision is not. What a user sees of it, and how it is
    stored and withdrawn, is ui.attachments'. The report lists the appendices and
    background papers (decisions.reports.detail_context, ``attachments``).
    """

    class Kind(models.TextChoices):
        APPENDIX = attachments.APPENDIX, "Appendix"
        BACKGROUND_PAPER = attachments.BACKGROUND_PAPER, "Background paper"
        SIGNED_RECORD = "signed_record", "Signed record of decision"
        OTHER = "other", "Other"

    # PROTECT: a decision's appendices are part of its record; withdrawn, never deleted.
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.APPENDIX)

    history = audited_history()

    parent_field = "decision"
    parent_exempt_lookup = "decision__exempt_paragraph"

    class Meta(attachments.Attachment.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(exempt_paragraph__isnull=True)
                | Q(exempt_paragraph__gte=1, exempt_paragraph__lte=7),
                name="decision_attachment_exempt_paragraph_1_to_7",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="decision_attachment_withdrawn_with_reason",
            ),
        ]

    @property
    def parent_exempt_paragraph(self) -> int | None:
        return self.decision.exempt_paragraph

    @classmethod
    def parent_exempt_now(cls):
        return visibility.decision_exempt_now("decision_id")
