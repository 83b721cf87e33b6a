"""What the Provider Selection Regime (SI 2023/1348) asks a council to record and publish.

An award's record (reg 24) and the notices drafted from it (Schedule 3: intention to
award, contract award; reg 13: modification transparency). The modifications
themselves are the contract's (``contracts.Modification``), since they feed its
figures. This app sits above decisions (docs/architecture.md).
"""

from django.core.exceptions import ValidationError
from django.db import models

from audit.models import AuditedModel, audited_history
from contracts.models import Contract, Modification
from ui.bounds import bounded


@bounded()
class AwardRecord(AuditedModel):
    """The reg 24 record of a contract's award under the Provider Selection Regime.

    The process is the contract's procurement route; the provider's name and address
    are kept as they were at award, since a later change of identity (reg 13(1)(b))
    must not rewrite the record.
    """

    # PROTECT: reg 24 records are kept for the contract's life; the contract cannot
    # vanish from under its record.
    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="award_record")
    provider_name = models.CharField(max_length=300)
    provider_address = models.TextField()
    cpv_code = models.CharField(
        "CPV code",
        max_length=120,
        blank=True,
        help_text=(
            "The most relevant Common Procurement Vocabulary code, for example "
            "85323000-9 Community health services. Every PSR notice names it (Schedule 3)."
        ),
    )
    decision_makers = models.CharField(
        max_length=300,
        help_text="The committee, or the job titles of the individuals, who made the decision.",
    )
    quality_and_innovation = models.TextField("quality and innovation")
    value = models.TextField("value")
    integration_collaboration_sustainability = models.TextField(
        "integration, collaboration and service sustainability"
    )
    access_inequalities_choice = models.TextField(
        "improving access, reducing health inequalities and facilitating choice"
    )
    social_value = models.TextField("social value")
    basic_selection_criteria = models.TextField(
        "how the provider meets the basic selection criteria"
    )
    conflicts_of_interest = models.TextField(
        "conflicts of interest declared", blank=True, help_text="Leave blank if none."
    )
    conflicts_management = models.TextField("how the conflicts were managed", blank=True)
    intention_notice_on = models.DateField(
        "intention to award notice published on",
        null=True,
        blank=True,
        help_text="Direct Award C, Most Suitable Provider and Competitive Process only.",
    )
    representations_received = models.PositiveSmallIntegerField(
        "standstill representations received", default=0
    )
    representations_outcome = models.TextField("outcome of the representations", blank=True)
    further_decision_on = models.DateField(
        "further decision after representations", null=True, blank=True
    )
    awarded_on = models.DateField("contract awarded on", null=True, blank=True)

    history = audited_history()

    class Meta:
        ordering = ["contract__reference"]

    def __str__(self) -> str:
        return f"Award record of {self.contract.reference}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("psr:awardrecord_detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        notice, further = self.intention_notice_on, self.further_decision_on
        if notice and further and further < notice:
            raise ValidationError(
                {
                    "further_decision_on": (
                        "Enter a further decision date on or after the intention notice "
                        f"({notice:%d/%m/%Y})."
                    )
                }
            )
        if further and not notice:
            raise ValidationError(
                {
                    "intention_notice_on": (
                        "Enter the date the intention notice was published: a further "
                        "decision follows representations about it."
                    )
                }
            )


def award_record_of(contract: Contract) -> "AwardRecord | None":
    """The contract's reg 24 record, or None if it has none (read with the contract as
    ``award_record`` for a list, so no query runs per contract)."""
    try:
        return contract.award_record
    except AwardRecord.DoesNotExist:
        return None


@bounded()
class Notice(AuditedModel):
    """A notice the regime asks the council to publish, and when it was published.

    Its content is drafted from the contract, its award record and the modification,
    so only what the council did with it is stored here.
    """

    class Kind(models.TextChoices):
        INTENTION = "intention", "Intention to award"
        AWARD = "award", "Contract award"
        MODIFICATION = "modification", "Modification"

    # PROTECT: a published notice is part of the record.
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="psr_notices")
    modification = models.ForeignKey(
        Modification,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    published_on = models.DateField(null=True, blank=True)
    published_at = models.URLField(
        "where it was published", blank=True, help_text="The notice's address on Find a Tender."
    )

    history = audited_history()

    class Meta:
        ordering = ["contract__reference", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="modification", modification__isnull=False)
                | (~models.Q(kind="modification") & models.Q(modification__isnull=True)),
                name="notice_modification_only_for_modification_notices",
            ),
            models.UniqueConstraint(
                fields=["contract", "kind"],
                condition=models.Q(modification__isnull=True),
                name="one_award_notice_of_each_kind",
            ),
            models.UniqueConstraint(
                fields=["modification"],
                condition=models.Q(modification__isnull=False),
                name="one_notice_per_modification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} notice for {self.contract.reference}"
