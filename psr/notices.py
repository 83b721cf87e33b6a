"""The notices the regime asks a council to publish, drafted from what the app holds.

One draft per notice (:class:`NoticeDraft`): the rows of Schedule 3
(psr.rules.SCHEDULE_3_FIELDS) in order, then what that notice adds (the standstill of an
intention notice, the award date of an award notice, the change of a modification
notice). The notice's page and its PDF both render ``draft.rows``, so they say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from contracts.figures import assess_modification
from contracts.models import Contract, Modification
from contracts.rules import ModificationAssessment
from decisions.models import DecisionContractLink
from psr import rules
from psr.models import AwardRecord, Notice, award_record_of
from ui.money import format_money

NOT_RECORDED = "Not recorded"
NONE_DECLARED = "None declared"

# The key criteria of reg 5, as the award record's fields hold how each was applied.
KEY_CRITERIA = (
    ("Quality and innovation", "quality_and_innovation"),
    ("Value", "value"),
    (
        "Integration, collaboration and service sustainability",
        "integration_collaboration_sustainability",
    ),
    (
        "Improving access, reducing health inequalities and facilitating choice",
        "access_inequalities_choice",
    ),
    ("Social value", "social_value"),
)

AWARD_NOTICE_KINDS = (Notice.Kind.INTENTION, Notice.Kind.AWARD)


@dataclass
class NoticeDraft:
    kind: str
    title: str
    contract: Contract
    record: AwardRecord | None
    rows: list[tuple[str, str]]
    notice: Notice | None = None
    modification: Modification | None = None
    assessment: ModificationAssessment | None = None
    standstill: rules.Standstill | None = None
    urls: dict = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return bool(self.notice and self.notice.published_on)

    @property
    def status(self) -> str:
        if self.published:
            return f"Published on {self.notice.published_on:%d/%m/%Y}"
        return "Draft"


def record_queryset():
    """Award records with what their pages, notices and PDFs read, in one query."""
    return AwardRecord.objects.select_related(
        "contract__lead_authority", "contract__provider", "contract__stored"
    )


def standstill_of(record: AwardRecord) -> rules.Standstill:
    return rules.standstill(
        record.contract.procurement_route,
        intention_notice_on=record.intention_notice_on,
        further_decision_on=record.further_decision_on,
        awarded_on=record.awarded_on,
    )


def _process(contract: Contract) -> str:
    return contract.get_procurement_route_display().removeprefix("PSR ")


def _title_reference(contract: Contract) -> str:
    return f"{contract.title} ({contract.reference})"


def _provider(name: str, address: str) -> str:
    return f"{name}\n{address}" if address else name


def _services(contract: Contract, record: AwardRecord | None) -> str:
    text = contract.description or contract.get_service_area_display()
    cpv = record.cpv_code if record and record.cpv_code else "CPV code not recorded"
    return f"{text}\nCPV: {cpv}"


def _reasons(record: AwardRecord | None) -> str:
    if record is None:
        return NOT_RECORDED
    return "\n".join(f"{label}: {getattr(record, name)}" for label, name in KEY_CRITERIA)


def _lifetime_value(contract: Contract) -> str:
    stored = getattr(contract, "stored", None)
    return format_money(stored.original_whole_life_value) if stored else NOT_RECORDED


def _schedule_3(
    contract: Contract,
    record: AwardRecord | None,
    *,
    statement: str,
    decision_makers: str,
    lifetime_value: str,
    provider: str,
) -> list[tuple[str, str]]:
    conflicts = record.conflicts_of_interest if record else ""
    if record and record.conflicts_management:
        management = record.conflicts_management
    else:
        management = NOT_RECORDED if conflicts else "No conflicts were declared."
    values = {
        "statement": statement,
        "title_reference": _title_reference(contract),
        "provider": provider,
        "services": _services(contract, record),
        "lifetime_value": lifetime_value,
        "decision_makers": decision_makers or NOT_RECORDED,
        "reasons": _reasons(record),
        "conflicts": conflicts or NONE_DECLARED,
        "conflicts_management": management,
    }
    return [(f.label, values[f.key]) for f in rules.SCHEDULE_3_FIELDS]


def _stored_notice(contract: Contract, kind: str, modification=None) -> Notice | None:
    return Notice.objects.filter(contract=contract, kind=kind, modification=modification).first()


def award_notice(record: AwardRecord, kind: str) -> NoticeDraft:
    """The intention-to-award notice (Schedule 3; regs 9(4), 10(6), 11(10)) or the
    contract award notice of ``record``'s award."""
    contract = record.contract
    authority = contract.lead_authority.name
    process = _process(contract)
    standstill = standstill_of(record)
    provider = _provider(record.provider_name, record.provider_address)
    if kind == Notice.Kind.INTENTION:
        title = "Notice of intention to award a contract"
        statement = (
            f"{authority} intends to award a contract to {record.provider_name} "
            f"following the {process} under the Provider Selection Regime."
        )
        extra = [
            ("Process", process),
            ("Notice published on", _date(record.intention_notice_on, "Not yet published")),
            (
                "Standstill period ends",
                _date(standstill.ends_on, "8 working days after the notice is published"),
            ),
            (
                "Representations",
                "Providers may make representations to the authority before the "
                "standstill period ends (reg 12). The contract will not be awarded "
                "before the standstill period ends.",
            ),
        ]
    else:
        title = "Contract award notice"
        statement = (
            f"{authority} has awarded a contract to {record.provider_name} following the "
            f"{process} under the Provider Selection Regime."
        )
        extra = [
            ("Process", process),
            ("Contract awarded on", _date(record.awarded_on, "Not yet awarded")),
            (
                "Contract term",
                f"{contract.start_date:%d/%m/%Y} to {contract.initial_end_date:%d/%m/%Y}",
            ),
        ]
        if standstill.applies:
            extra.append(("Standstill period ended", _date(standstill.ends_on, NOT_RECORDED)))
    rows = _schedule_3(
        contract,
        record,
        statement=statement,
        decision_makers=record.decision_makers,
        lifetime_value=_lifetime_value(contract),
        provider=provider,
    )
    return NoticeDraft(
        kind=kind,
        title=title,
        contract=contract,
        record=record,
        rows=rows + extra,
        notice=_stored_notice(contract, kind),
        standstill=standstill,
        urls={
            "page": reverse("psr:notice_detail", args=[record.pk, kind]),
            "pdf": reverse("psr:notice_pdf", args=[record.pk, kind]),
            "published": reverse("psr:notice_published", args=[record.pk, kind]),
        },
    )


def _date(value, otherwise: str) -> str:
    return f"{value:%d/%m/%Y}" if value else otherwise


def modification_queryset():
    """Modifications with their contract, award record, authorising decisions and the
    contract's other modifications (for the cumulative change), in a few queries."""
    return Modification.objects.select_related(
        "contract__lead_authority",
        "contract__provider",
        "contract__stored",
        "new_provider",
    ).prefetch_related(
        "contract__options",
        Prefetch("contract__modifications", queryset=Modification.objects.order_by("sequence")),
        Prefetch(
            "decision_links",
            queryset=DecisionContractLink.objects.select_related("decision").order_by(
                "decision__number"
            ),
        ),
    )


def modification_notice(modification: Modification) -> NoticeDraft:
    """The transparency notice of a modification (reg 13(3)): required when the
    modification is permitted and changes the lifetime value by £500,000 or more."""
    contract = modification.contract
    record = award_record_of(contract)
    assessed = assess_modification(contract, modification)
    assessment = assessed.assessment
    authority = contract.lead_authority.name
    # A notice is for publication: of an exempt decision it names only what anyone may
    # read (decisions.visibility.PUBLIC_FIELDS), never its decision maker.
    decisions = [
        f"Decision {link.decision.number} ({link.decision.exempt_short_label})"
        if link.decision.is_exempt
        else f"{link.decision.decision_maker}"
        + (f", {link.decision.decision_maker_role}" if link.decision.decision_maker_role else "")
        + f" (decision {link.decision.number})"
        for link in modification.decision_links.all()
    ]
    decision_makers = "; ".join(decisions) or (record.decision_makers if record else "")
    provider = modification.new_provider or contract.provider
    if record and not modification.new_provider:
        provider_text = _provider(record.provider_name, record.provider_address)
    elif provider:
        provider_text = _provider(provider.name, provider.address)
    else:
        provider_text = NOT_RECORDED
    stored = getattr(contract, "stored", None)
    nature = [f"{modification.get_kind_display()}: {modification.description}"]
    if modification.annual_value_change is not None:
        nature.append(f"Change in annual value: {format_money(modification.annual_value_change)}")
    nature.append(f"Change in lifetime value: {format_money(assessed.change)}")
    if modification.new_end_date:
        nature.append(f"New end date: {modification.new_end_date:%d/%m/%Y}")
    rows = _schedule_3(
        contract,
        record,
        statement=(
            f"{authority} has modified this contract during its term under regulation 13 of "
            "the Health Care Services (Provider Selection Regime) Regulations 2023."
        ),
        decision_makers=decision_makers,
        lifetime_value=(
            f"{format_money(stored.original_whole_life_value)} at award; "
            f"{format_money(stored.whole_life_value)} now"
            if stored
            else NOT_RECORDED
        ),
        provider=provider_text,
    )
    rows += [
        ("Effective date of the modification", f"{modification.effective_date:%d/%m/%Y}"),
        ("Nature of the modification", "\n".join(nature)),
        ("Ground (reg 13(1))", modification.get_ground_display()),
        (
            "Materially different in character",
            ("Yes" if modification.materially_different else "No")
            + (
                f": {modification.materially_different_reason}"
                if modification.materially_different_reason
                else ""
            ),
        ),
        ("Assessment", assessment.reason),
        (
            "Publish by",
            f"{rules.modification_notice_due(modification.effective_date):%d/%m/%Y} "
            "(within 30 days of the modification)"
            if assessment.notice_required
            else "No transparency notice is required for this modification.",
        ),
    ]
    return NoticeDraft(
        kind=Notice.Kind.MODIFICATION,
        title="Modification transparency notice",
        contract=contract,
        record=record,
        rows=rows,
        notice=_stored_notice(contract, Notice.Kind.MODIFICATION, modification),
        modification=modification,
        assessment=assessment,
        urls={
            "page": reverse("psr:modification_notice", args=[modification.pk]),
            "pdf": reverse("psr:modification_notice_pdf", args=[modification.pk]),
            "published": reverse("psr:modification_notice_published", args=[modification.pk]),
        },
    )


# --- The panel on a contract's page ---------------------------------------------------


def award_panel(contract: Contract, user) -> dict | None:
    """The award record and its notices, for the contract page of a PSR contract
    (registered in psr.apps). Two queries: the record, and the notices."""
    if not rules.is_psr_route(contract.procurement_route):
        return None
    if not user.has_perm("psr.view_awardrecord"):
        return None
    record = AwardRecord.objects.filter(contract=contract).first()
    notices = {
        n.kind: n for n in Notice.objects.filter(contract=contract, modification__isnull=True)
    }
    kinds = []
    if record:
        for kind in AWARD_NOTICE_KINDS:
            if kind == Notice.Kind.INTENTION and not rules.needs_intention_notice(
                contract.procurement_route
            ):
                continue
            notice = notices.get(kind)
            kinds.append(
                {
                    "label": Notice.Kind(kind).label,
                    "url": reverse("psr:notice_detail", args=[record.pk, kind]),
                    "published_on": notice.published_on if notice else None,
                }
            )
    if record:
        record.contract = contract  # the page's contract: no second fetch
    return {
        "template": "psr/awardrecord_panel.html",
        "title": "Award record (PSR)",
        "contract": contract,
        "record": record,
        "standstill": standstill_of(record) if record else None,
        "notices": kinds,
        "can_add": user.has_perm("psr.add_awardrecord"),
        "add_url": reverse("psr:awardrecord_create", args=[contract.pk]),
    }
