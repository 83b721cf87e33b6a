from django.db import models

from audit.models import AuditedModel, audited_history
from contracts.models import Authority


class Decision(AuditedModel):
    """What a decision maker resolves. (Extended by the decisions work.)"""

    # PROTECT: a decision's number is allocated within its authority.
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(max_length=30, help_text="For example 24/00056.")
    title = models.CharField(max_length=300)
    decision_date = models.DateField(null=True, blank=True)

    history = audited_history()
    history_url_name = "decisions:detail"

    class Meta:
        ordering = ["-decision_date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="decision_number_unique")
        ]
        permissions = [("generate_pdf", "Can generate decision PDFs")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
