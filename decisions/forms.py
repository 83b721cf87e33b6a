from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Fieldset, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from contracts.models import Authority, Contract
from decisions import issuing, rules
from decisions.models import (
    Decision,
    DecisionAttachment,
    DecisionContractLink,
    DecisionRelation,
    PathwayStage,
    Recommendation,
    ReportSection,
)
from ui import attachments
from ui.fields import MoneyField, UkDateField
from ui.forms import GovukModelForm, ReasonField
from ui.lookup import AUTHORITIES, CONTRACTS, DECISIONS, MAX_SELECT_OPTIONS, LookupField, set_user

TEXTAREA = forms.Textarea(attrs={"rows": 4})
# A text box for a whole number: styled by the template pack, which leaves
# <input type="number"> unstyled; the field still refuses anything but digits.
WHOLE_NUMBER = forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"})
SHORT_TEXTAREA = forms.Textarea(attrs={"rows": 2})


class AuthorityNamesField(forms.CharField):
    """Several authorities, typed as names or short names separated by semicolons: the
    text look-up of ui/lookup.py once per name, as a contract's subcontractors are
    chosen, so that the box works however many councils there are."""

    def prepare_value(self, value):
        if isinstance(value, str) or value is None:
            return value or ""
        return "; ".join(authority.name for authority in value)

    def has_changed(self, initial, data) -> bool:
        typed = "; ".join(_names(data or ""))
        return typed != self.prepare_value(initial)

    def clean(self, value) -> list:
        text = super().clean(value)
        found = {
            name: AUTHORITIES.find(Authority.objects.order_by("name"), name)
            for name in _names(text)
        }
        problems = []
        for name, matches in found.items():
            if not matches:
                problems.append(f"No authority matches “{name}”.")
            elif len(matches) > 1:
                shown = "; ".join(a.name for a in matches[:5])
                problems.append(f"“{name}” matches several authorities ({shown}).")
        if problems:
            raise forms.ValidationError(
                " ".join(problems) + " Enter each council's name or short name, separated "
                "by semicolons, for example North Northamptonshire Council; WNC."
            )
        return list(dict.fromkeys(matches[0] for matches in found.values()))


def _names(text: str) -> list[str]:
    return list(dict.fromkeys(n for n in (" ".join(p.split()) for p in text.split(";")) if n))


class DecisionForm(GovukModelForm):
    """A decision and its report. The number is allocated unless one is typed in."""

    authority = LookupField(
        Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label=None,
    )
    meeting_date = UkDateField(
        required=False, label="Meeting date", help_text=Decision.meeting_date.field.help_text
    )
    decision_date = UkDateField(
        required=False, label="Decision date", help_text=Decision.decision_date.field.help_text
    )
    forward_plan_published_on = UkDateField(
        required=False,
        label="First on the forward plan",
        help_text=Decision.forward_plan_published_on.field.help_text,
    )
    published_on = UkDateField(
        required=False,
        label="Record of decision published",
        help_text=Decision.published_on.field.help_text,
    )
    intention_notice_on = UkDateField(
        required=False,
        label="Intention to award notice",
        help_text=Decision.intention_notice_on.field.help_text,
    )
    representations_decided_on = UkDateField(
        required=False,
        label="Further decision after representations",
        help_text=Decision.representations_decided_on.field.help_text,
    )
    # Amounts as councils write them (£4,099,533.88, £1.2m), read as the contracts
    # forms and imports read them.
    amount_involved = MoneyField(
        required=False,
        label="Money involved (£)",
        help_text=Decision.amount_involved.field.help_text + " For example £4,099,533.88 or £1.2m.",
    )
    approved_maximum = MoneyField(
        required=False,
        label="Approved maximum value (£)",
        help_text=Decision.approved_maximum.field.help_text,
    )
    joint_authorities = AuthorityNamesField(
        required=False,
        label="Other authorities (joint committee only)",
        help_text=(
            "The other councils a joint committee's decision binds, by name or short name, "
            "separated by semicolons, for example North Northamptonshire Council. The "
            "decision is then on each one's forward plan."
        ),
    )
    reason = ReasonField()

    class Meta:
        model = Decision
        fields = [
            "authority",
            "number",
            "title",
            "decision_type",
            "status",
            "decision_maker",
            "decision_maker_role",
            "report_from",
            "report_to",
            "meeting_date",
            "decision_date",
            "amount_involved",
            "involves_savings",
            "divisions_significantly_affected",
            "electoral_divisions",
            "is_key_decision",
            "key_decision_reason",
            "exempt_paragraph",
            "public_interest_reason",
            "call_in_eligible",
            "summary",
            "recommendation_intro",
            "options_rejected",
            "reasons",
            "financial_implications",
            "legal_implications",
            "equalities_implications",
            "data_protection_implications",
            "conflicts_of_interest",
            "dispensations",
            "background_documents",
            "contacts",
            "appendices",
            "approved_maximum",
            "forward_plan_published_on",
            "late_notice_reason",
            "published_on",
            "intention_notice_on",
            "representations_decided_on",
            "strategic_priorities",
            "joint_authorities",
        ]
        widgets = {
            "report_from": SHORT_TEXTAREA,
            "summary": forms.Textarea(attrs={"rows": 6}),
            "recommendation_intro": SHORT_TEXTAREA,
            "options_rejected": TEXTAREA,
            "reasons": TEXTAREA,
            "financial_implications": TEXTAREA,
            "legal_implications": TEXTAREA,
            "equalities_implications": TEXTAREA,
            "data_protection_implications": TEXTAREA,
            "conflicts_of_interest": SHORT_TEXTAREA,
            "dispensations": SHORT_TEXTAREA,
            "background_documents": TEXTAREA,
            "contacts": TEXTAREA,
            "appendices": SHORT_TEXTAREA,
            "public_interest_reason": SHORT_TEXTAREA,
            "late_notice_reason": SHORT_TEXTAREA,
            "strategic_priorities": forms.CheckboxSelectMultiple,
            "divisions_significantly_affected": WHOLE_NUMBER,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.creating = self.instance.pk is None
        number = self.fields["number"]
        number.help_text = (
            "The authority's prefix, the year and the sequence, for example KCC 24/00056. "
            "A number typed without the prefix gets it."
        )
        if self.creating:
            number.required = False
            number.help_text = (
                "Leave blank to allocate the next number for this year. Enter a number "
                "only for a historical decision, for example 22/00041: the authority's "
                "prefix is added."
            )

        self.fields["exempt_paragraph"].choices = [("", "Not exempt (unrestricted)")] + [
            (n, f"Paragraph {n}: {text}") for n, text in rules.EXEMPT_PARAGRAPHS.items()
        ]
        self.helper.layout = Layout(
            Fieldset(
                "authority",
                "joint_authorities",
                "number",
                "title",
                "decision_type",
                "status",
                "decision_maker",
                "decision_maker_role",
                "report_from",
                "report_to",
                "meeting_date",
                "decision_date",
                legend="The decision",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "amount_involved",
                "involves_savings",
                "divisions_significantly_affected",
                "electoral_divisions",
                "is_key_decision",
                "key_decision_reason",
                "approved_maximum",
                legend="Key decision and money",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "exempt_paragraph",
                "public_interest_reason",
                "call_in_eligible",
                legend="Classification and call-in",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "summary",
                "recommendation_intro",
                "options_rejected",
                "reasons",
                "financial_implications",
                "legal_implications",
                "equalities_implications",
                "data_protection_implications",
                "conflicts_of_interest",
                "dispensations",
                "background_documents",
                "contacts",
                "appendices",
                "strategic_priorities",
                legend="The report",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                "forward_plan_published_on",
                "late_notice_reason",
                "published_on",
                "intention_notice_on",
                "representations_decided_on",
                legend="Notice, publication and standstill",
                legend_size=Size.MEDIUM,
            ),
            "reason",
        )

    def clean_number(self) -> str:
        number = self.cleaned_data.get("number", "").strip()
        if not number:
            return number
        try:
            rules.parse_decision_number(number)
        except ValueError:
            raise forms.ValidationError(
                "Enter a decision number as a two-digit year, a slash and five digits, "
                "for example 24/00056."
            ) from None
        return number

    def clean(self):
        cleaned = super().clean()
        authority = cleaned.get("authority")
        number = cleaned.get("number")
        # A number already given is kept as it is, even from before prefixes.
        unchanged = (
            self.instance.pk is not None
            and number == self.instance.number
            and getattr(authority, "pk", None) == self.instance.authority_id
        )
        if authority and number and not unchanged and not self.errors.get("number"):
            prefix = authority.decision_number_prefix
            own_prefix, _, _ = rules.parse_decision_number(number)
            if not own_prefix or rules.prefixes_print_alike(own_prefix, prefix):
                # "24/00056" and "kcc24/00056" are both KCC 24/00056, as printed.
                number = rules.prefixed_decision_number(number[len(own_prefix) :], prefix)
                cleaned["number"] = number
            else:
                self.add_error(
                    "number",
                    f"{authority}'s decision numbers start with "
                    f"“{authority.decision_number_prefix.strip()}”, for example "
                    f"{authority.decision_number_prefix}24/00056. Enter the number "
                    "without a prefix, or with that one.",
                )
        if authority and number and not self.errors.get("number"):
            clash = Decision.objects.filter(authority=authority, number=number)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("number", f"{authority} already has a decision {number}.")
        if authority and not self.errors.get("amount_involved"):
            suggested = rules.key_decision_reasons(
                amount=cleaned.get("amount_involved"),
                threshold=authority.key_decision_threshold,
                wards_affected=cleaned.get("divisions_significantly_affected"),
                savings=bool(cleaned.get("involves_savings")),
            )
            if suggested and not cleaned.get("is_key_decision"):
                self.add_error(
                    "is_key_decision",
                    f"This is a key decision: {suggested[0].lower()}. Tick “Key decision” "
                    "and record the reason.",
                )
        if cleaned.get("is_key_decision") and not cleaned.get("key_decision_reason", "").strip():
            self.add_error(
                "key_decision_reason",
                "Enter why this is a key decision, for example “It involves expenditure or "
                "savings of more than £1m”.",
            )
        if (
            cleaned.get("exempt_paragraph")
            and not cleaned.get("public_interest_reason", "").strip()
        ):
            self.add_error(
                "public_interest_reason",
                "Enter why the public interest in keeping the report exempt outweighs "
                "disclosing it.",
            )
        decided = cleaned.get("decision_date")
        first_notice = cleaned.get("forward_plan_published_on")
        if cleaned.get("is_key_decision") and decided and first_notice:
            status = rules.notice_status(first_notice, decided)
            late = status in (rules.NOTICE_GENERAL_EXCEPTION, rules.NOTICE_SPECIAL_URGENCY)
            if late and not cleaned.get("late_notice_reason", "").strip():
                self.add_error(
                    "late_notice_reason",
                    "The decision was not on the forward plan 28 clear days before "
                    f"{decided:%-d %B %Y}: enter the reasons for general exception or "
                    "special urgency.",
                )
        if first_notice and decided and first_notice > decided:
            self.add_error(
                "forward_plan_published_on",
                "Enter a forward plan date on or before the decision date.",
            )
        joint = cleaned.get("joint_authorities")
        if authority and joint and authority in joint:
            self.add_error(
                "joint_authorities",
                f"{authority} is the lead authority: tick only the other councils.",
            )
        published = cleaned.get("published_on")
        if published and decided and published < decided:
            self.add_error(
                "published_on", "Enter a publication date on or after the decision date."
            )
        notice = cleaned.get("intention_notice_on")
        further = cleaned.get("representations_decided_on")
        if further and not notice:
            self.add_error(
                "intention_notice_on",
                "Enter the date of the intention to award notice before a further decision.",
            )
        elif further and notice and further < notice:
            self.add_error(
                "representations_decided_on",
                "Enter a further decision date on or after the intention to award notice.",
            )
        return cleaned

    @property
    def allocate_number(self) -> bool:
        return self.creating and not self.cleaned_data.get("number")

    @property
    def allocation_year(self) -> int:
        return timezone.localdate().year


class DecisionPartForm(GovukModelForm):
    reason = ReasonField()

    def __init__(self, *args, decision: Decision, user=None, **kwargs):
        self.decision = decision
        super().__init__(*args, **kwargs)
        self.instance.decision = decision
        set_user(self, user)


class RecommendationForm(DecisionPartForm):
    class Meta:
        model = Recommendation
        fields = ["order", "verb", "text"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 4}),
            "order": WHOLE_NUMBER,
            "verb": forms.TextInput(attrs={"class": "govuk-input--width-10"}),
        }

    def clean_verb(self) -> str:
        verb = self.cleaned_data["verb"].strip()
        if not verb.replace(" ", "").isalpha():
            raise forms.ValidationError("Enter the action as a word, for example APPROVE.")
        return verb.upper()


class ReportSectionForm(DecisionPartForm):
    class Meta:
        model = ReportSection
        fields = ["order", "heading", "body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "order": WHOLE_NUMBER,
        }


class PathwayStageForm(DecisionPartForm):
    date = UkDateField(required=False, help_text="Leave blank if not yet scheduled.")

    class Meta:
        model = PathwayStage
        fields = ["order", "body", "date", "purpose", "outcome", "minutes_reference"]
        widgets = {"order": WHOLE_NUMBER}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [
            ("", "Not yet met"),
            *PathwayStage.Outcome.choices,
        ]

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome and not cleaned.get("date"):
            self.add_error("date", "Enter the date of the meeting that reached this outcome.")
        when = cleaned.get("date")
        if outcome and when and when > timezone.localdate():
            self.add_error("outcome", "Leave the outcome blank until the body has met.")
        return cleaned


class ContractLinkForm(DecisionPartForm):
    contract = LookupField(
        Contract.objects.order_by("reference"),
        lookup=CONTRACTS,
        label="Contract",
        help_text="Its reference, for example KCC-PH-0123, or part of its title or provider.",
    )

    class Meta:
        model = DecisionContractLink
        fields = ["contract", "kind", "note"]

    def clean(self):
        cleaned = super().clean()
        contract, kind = cleaned.get("contract"), cleaned.get("kind")
        if contract and kind:
            clash = DecisionContractLink.objects.filter(
                decision=self.decision, contract=contract, kind=kind
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("contract", "This decision is already linked to that contract so.")
        return cleaned


class RelationForm(DecisionPartForm):
    earlier = LookupField(
        Decision.objects.none(),
        lookup=DECISIONS,
        noun="earlier decision",
        suggest=False,  # only the same council's decisions may be chosen
        label="Earlier decision",
        help_text="Its number, for example 22/00041, or part of its subject.",
    )

    class Meta:
        model = DecisionRelation
        fields = ["earlier", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["earlier"].queryset = (
            Decision.objects.filter(Q(authority=self.decision.authority))
            .exclude(pk=self.decision.pk)
            .select_related("authority")
            .order_by("-number")
        )

    def clean(self):
        cleaned = super().clean()
        earlier = cleaned.get("earlier")
        if earlier:
            clash = DecisionRelation.objects.filter(
                decision=self.decision, earlier=earlier
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("earlier", f"This decision already cites {earlier.number}.")
        return cleaned


class IssueForm(forms.Form):
    """Confirms issuing a document; a re-issue (version 2 onwards) needs a reason.
    The template supplies the button and the cancel link."""

    reason = ReasonField(
        label="Reason for issuing",
        help_text="Kept with the issued version and in the decision's history, for "
        "example “Corrected the financial implications”.",
    )

    def __init__(self, *args, version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        if version > 1:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = issuing.REISSUE_NEEDS_A_REASON
            self.fields["reason"].label = "Reason for issuing it again"
        else:
            self.fields["reason"].label = "Reason for issuing (optional)"

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        try:
            issuing.check_reason(self.version, reason)
        except ValidationError as error:
            raise ValidationError(error.message_dict["reason"]) from None
        return reason


class ForwardPlanIssueForm(forms.Form):
    """Issue an authority's forward plan for a period; a re-issue of the same
    authority and period needs a reason."""

    authority = LookupField(
        Authority.objects.order_by("name"),
        lookup=AUTHORITIES,
        select_up_to=MAX_SELECT_OPTIONS,
        empty_label=None,
    )
    period_from = UkDateField(label="Covers from")
    period_to = UkDateField(label="Covers to")
    reason = ReasonField(
        label="Reason for issuing",
        help_text="Required when the same period is issued again, for example “Added "
        "decision 24/00071”.",
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        set_user(self, user)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.version = 1

    def clean(self):
        cleaned = super().clean()
        authority = cleaned.get("authority")
        period_from, period_to = cleaned.get("period_from"), cleaned.get("period_to")
        if not (authority and period_from and period_to):
            return cleaned
        if period_to < period_from:
            self.add_error("period_to", "The period must end on or after its start.")
            return cleaned
        self.version = issuing.next_version(
            authority.issued_forward_plans.filter(period_from=period_from, period_to=period_to)
        )
        try:
            issuing.check_reason(self.version, cleaned.get("reason", ""))
        except ValidationError as error:
            self.add_error("reason", error.message_dict["reason"])
        return cleaned


class DecisionAttachmentForm(attachments.AttachmentForm):
    """Attach a file to a decision (ui.attachments checks its content)."""

    class Meta(attachments.AttachmentForm.Meta):
        model = DecisionAttachment
        help_texts = {"kind": "Appendices and background papers are listed in the report."}

    def paragraph_choices(self) -> list[tuple[int, str]]:
        return [
            (n, f"Exempt: paragraph {n}. {text}") for n, text in rules.EXEMPT_PARAGRAPHS.items()
        ]
