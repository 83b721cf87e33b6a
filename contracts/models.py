from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from audit.bulk import bulk_written
from audit.history import labelled_by_parent
from audit.models import AuditedModel, AuditedQuerySet, audited_history
from contracts import rules
from contracts.rules import term_end
from decisions import rules as decision_rules
from ui import attachments
from ui.bounds import (
    MAX_TERM_MONTHS,
    MAX_TERM_SPAN,
    MAX_TERM_YEARS,
    MONEY,
    UPLIFT_FROM_YEAR_MAX,
    UPLIFT_MAX_PERCENT,
    BoundConstraint,
    bounded,
    check_date,
)


def validate_decision_number_prefix(value: str) -> None:
    try:
        decision_rules.decision_number_prefix(value)
    except ValueError:
        raise ValidationError(
            "Enter a prefix that starts with a letter and uses only letters, digits, "
            "spaces, “-” or “_”, not ending with a digit, for example KCC or MD-."
        ) from None


def give_decision_number_prefixes(authorities) -> None:
    """Give each new authority without a prefix its default (its short name, else its
    initials), never one another authority has: for imports that create authorities
    by name. One query."""
    taken = set(Authority.objects.values_list("decision_number_prefix", flat=True))
    for authority in authorities:
        if not authority.decision_number_prefix:
            authority.decision_number_prefix = decision_rules.default_decision_number_prefix(
                authority.name, authority.short_name, taken
            )
        taken.add(authority.decision_number_prefix)


@bounded()
class Authority(AuditedModel):
    """A council that commissions services and takes decisions."""

    class Nation(models.TextChoices):
        ENGLAND_AND_WALES = "england_and_wales", "England and Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40,
        blank=True,
        help_text="Used in tables where space is short, for example “KCC” or “WNC”.",
    )
    key_decision_threshold = models.DecimalField(
        "key decision threshold (£)",
        **MONEY,
        default=Decimal("500000.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=(
            "Expenditure or savings above this amount make a key decision "
            "(set by the constitution; Kent uses £1,000,000)."
        ),
    )
    call_in_working_days = models.PositiveSmallIntegerField(
        "call-in period (working days)",
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(30)],
        help_text="Working days after publication during which scrutiny can call a decision in.",
    )
    decision_number_prefix = models.CharField(
        max_length=20,
        validators=[validate_decision_number_prefix],
        help_text=(
            "Printed before every decision number, for example “KCC” for KCC 26/00001, so "
            "that no two councils' numbers read alike. Numbers already given keep theirs."
        ),
    )
    nation = models.CharField(
        "nation for bank holidays",
        max_length=20,
        choices=Nation.choices,
        default=Nation.ENGLAND_AND_WALES,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited_history()
    history_url_name = "contracts:authority_detail"

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"
        constraints = [
            models.CheckConstraint(
                condition=Q(key_decision_threshold__gte=0),
                name="authority_threshold_not_negative",
            ),
            # Without a prefix two councils' numbers print alike ("26/00001").
            models.CheckConstraint(
                condition=~Q(decision_number_prefix=""),
                name="authority_decision_number_prefix_not_blank",
            ),
            models.UniqueConstraint(
                fields=["decision_number_prefix"], name="authority_decision_number_prefix_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("contracts:authority_detail", args=[self.pk])


@bounded()
class Provider(AuditedModel):
    """An organisation that delivers services under contract."""

    class Type(models.TextChoices):
        VCSE = "vcse", "Voluntary, community or social enterprise (charity)"
        NHS = "nhs", "NHS body"
        COMPANY = "company", "Company"
        LOCAL_AUTHORITY = "local_authority", "Local authority or in-house"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    provider_type = models.CharField("type", max_length=20, choices=Type.choices, default=Type.VCSE)
    charity_number = models.CharField(
        max_length=20,
        blank=True,
        help_text="Charity Commission registration number, for example 1166577.",
    )
    company_number = models.CharField(
        max_length=8,
        blank=True,
        help_text="Companies House number: 8 characters, for example 02580377 or SC123456.",
    )
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    is_sme = models.BooleanField(
        "small or medium-sized enterprise",
        default=False,
        help_text="Published in the Transparency Code contracts list.",
    )
    is_vcse = models.BooleanField(
        "voluntary, community or social enterprise",
        default=False,
        help_text="Published in the Transparency Code contracts list.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = audited_history()
    history_url_name = "contracts:provider_detail"

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["charity_number"]), models.Index(fields=["company_number"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("contracts:provider_detail", args=[self.pk])


@bounded()
class StrategicPriority(AuditedModel):
    """A priority from a strategy (e.g. Kent's Drug and Alcohol Strategy 2023-2028)
    that contracts and decisions can be tagged against."""

    strategy = models.CharField(max_length=200)
    area = models.CharField(max_length=200, blank=True)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    name = models.CharField(max_length=300)

    history = audited_history()

    class Meta:
        ordering = ["strategy", "number", "name"]
        verbose_name_plural = "strategic priorities"
        constraints = [
            models.UniqueConstraint(fields=["strategy", "name"], name="priority_unique_in_strategy")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}" if self.number else self.name


def _not_started(today: date) -> Q:
    return Q(start_date__isnull=True) | Q(start_date__gt=today)


def _not_terminated(today: date) -> Q:
    return Q(terminated_on__isnull=True) | Q(terminated_on__gt=today)


def status_expression(today: date) -> models.Case:
    """A contract's status on ``today`` in SQL: exactly rules.derive_status, over the
    contract's dates, its procurement stage and its stored current end.

    The cases in derive_status's order: terminated on or before today; not started
    (no start, or a later one) gives the procurement stage when it is in procurement
    or standstill, else pipeline; after the current end (the initial end when no
    figures are stored) expired; after the initial end in extension; else live.
    """
    from django.db.models.functions import Coalesce
    from django.db.models.lookups import LessThan

    end = Coalesce(models.F("stored__current_end"), models.F("initial_end_date"))
    not_started = _not_started(today)
    return models.Case(
        models.When(terminated_on__lte=today, then=models.Value(rules.TERMINATED)),
        *(
            models.When(not_started & Q(procurement_stage=stage), then=models.Value(stage))
            for stage in rules.PROCUREMENT_STAGES
        ),
        models.When(not_started, then=models.Value(rules.PIPELINE)),
        models.When(LessThan(end, models.Value(today)), then=models.Value(rules.EXPIRED)),
        models.When(initial_end_date__lt=today, then=models.Value(rules.IN_EXTENSION)),
        default=models.Value(rules.LIVE),
        output_field=models.CharField(),
    )


def status_condition(status: str, today: date) -> Q:
    """A WHERE clause for "the status on ``today`` is ``status``", equal to
    ``status_expression(today) == status`` but written on the columns so that an index
    on each (start, initial end, stored current end) can serve it. It reads the stored
    current end, which every contract has (contracts.figures)."""
    live_or_after = _not_terminated(today) & Q(start_date__lte=today)
    before = _not_terminated(today) & _not_started(today)
    conditions = {
        rules.TERMINATED: Q(terminated_on__lte=today),
        rules.IN_PROCUREMENT: before & Q(procurement_stage=rules.IN_PROCUREMENT),
        rules.STANDSTILL: before & Q(procurement_stage=rules.STANDSTILL),
        rules.PIPELINE: before & ~Q(procurement_stage__in=rules.PROCUREMENT_STAGES),
        rules.EXPIRED: live_or_after & Q(stored__current_end__lt=today),
        # The current end is never before the initial end, so these need only one.
        rules.IN_EXTENSION: live_or_after
        & Q(initial_end_date__lt=today, stored__current_end__gte=today),
        # The current end bound is implied by the initial end's, and lets the register's
        # sort by current end start its index scan at today instead of walking every
        # expired contract first (76 ms at 100k contracts without it).
        rules.LIVE: live_or_after & Q(initial_end_date__gte=today, stored__current_end__gte=today),
    }
    if status not in conditions:
        raise ValueError(f"Unknown contract status {status!r}.")
    return conditions[status]


def current_condition(today: date) -> Q:
    """Contracts that are live, in extension or upcoming on ``today`` (pipeline, in
    procurement or standstill): neither expired nor terminated, the register's default.
    Equal to the union of those statuses' conditions in status_condition."""
    return _not_terminated(today) & (_not_started(today) | Q(stored__current_end__gte=today))


def _label_order(field: str, choices) -> models.Case:
    """A sort key putting ``field``'s codes in the order of their labels, as people
    read them (pages show labels)."""
    ranked = sorted(choices, key=lambda choice: str(choice[1]))
    return models.Case(
        *(models.When(**{field: code}, then=rank) for rank, (code, _) in enumerate(ranked)),
        default=len(ranked),
        output_field=models.IntegerField(),
    )


class ContractQuerySet(AuditedQuerySet):
    def with_related(self):
        """Everything ``figures_for`` and the register read, so no query runs per row."""
        return self.select_related("provider", "lead_authority").prefetch_related(
            models.Prefetch(
                "options",
                queryset=ExtensionOption.objects.select_related("authorising_decision"),
            ),
            models.Prefetch("shares", queryset=CostShare.objects.select_related("authority")),
            "modifications",
            "subcontractors",
            "strategic_priorities",
        )

    def not_terminated(self):
        return self.filter(terminated_on__isnull=True)

    def published(self):
        """Contracts the public may read of (the public register, OCDS and the
        Transparency Code files): those awarded. A procurement still under way (pipeline,
        in procurement, standstill) is not published."""
        return self.filter(procurement_stage=Contract.ProcurementStage.AWARDED)

    def of_authority(self, authority):
        """The contracts ``authority`` leads or pays a share of (its stored share)."""
        shared = ShareFigures.objects.filter(authority=authority).values("contract_id")
        return self.filter(Q(lead_authority=authority) | Q(pk__in=shared))

    def of_provider(self, provider):
        """The contracts ``provider`` (a provider or its id) delivers or is an alliance
        partner in."""
        partners = Contract.subcontractors.through.objects.filter(provider=provider)
        return self.filter(Q(provider=provider) | Q(pk__in=partners.values("contract_id")))

    def ending_within(self, *, days: int, today: date | None = None):
        """Contracts not terminated whose current end (after exercised options) falls in
        the next ``days`` days: a range on the stored current end (indexed)."""
        today = today or timezone.localdate()
        return self.not_terminated().filter(
            stored__current_end__gte=today, stored__current_end__lte=today + timedelta(days=days)
        )

    def with_stored(self):
        """With the stored figures (contracts.figures) joined: ``contract.stored``."""
        return self.select_related("stored")

    def with_status(self, today: date | None = None):
        """Annotated with ``status`` on ``today``, as rules.derive_status gives it."""
        return self.annotate(status=status_expression(today or timezone.localdate()))

    def for_register(self, today: date | None = None):
        """As the register reads them (contracts.tables.ContractTable): the stored
        figures, provider and lead authority joined, ``status`` annotated, a sort key
        for each choice shown by its label, and the stored shares of the rows fetched
        in one query. Contracts without stored figures (never: contracts.figures) are
        left out, as the join is an inner one so that a sort on a stored column can
        walk its index."""
        return (
            self.filter(stored__isnull=False)
            .select_related("stored", "provider", "lead_authority")
            .prefetch_related(
                models.Prefetch(
                    "stored_shares",
                    queryset=ShareFigures.objects.select_related("authority").order_by("position"),
                )
            )
            .annotate(
                status=status_expression(today or timezone.localdate()),
                service_area_order=_label_order("service_area", Contract.ServiceArea.choices),
                procurement_route_order=_label_order("procurement_route", Contract.Route.choices),
            )
        )

    def with_status_of(self, status: str, today: date | None = None):
        """Those whose status on ``today`` is ``status``: a WHERE clause on the stored
        dates that can use their indexes (see status_condition)."""
        return self.filter(status_condition(status, today or timezone.localdate()))

    def with_option_notice_within(self, *, days: int, today: date | None = None):
        """Contracts with a pending option whose notice deadline is in the next ``days``."""
        today = today or timezone.localdate()
        return self.filter(
            options__status=ExtensionOption.Status.PENDING,
            options__notice_deadline__gte=today,
            options__notice_deadline__lte=today + timedelta(days=days),
        ).distinct()


@bounded()
class Contract(AuditedModel):
    """A service delivered by a provider for one or more authorities."""

    class ServiceArea(models.TextChoices):
        DRUG_AND_ALCOHOL = "drug_alcohol", "Drug and alcohol"
        SEXUAL_HEALTH = "sexual_health", "Sexual health"
        EARLY_HELP = "early_help", "Early help and prevention"
        HEALTH_VISITING = "health_visiting", "Health visiting and school nursing"
        OTHER = "other", "Other public health"

    class Route(models.TextChoices):
        PSR_DIRECT_A = "psr_direct_a", "PSR Direct Award A"
        PSR_DIRECT_B = "psr_direct_b", "PSR Direct Award B"
        PSR_DIRECT_C = "psr_direct_c", "PSR Direct Award C"
        PSR_MOST_SUITABLE = "psr_most_suitable", "PSR Most Suitable Provider"
        PSR_COMPETITIVE = "psr_competitive", "PSR Competitive Process"
        PSR_FRAMEWORK = "psr_framework", "PSR framework call-off"
        PSR_URGENT = "psr_urgent", "PSR urgent award (reg 14)"
        OPEN = "open", "Open tender"
        RESTRICTED = "restricted", "Restricted tender"
        NEGOTIATED = "negotiated", "Negotiated procedure"
        FRAMEWORK = "framework", "Framework call-off"
        DPS = "dps", "Dynamic purchasing system"
        WAIVER = "waiver", "Waiver of contract standing orders"
        S75 = "s75", "Section 75 agreement"
        IN_HOUSE = "in_house", "In-house service level agreement"
        GRANT = "grant", "Grant agreement"
        OTHER = "other", "Other"

    class ProcurementStage(models.TextChoices):
        PIPELINE = "pipeline", "Pipeline"
        IN_PROCUREMENT = "in_procurement", "In procurement"
        STANDSTILL = "standstill", "Standstill"
        AWARDED = "awarded", "Awarded"

    reference = models.CharField(
        max_length=50,
        unique=True,
        help_text="The council's contract reference, for example KCC-PH-0123.",
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    service_area = models.CharField(
        max_length=20, choices=ServiceArea.choices, default=ServiceArea.DRUG_AND_ALCOHOL
    )
    strategic_priorities = models.ManyToManyField(
        StrategicPriority, blank=True, related_name="contracts"
    )
    # PROTECT: a contract's record depends on who delivered it. Blank until awarded,
    # or when the source papers do not name the provider.
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="contracts",
        null=True,
        blank=True,
        help_text="Leave blank until the contract is awarded.",
    )
    subcontractors = models.ManyToManyField(
        Provider,
        blank=True,
        related_name="subcontracts",
        help_text="Alliance partners delivering part of the service.",
    )
    lead_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="led_contracts"
    )
    start_date = models.DateField()
    initial_end_date = models.DateField(help_text="End of the initial term, before any extension.")
    annual_value = models.DecimalField(
        "annual value (£)", **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    annual_uplift_percent = models.DecimalField(
        "annual uplift (%)",
        max_digits=6,
        decimal_places=3,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(UPLIFT_MAX_PERCENT)],
        help_text="Compounding yearly increase, for example 1 for 1% a year.",
    )
    uplift_from_year = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(UPLIFT_FROM_YEAR_MAX)],
        help_text="The first contract year the uplift applies to (usually year 2).",
    )
    procurement_route = models.CharField(max_length=20, choices=Route.choices, default=Route.OPEN)
    procurement_stage = models.CharField(
        max_length=20,
        choices=ProcurementStage.choices,
        default=ProcurementStage.AWARDED,
        help_text="Where the procurement stands before the contract starts.",
    )
    terminated_on = models.DateField(null=True, blank=True)
    lot = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    stated_whole_life_value = models.CharField(
        max_length=40,
        blank=True,
        help_text="The whole-life value as a report printed it, for example “£4.1m”.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(ContractQuerySet)()
    history = audited_history(m2m_fields=[strategic_priorities, subcontractors])
    history_url_name = "contracts:detail"

    @classmethod
    def history_with_parts(cls, pk: int) -> list:
        """The history of the contract with this id and of its options, shares and
        attachments (each restricted as its own model says, audit.history): the
        contract page and its full-history page show them together, so an option's
        exercise and its authorising decision are in both."""
        return [
            cls.history.filter(id=pk),
            ExtensionOption.history.filter(contract_id=pk),
            CostShare.history.filter(contract_id=pk),
            ContractAttachment.history.filter(contract_id=pk),
            Modification.history.filter(contract_id=pk),
        ]

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(initial_end_date__gte=models.F("start_date")),
                name="contract_end_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=Q(annual_value__gte=0), name="contract_value_not_negative"
            ),
            # The database's side of clean()'s exact 30-year rule, a little looser for
            # terms with fewer than 8 leap days.
            BoundConstraint(
                condition=Q(initial_end_date__lt=models.F("start_date") + MAX_TERM_SPAN),
                name="contract_term_at_most_30_years",
            ),
        ]
        # The register's status filters and sorts (the stored figures have their own);
        # the id breaks ties, as the register orders.
        indexes = [
            models.Index(fields=["initial_end_date", "id"], name="contract_initial_end"),
            models.Index(fields=["start_date", "id"], name="contract_start"),
            models.Index(fields=["annual_value", "id"], name="contract_annual_value"),
        ]

    def clean(self) -> None:
        """The initial term is at most 30 years (ui.bounds), so the value schedule and
        the dates after options stay in range."""
        super().clean()
        if self.stated_whole_life_value:
            # Its figures are stored on save, and reconcile against this figure.
            try:
                rules.parse_money(self.stated_whole_life_value)
            except rules.MoneyError:
                raise ValidationError(
                    {
                        "stated_whole_life_value": (
                            "Enter the stated whole-life value as the report wrote it, for "
                            "example £4,099,533.88 or £4.1m."
                        )
                    }
                ) from None
        start, end = self.start_date, self.initial_end_date
        if not (start and end) or check_date(start) or check_date(end):
            return  # the date fields' own validators give the message
        if end > term_end(start, MAX_TERM_MONTHS):
            raise ValidationError(
                {
                    "initial_end_date": (
                        f"Enter an end date no more than {MAX_TERM_YEARS} years after the "
                        f"start date (on or before {term_end(start, MAX_TERM_MONTHS):%d/%m/%Y})."
                    )
                }
            )

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("contracts:detail", args=[self.pk])

    def next_pending_option(self):
        """The option to decide next: options are taken in order (docs/domain.md "Term")."""
        pending = [o for o in self.options.all() if o.status == ExtensionOption.Status.PENDING]
        return min(pending, key=lambda o: o.sequence, default=None)

    def save(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if _feeds_figures(kwargs.get("update_fields"), CONTRACT_FIGURE_FIELDS):
                _figures_changed([self.pk])


@bounded()
class CostShare(AuditedModel):
    """An authority's share of a contract's cost: a percentage or a fixed annual amount."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="shares")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="cost_shares")
    percentage = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    fixed_amount = models.DecimalField(
        "fixed annual amount (£)",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    history = audited_history()

    class Meta:
        ordering = ["contract", "authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "authority"], name="one_share_per_authority"
            ),
            models.CheckConstraint(
                condition=(
                    Q(percentage__isnull=False, fixed_amount__isnull=True)
                    | Q(percentage__isnull=True, fixed_amount__isnull=False)
                ),
                name="share_is_percentage_or_amount",
            ),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__gte=0, percentage__lte=100),
                name="share_percentage_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(fixed_amount__isnull=True) | Q(fixed_amount__gte=0),
                name="share_amount_not_negative",
            ),
        ]

    @classmethod
    def annotate_history_visibility(cls, history_qs):
        """History labels name the contract (audit.history.readable_history)."""
        return labelled_by_parent(
            history_qs, Contract, parent_id="contract_id", parent_label="reference"
        )

    def __str__(self) -> str:
        if self.percentage is not None:
            return f"{self.authority}: {self.percentage.normalize()}%"
        return f"{self.authority}: {rules.format_money(self.fixed_amount)} a year"

    def save(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            _figures_changed([self.contract_id])


@bounded()
class ExtensionOption(AuditedModel):
    """An option to extend a contract, taken in order."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        EXERCISED = "exercised", "Exercised"
        DECLINED = "declined", "Declined"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="options")
    sequence = models.PositiveSmallIntegerField()
    months = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TERM_MONTHS)]
    )
    price = models.DecimalField(
        "price for the whole option period (£)",
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Leave blank to cost the option at the annual value with uplift.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    notice_deadline = models.DateField(
        null=True, blank=True, help_text="The last day to give the provider notice of the decision."
    )
    decided_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    # PROTECT: an exercised option's authority must not vanish from under it.
    authorising_decision = models.ForeignKey(
        "decisions.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authorised_options",
    )

    history = audited_history()

    class Meta:
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "sequence"], name="option_sequence_unique"),
            models.CheckConstraint(condition=Q(months__gte=1), name="option_months_positive"),
        ]

    def clean(self) -> None:
        """All the options of a contract add at most 30 years (ui.bounds)."""
        super().clean()
        if self.months is None or self.contract_id is None:
            return
        others = self.contract.options.exclude(pk=self.pk).aggregate(total=models.Sum("months"))
        if (others["total"] or 0) + self.months > MAX_TERM_MONTHS:
            raise ValidationError({"months": options_too_long_message()})

    @classmethod
    def annotate_history_visibility(cls, history_qs):
        """History labels name the contract (audit.history.readable_history)."""
        return labelled_by_parent(
            history_qs, Contract, parent_id="contract_id", parent_label="reference"
        )

    def __str__(self) -> str:
        return f"Option {self.sequence} ({self.months} months, {self.get_status_display().lower()})"

    def save(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            if _feeds_figures(kwargs.get("update_fields"), OPTION_FIGURE_FIELDS):
                _figures_changed([self.contract_id])


@bounded(signed=["annual_value_change", "lifetime_value_change"])
class Modification(AuditedModel):
    """A change to a contract during its term (a variation), in order.

    Provider Selection Regime 2023 reg 13 (contracts.rules.psr_modification): what
    changes, from when, on which ground, and whether it makes the contract materially
    different in character. Modifications feed the stored figures. The decision that
    authorised one is recorded on the decisions side (a "Varies" contract link that
    names it), as the layering asks (docs/architecture.md).
    """

    class Kind(models.TextChoices):
        VALUE = "value", "Value"
        TERM = "term", "Term"
        SCOPE = "scope", "Scope"
        PROVIDER = "provider", "Provider identity"
        PRICE = "price", "Price formula or indexation"

    class Ground(models.TextChoices):
        PROVIDED_FOR = rules.PROVIDED_FOR, "(a) Provided for in the contract"
        PROVIDER_IDENTITY = (
            rules.PROVIDER_IDENTITY,
            "(b) Provider identity after a corporate change",
        )
        EXTERNAL = rules.EXTERNAL, "(c) External factors"
        AUTHORITY = rules.AUTHORITY, "(d) Authority decision"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="modifications")
    sequence = models.PositiveSmallIntegerField()
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    description = models.TextField(help_text="What changes, as the variation letter says it.")
    effective_date = models.DateField(help_text="The day the change takes effect.")
    annual_value_change = models.DecimalField(
        "change in annual value (£)",
        **MONEY,
        null=True,
        blank=True,
        help_text="Signed: a reduction is negative, for example -25000.",
    )
    lifetime_value_change = models.DecimalField(
        "change in lifetime value (£)",
        **MONEY,
        null=True,
        blank=True,
        help_text="Signed: the change over the rest of the contract's life.",
    )
    new_end_date = models.DateField(
        null=True, blank=True, help_text="The new end date, where the term changes."
    )
    ground = models.CharField(max_length=20, choices=Ground.choices)
    materially_different = models.BooleanField(
        "makes the contract materially different in character", default=False
    )
    materially_different_reason = models.TextField(
        "why it is or is not materially different", blank=True
    )
    # PROTECT: the record of a change of provider must keep the provider it names.
    new_provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="modifications_gained",
        help_text="For a change of provider identity: who the provider now is.",
    )
    new_provider_meets_basic_criteria = models.BooleanField(
        "the new provider meets the basic selection criteria", default=False
    )
    urgent = models.BooleanField(
        "made urgently (reg 14)",
        default=False,
        help_text="An urgent modification under regulation 14, reported in the annual summary.",
    )
    recorded_anyway_reason = models.TextField(
        "why it is recorded although not permitted",
        blank=True,
        help_text="Required when the assessment says the modification is not permitted.",
    )

    history = audited_history()

    class Meta:
        ordering = ["contract", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "sequence"], name="modification_sequence_unique"
            ),
        ]

    @classmethod
    def annotate_history_visibility(cls, history_qs):
        """History labels name the contract (audit.history.readable_history)."""
        return labelled_by_parent(
            history_qs, Contract, parent_id="contract_id", parent_label="reference"
        )

    def __str__(self) -> str:
        return f"Modification {self.sequence} ({self.get_kind_display().lower()})"

    def save(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            _figures_changed([self.contract_id])


def options_too_long_message() -> str:
    return (
        f"The options of a contract can add up to {MAX_TERM_MONTHS} months "
        f"({MAX_TERM_YEARS} years) at most."
    )


# --- Stored figures ---------------------------------------------------------------------
#
# Each contract's figures (contracts.figures.figures_for, the one implementation of the
# rules) are also kept in three tables, so the register, the dashboards and the
# summaries filter, sort and add up in SQL instead of computing every contract on
# every request. They are derived data, always rebuildable (``manage.py
# refresh_figures``): plain tables with no history and no version.
#
# Why the model layer writes them. Every change that feeds a figure is a save or a
# delete of a Contract, an ExtensionOption or a CostShare, whatever path makes it:
# the contract form and option decisions (contracts.services), the CSV import, the
# admin and its inlines, management commands, the demo data, factories in tests, and
# audit.bulk for bulk writes. Writing the figures in those models' save() (and on
# their deletion, by the post_delete receiver below, which also sees queryset
# deletes) means no path can forget them and a new path gets them for nothing; each
# store runs in the same transaction as the write that fed it. Several writes in a
# row (a contract with its options and shares) are batched into one store at the end
# by ``contracts.figures.deferred()``.

# The fields of each model that feed the stored figures: a save naming others in
# ``update_fields`` stores nothing.
CONTRACT_FIGURE_FIELDS = frozenset(
    {
        "start_date",
        "initial_end_date",
        "annual_value",
        "annual_uplift_percent",
        "uplift_from_year",
        "stated_whole_life_value",
        "lead_authority",
        "lead_authority_id",
    }
)
OPTION_FIGURE_FIELDS = frozenset(
    {"contract", "contract_id", "sequence", "months", "price", "status"}
)
MODIFICATION_FIGURE_FIELDS = frozenset(
    {
        "contract",
        "contract_id",
        "sequence",
        "effective_date",
        "annual_value_change",
        "lifetime_value_change",
        "new_end_date",
    }
)

# A whole-life value can be far above one year's bound (ui.bounds.MONEY_MAX, £10bn):
# 60 contract years (30 + 30 of options) of £10bn compounding at 25% a year need 17
# digits of pounds (contracts.rules, MONEY_PRECISION), so 18 + 2 for pence.
WIDE_MONEY = {"max_digits": 20, "decimal_places": 2}


def _feeds_figures(update_fields, feeding: frozenset) -> bool:
    return update_fields is None or bool(feeding.intersection(update_fields))


def _figures_changed(contract_ids) -> None:
    from contracts.figures import figures_changed

    figures_changed(contract_ids)


class ContractFigures(models.Model):
    """A contract's figures as contracts.figures computes them (derived, rebuildable).

    Only figures that do not depend on the day are kept; the status, which does, is a
    database expression over these dates (``Contract.objects.with_status``).
    """

    class Reconciliation(models.TextChoices):
        NONE = "", "Nothing stated"
        OK = "ok", "Agrees"
        MISMATCH = "mismatch", "Mismatch"

    contract = models.OneToOneField(
        Contract, primary_key=True, on_delete=models.CASCADE, related_name="stored"
    )
    current_end = models.DateField()
    maximum_end = models.DateField()
    whole_life_value = models.DecimalField(**WIDE_MONEY)
    # The lifetime value when the contract was entered into, options included and
    # modifications not (PSR reg 13: the base of the cumulative change test; what an
    # awarding decision authorised).
    original_whole_life_value = models.DecimalField(**WIDE_MONEY, default=0)
    value_to_current_end = models.DecimalField(**WIDE_MONEY)
    reconciliation_state = models.CharField(
        max_length=8, choices=Reconciliation.choices, blank=True, default=""
    )
    # The stated whole-life value less the computed one; None when nothing is stated.
    reconciliation_difference = models.DecimalField(**WIDE_MONEY, null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "contract figures"
        indexes = [
            # The register sorts on these, ties broken by the contract.
            models.Index(fields=["current_end", "contract"], name="figures_current_end"),
            models.Index(fields=["maximum_end", "contract"], name="figures_maximum_end"),
            models.Index(fields=["whole_life_value", "contract"], name="figures_whole_life"),
            models.Index(
                fields=["value_to_current_end", "contract"], name="figures_to_current_end"
            ),
            models.Index(fields=["reconciliation_state"], name="figures_reconciliation"),
        ]

    def __str__(self) -> str:
        return f"Figures of contract {self.contract_id}"

    @property
    def reconciliation_stated(self):
        if self.reconciliation_difference is None:
            return None
        # Checked against the value at award (contracts.figures).
        return self.original_whole_life_value + self.reconciliation_difference

    @property
    def reconciliation_label(self) -> str:
        """As rules.Reconciliation.label: "ok", "mismatch: stated X, computed Y" or ""."""
        if self.reconciliation_state == self.Reconciliation.MISMATCH:
            return (
                f"mismatch: stated {self.reconciliation_stated:f}, "
                f"computed {self.original_whole_life_value:f}"
            )
        return self.reconciliation_state


class ShareFigures(models.Model):
    """One authority's part of a contract's annual and whole-life value (derived), as
    contracts.figures splits it; the lead authority's 100% when no shares are recorded."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="stored_shares")
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="stored_shares")
    position = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=60)  # "48.6%" or "£1,517,000.00 a year"
    annual = models.DecimalField(**WIDE_MONEY)
    whole_life = models.DecimalField(**WIDE_MONEY)

    class Meta:
        ordering = ["contract", "position"]
        verbose_name_plural = "share figures"
        constraints = [
            models.UniqueConstraint(fields=["contract", "position"], name="share_figures_unique")
        ]
        indexes = [models.Index(fields=["authority", "contract"], name="share_figures_authority")]

    def __str__(self) -> str:
        return f"{self.authority_id}: {self.label}"


class YearFigures(models.Model):
    """A contract's value in one financial year (derived: rules.financial_year_profile)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="stored_years")
    financial_year = models.CharField(max_length=7)  # "2024/25"
    amount = models.DecimalField(**WIDE_MONEY)

    class Meta:
        ordering = ["contract", "financial_year"]
        verbose_name_plural = "year figures"
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "financial_year"], name="year_figures_unique"
            )
        ]
        indexes = [models.Index(fields=["financial_year", "contract"], name="year_figures_year")]

    def __str__(self) -> str:
        return f"{self.financial_year}: {self.amount}"


@receiver(post_delete, sender=ExtensionOption)
@receiver(post_delete, sender=CostShare)
@receiver(post_delete, sender=Modification)
def _part_deleted(sender, instance, origin=None, **kwargs) -> None:
    """An option or share deleted, alone or by a queryset: store its contract's figures.

    Not when the deletion started from the contract itself (an instance or a
    queryset of contracts): the contract and its stored figures are going too.
    """
    if isinstance(origin, Contract) or (
        isinstance(origin, models.QuerySet) and origin.model is Contract
    ):
        return
    _figures_changed([instance.contract_id])


@receiver(bulk_written, sender=Contract)
@receiver(bulk_written, sender=ExtensionOption)
@receiver(bulk_written, sender=CostShare)
@receiver(bulk_written, sender=Modification)
def _bulk_written(sender, objs, fields=None, **kwargs) -> None:
    """audit.bulk wrote contracts, options, shares or modifications: store their
    contracts' figures."""
    feeding = {
        Contract: CONTRACT_FIGURE_FIELDS,
        ExtensionOption: OPTION_FIGURE_FIELDS,
        Modification: MODIFICATION_FIGURE_FIELDS,
    }.get(sender, frozenset())
    if sender is not CostShare and not _feeds_figures(fields, feeding):
        return
    _figures_changed([obj.pk if sender is Contract else obj.contract_id for obj in objs])


@bounded()
class ContractAttachment(attachments.Attachment):
    """A file attached to a contract: the signed contract, a variation, a notice.

    What a user sees of it, and how it is stored and withdrawn, is ui.attachments'.
    """

    class Kind(models.TextChoices):
        SIGNED_CONTRACT = "signed_contract", "Signed contract"
        VARIATION = "variation", "Variation"
        NOTICE = "notice", "Notice"
        OTHER = "other", "Other"

    # PROTECT: a contract's files are its record; withdrawn, never deleted with it.
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SIGNED_CONTRACT)

    history = audited_history()

    parent_field = "contract"

    class Meta(attachments.Attachment.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(exempt_paragraph__isnull=True)
                | Q(exempt_paragraph__gte=1, exempt_paragraph__lte=7),
                name="contract_attachment_exempt_paragraph_1_to_7",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdrawal_reason=""),
                name="contract_attachment_withdrawn_with_reason",
            ),
        ]
