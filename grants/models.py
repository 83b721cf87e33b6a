"""Grants coming in (allocations from funders), where they go (commitments), how each
contract is funded year by year, and the grants a council gives out itself."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from audit.models import AuditedModel, AuditedQuerySet, audited_history
from contracts.models import Authority, Contract
from grants import rules
from ui.bounds import MONEY, bounded
from ui.money import format_money

ZERO = Decimal("0.00")


def validate_financial_year(value: str) -> None:
    error = rules.financial_year_error(value)
    if error:
        raise ValidationError(error)


def financial_year_field(verbose_name: str = "financial year", **kwargs) -> models.CharField:
    kwargs.setdefault("help_text", "For example 2024/25 (1 April 2024 to 31 March 2025).")
    return models.CharField(
        verbose_name, max_length=7, validators=[validate_financial_year], **kwargs
    )


@bounded()
class Funder(AuditedModel):
    """Who gives grant money: OHID, DLUHC/MHCLG, a Police and Crime Commissioner."""

    class Kind(models.TextChoices):
        CENTRAL_GOVERNMENT = "central_government", "Central government"
        POLICE_AND_CRIME_COMMISSIONER = "pcc", "Police and Crime Commissioner"
        NHS = "nhs", "NHS"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="Used in tables, for example “OHID”."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CENTRAL_GOVERNMENT)

    history = audited_history()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("grants:funder_detail", args=[self.pk])


@bounded()
class GrantProgramme(AuditedModel):
    """A funder's grant programme, e.g. OHID's Supplemental Substance Misuse Treatment
    and Recovery Grant (SSMTRG)."""

    # PROTECT: a programme's allocations are meaningless without who funds them.
    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="programmes")
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="The abbreviation reports use, for example “SSMTRG”."
    )

    history = audited_history()

    class Meta:
        ordering = ["funder__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["funder", "name"], name="programme_unique_per_funder")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name


class GrantAllocationQuerySet(AuditedQuerySet):
    def with_related(self):
        return self.select_related(
            "programme__funder", "authority", "deploying_decision"
        ).prefetch_related("shares__authority")

    def with_committed(self):
        """Annotate ``committed`` (the sum of commitments) and ``uncommitted_amount``."""
        return self.annotate(
            committed=Coalesce(Sum("commitments__amount"), ZERO, output_field=models.DecimalField())
        ).annotate(uncommitted_amount=F("amount") - F("committed"))

    def confirmed(self):
        return self.filter(status=GrantAllocation.Status.CONFIRMED)

    def in_year(self, financial_year: str):
        return self.filter(financial_year=financial_year)


@bounded()
class GrantAllocation(AuditedModel):
    """Money from a funder's programme for a financial year, hosted by or paid to one
    authority and possibly shared between several."""

    class Status(models.TextChoices):
        INDICATIVE = "indicative", "Indicative"
        CONFIRMED = "confirmed", "Confirmed"

    # PROTECT: an allocation records which programme it came from.
    programme = models.ForeignKey(
        GrantProgramme, on_delete=models.PROTECT, related_name="allocations"
    )
    # PROTECT: the host or recipient must not vanish from under its money.
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        related_name="grant_allocations",
        verbose_name="host or recipient authority",
        help_text="The council that receives the grant, or hosts it for several councils.",
    )
    financial_year = financial_year_field()
    last_financial_year = models.CharField(
        "last financial year",
        max_length=7,
        blank=True,
        validators=[validate_financial_year],
        help_text=(
            "Only for an amount given over several years as one total, for example "
            "2024/25 for a grant covering 2022/23 to 2024/25. Leave blank for one year."
        ),
    )
    amount = models.DecimalField(
        "amount (£)", **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INDICATIVE)
    conditions = models.TextField(
        blank=True, help_text="The grant's conditions, as the funder wrote them."
    )
    maintain_ph_grant_baseline = models.BooleanField(
        "must maintain Public Health Grant investment",
        default=False,
        help_text=(
            "The OHID condition: Public Health Grant investment in these services stays at "
            "or above the 2020-21 level."
        ),
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # PROTECT: the decision that deploys the money is part of its audit trail.
    deploying_decision = models.ForeignKey(
        "decisions.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deployed_allocations",
        help_text="The decision that deploys this grant, for example Kent's 22/00041.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(GrantAllocationQuerySet)()
    history = audited_history()
    history_url_name = "grants:allocation_detail"

    class Meta:
        ordering = ["-financial_year", "programme__name", "authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "authority", "financial_year"],
                name="allocation_unique_per_programme_authority_year",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_not_negative"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="allocation_end_on_or_after_start",
            ),
            models.CheckConstraint(
                condition=Q(last_financial_year="")
                | Q(last_financial_year__gte=F("financial_year")),
                name="allocation_last_year_not_before_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme.label} {self.period_label} – {self.authority}"

    def get_absolute_url(self) -> str:
        return reverse("grants:allocation_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return rules.period_label(self.financial_year, self.last_financial_year)

    @property
    def financial_years(self) -> list[str]:
        return rules.financial_years_between(
            self.financial_year, self.last_financial_year or self.financial_year
        )

    def share_weights(self) -> dict[Authority, Decimal]:
        """Authority → percentage (from prefetched shares); the host takes 100% if none."""
        shares = list(self.shares.all())
        if not shares:
            return {self.authority: Decimal("100")}
        return {share.authority: share.percentage for share in shares}


@bounded()
class AllocationShare(AuditedModel):
    """An authority's percentage of a shared allocation (North 48.6%, West 51.4%)."""

    allocation = models.ForeignKey(GrantAllocation, on_delete=models.CASCADE, related_name="shares")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="grant_shares")
    percentage = models.DecimalField(
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    history = audited_history()

    class Meta:
        ordering = ["allocation", "authority__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["allocation", "authority"], name="one_grant_share_per_authority"
            ),
            models.CheckConstraint(
                condition=Q(percentage__gte=0, percentage__lte=100),
                name="grant_share_percentage_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority}: {self.percentage.normalize():f}%"


class GrantCommitmentQuerySet(AuditedQuerySet):
    def with_related(self):
        return self.select_related(
            "allocation__programme__funder", "allocation__authority", "contract"
        )


@bounded()
class GrantCommitment(AuditedModel):
    """Part of an allocation committed to a contract or a named service in one year.

    The commitments of an allocation never add up to more than it: checked in the form
    and, under a row lock, in grants.services.save_commitment.
    """

    # PROTECT: money committed is a fact the allocation's record depends on.
    allocation = models.ForeignKey(
        GrantAllocation, on_delete=models.PROTECT, related_name="commitments"
    )
    # PROTECT: a contract funded by a grant keeps the record of that funding.
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_commitments",
        help_text="The contract the money pays for, if it pays for a contract.",
    )
    service_name = models.CharField(
        "service",
        max_length=200,
        blank=True,
        help_text="Otherwise the service, for example “Commissioning support officers”.",
    )
    financial_year = financial_year_field(
        help_text="The year the money is spent: one of the allocation's years."
    )
    amount = models.DecimalField("amount (£)", **MONEY)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(GrantCommitmentQuerySet)()
    history = audited_history()

    class Meta:
        ordering = ["allocation", "financial_year", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_positive"),
            models.CheckConstraint(
                condition=Q(contract__isnull=False) | ~Q(service_name=""),
                name="commitment_to_contract_or_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{format_money(self.amount)} to {self.recipient_label} ({self.financial_year})"

    @property
    def recipient_label(self) -> str:
        return str(self.contract) if self.contract_id else self.service_name

    def get_absolute_url(self) -> str:
        return self.allocation.get_absolute_url()


class ContractFundingQuerySet(AuditedQuerySet):
    def for_contract(self, contract):
        return self.filter(contract=contract)


@bounded()
class ContractFunding(AuditedModel):
    """A budget line paying for a contract in one financial year: the Public Health
    Grant or a contribution (e.g. a Police and Crime Commissioner's £239k). Grant
    money reaches contracts through GrantCommitment, which the coverage check adds."""

    class Source(models.TextChoices):
        PUBLIC_HEALTH_GRANT = "public_health_grant", "Public Health Grant"
        CONTRIBUTION = "contribution", "Contribution"

    # The third source, grants, is read from GrantCommitment rather than copied here.
    GRANT_COMMITMENT_LABEL = "Grant commitment"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="funding_lines")
    financial_year = financial_year_field()
    source = models.CharField(max_length=20, choices=Source.choices)
    # PROTECT: the authority whose budget pays must not vanish from its line.
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_lines",
        help_text="Whose Public Health Grant pays, when several councils share the contract.",
    )
    contributor = models.CharField(
        "contributor",
        max_length=200,
        blank=True,
        help_text="Who contributes, for example “Police, Fire and Crime Commissioner”.",
    )
    amount = models.DecimalField(
        "amount (£)", **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(ContractFundingQuerySet)()
    history = audited_history()

    class Meta:
        ordering = ["contract", "financial_year", "source", "pk"]
        verbose_name = "contract funding line"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="funding_not_negative"),
            models.CheckConstraint(
                condition=~Q(source="contribution") | ~Q(contributor=""),
                name="contribution_names_contributor",
            ),
        ]

    def __str__(self) -> str:
        who = (
            self.contributor
            if self.source == self.Source.CONTRIBUTION
            else self.get_source_display()
        )
        return f"{who} {self.financial_year}: {format_money(self.amount)}"

    def get_absolute_url(self) -> str:
        return reverse("grants:contract_funding", args=[self.contract_id])


@bounded()
class OutboundGrantProgramme(AuditedModel):
    """A council's own grants programme, such as Kent's £1m local grants programme for
    micro and small voluntary and community sector providers (2016)."""

    # PROTECT: the programme's grants are published under this council's name.
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="outbound_grant_programmes"
    )
    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=40,
        blank=True,
        help_text="A short code, published as the 360Giving programme code.",
    )
    budget = models.DecimalField(
        "budget (£)", **MONEY, validators=[MinValueValidator(Decimal("0"))]
    )
    financial_year = financial_year_field()
    description = models.TextField(blank=True)
    giving_prefix = models.CharField(
        "360Giving prefix",
        max_length=60,
        help_text="The council's registered 360Giving prefix, for example 360G-kentcc.",
    )
    funder_org_id = models.CharField(
        "funder organisation identifier",
        max_length=60,
        help_text="The council's org-id, for example GB-LAE-KEN for Kent County Council.",
    )

    history = audited_history()

    class Meta:
        ordering = ["-financial_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="outbound_programme_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="outbound_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.financial_year}"


class OutboundGrantQuerySet(AuditedQuerySet):
    def with_related(self):
        return self.select_related("programme__authority")


@bounded()
class OutboundGrant(AuditedModel):
    """One award under a council's own grants programme, as published in 360Giving."""

    # PROTECT: a published grant keeps the programme it was awarded under.
    programme = models.ForeignKey(
        OutboundGrantProgramme, on_delete=models.PROTECT, related_name="grants"
    )
    reference = models.CharField(
        max_length=50, help_text="The council's own grant reference, used in the 360Giving id."
    )
    title = models.CharField(max_length=140, help_text="Under 140 characters, as 360Giving asks.")
    purpose = models.TextField(help_text="What the grant pays for, in a sentence or two.")
    recipient_name = models.CharField("recipient organisation", max_length=200)
    recipient_charity_number = models.CharField(
        "recipient charity number", max_length=20, blank=True
    )
    recipient_company_number = models.CharField(
        "recipient company number", max_length=8, blank=True
    )
    amount = models.DecimalField("amount awarded (£)", **MONEY)
    award_date = models.DateField(help_text="When the decision to award the grant was made.")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    location = models.CharField(
        "beneficiary location", max_length=100, blank=True, help_text="For example a district."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = models.Manager.from_queryset(OutboundGrantQuerySet)()
    history = audited_history()
    history_url_name = "grants:outbound_detail"

    class Meta:
        ordering = ["-award_date", "recipient_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "reference"], name="outbound_grant_reference_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="outbound_grant_positive"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="outbound_grant_end_on_or_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("grants:outbound_detail", args=[self.pk])

    @property
    def authority(self) -> Authority:
        return self.programme.authority

    @property
    def giving_id(self) -> str:
        return rules.giving_id(self.programme.giving_prefix, self.reference)
