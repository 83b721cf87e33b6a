from django import forms

from psr.models import AwardRecord, Notice
from ui.fields import UkDateField
from ui.forms import GovukModelForm, ReasonField

KEY_CRITERIA_HINT = "How the provider was assessed against this key criterion (reg 5)."


class AwardRecordForm(GovukModelForm):
    """The reg 24 record of one award. It carries the version it was opened with, so a
    save is refused (and the form re-shown with the other person's changes) if someone
    saved the record meanwhile (audit.versioning)."""

    intention_notice_on = UkDateField(
        label="Intention to award notice published on (optional)",
        required=False,
        help_text=AwardRecord.intention_notice_on.field.help_text
        + " The standstill period runs from it.",
    )
    further_decision_on = UkDateField(
        label="Further decision after representations (optional)",
        required=False,
        help_text="Only when representations led the decision-makers to decide again.",
    )
    awarded_on = UkDateField(
        label="Contract awarded on (optional)",
        required=False,
        help_text="Leave blank until the contract is awarded: after the standstill period.",
    )
    reason = ReasonField()

    class Meta:
        model = AwardRecord
        fields = [
            "provider_name",
            "provider_address",
            "cpv_code",
            "decision_makers",
            "quality_and_innovation",
            "value",
            "integration_collaboration_sustainability",
            "access_inequalities_choice",
            "social_value",
            "basic_selection_criteria",
            "conflicts_of_interest",
            "conflicts_management",
            "intention_notice_on",
            "representations_received",
            "representations_outcome",
            "further_decision_on",
            "awarded_on",
        ]
        labels = {
            "provider_name": "Provider's name",
            "provider_address": "Provider's address",
            "decision_makers": "Decision-makers",
            "quality_and_innovation": "Quality and innovation",
            "value": "Value",
            "integration_collaboration_sustainability": (
                "Integration, collaboration and service sustainability"
            ),
            "access_inequalities_choice": (
                "Improving access, reducing health inequalities and facilitating choice"
            ),
            "social_value": "Social value",
            "basic_selection_criteria": "How the provider meets the basic selection criteria",
            "conflicts_of_interest": "Conflicts of interest declared (optional)",
            "conflicts_management": "How the conflicts were managed",
            "representations_received": "Standstill representations received",
            "representations_outcome": "Outcome of the representations (optional)",
        }
        help_texts = {
            "provider_name": "As at award: the registered office or principal place of business.",
            "provider_address": "The registered office or principal place of business.",
            "quality_and_innovation": KEY_CRITERIA_HINT,
            "value": KEY_CRITERIA_HINT,
            "integration_collaboration_sustainability": KEY_CRITERIA_HINT,
            "access_inequalities_choice": KEY_CRITERIA_HINT,
            "social_value": KEY_CRITERIA_HINT,
            "basic_selection_criteria": "Reg 19 and Schedule 16: the provider's standing, "
            "and its economic, financial, technical and professional ability.",
            "conflicts_management": "Required when conflicts are declared.",
        }
        error_messages = {
            "provider_name": {"required": "Enter the provider's name."},
            "provider_address": {"required": "Enter the provider's address."},
            "decision_makers": {
                "required": "Enter the decision-makers: a committee, or job titles."
            },
            "quality_and_innovation": {"required": "Say how quality and innovation were applied."},
            "value": {"required": "Say how value was applied."},
            "integration_collaboration_sustainability": {
                "required": "Say how integration, collaboration and sustainability were applied."
            },
            "access_inequalities_choice": {
                "required": "Say how access, inequalities and choice were applied."
            },
            "social_value": {"required": "Say how social value was applied."},
            "basic_selection_criteria": {
                "required": "Say how the provider meets the basic selection criteria."
            },
        }
        widgets = {
            "provider_address": forms.Textarea(attrs={"rows": 3}),
            "quality_and_innovation": forms.Textarea(attrs={"rows": 3}),
            "value": forms.Textarea(attrs={"rows": 3}),
            "integration_collaboration_sustainability": forms.Textarea(attrs={"rows": 3}),
            "access_inequalities_choice": forms.Textarea(attrs={"rows": 3}),
            "social_value": forms.Textarea(attrs={"rows": 3}),
            "basic_selection_criteria": forms.Textarea(attrs={"rows": 3}),
            "conflicts_of_interest": forms.Textarea(attrs={"rows": 3}),
            "conflicts_management": forms.Textarea(attrs={"rows": 3}),
            "representations_outcome": forms.Textarea(attrs={"rows": 3}),
            "representations_received": forms.NumberInput(attrs={"class": "govuk-input--width-4"}),
        }

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("conflicts_of_interest", "").strip()
            and not cleaned.get("conflicts_management", "").strip()
        ):
            self.add_error(
                "conflicts_management", "Say how the declared conflicts of interest were managed."
            )
        if (
            cleaned.get("representations_received")
            and not cleaned.get("representations_outcome", "").strip()
        ):
            self.add_error(
                "representations_outcome", "Say what came of the representations received."
            )
        return cleaned


class NoticePublishedForm(GovukModelForm):
    """When and where a drafted notice was published."""

    submit_label = "Save"

    published_on = UkDateField(label="Published on")
    published_at = forms.URLField(
        label="Where it was published (optional)",
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=Notice.published_at.field.help_text,
    )
    reason = ReasonField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["published_on"].error_messages["required"] = (
            "Enter the date the notice was published."
        )

    class Meta:
        model = Notice
        fields = ["published_on", "published_at"]
