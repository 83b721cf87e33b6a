"""A decision's computed figures: the one place decision rows meet decisions.rules.

The page, the PDFs, the forward plan, the contract panel and the home panel all
call these, so a deadline or a ceiling is worked out once. They read a
decision's parts through ``.all()``, so callers prefetch them (see
``reports.DETAIL_PREFETCH``) and pay no query per part.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone

from contracts.figures import lifetime_change_of, original_value_of, schedule_of
from decisions import rules

NOTICE_LABELS = {
    rules.NOTICE_ON_TIME: "On the forward plan in time (28 clear days)",
    rules.NOTICE_GENERAL_EXCEPTION: "Late: needs general exception (reg 10)",
    rules.NOTICE_SPECIAL_URGENCY: "Late: needs special urgency (reg 11)",
    rules.NOTICE_NOT_PUBLISHED: "Not yet on the forward plan",
}


@dataclass(frozen=True)
class Deadlines:
    forward_plan_deadline: date | None
    general_exception_deadline: date | None
    notice_status: str | None
    call_in_deadline: date | None
    takes_effect: date | None
    standstill_end: date | None

    @property
    def notice_label(self) -> str:
        return NOTICE_LABELS.get(self.notice_status, "") if self.notice_status else ""

    @property
    def late_notice(self) -> bool:
        return self.notice_status in (rules.NOTICE_GENERAL_EXCEPTION, rules.NOTICE_SPECIAL_URGENCY)

    @property
    def overdue_for_forward_plan(self) -> bool:
        """Not on the plan, and the 28-clear-day date has already passed."""
        return (
            self.notice_status == rules.NOTICE_NOT_PUBLISHED
            and self.forward_plan_deadline is not None
            and self.forward_plan_deadline < timezone.localdate()
        )


def deadlines_for(decision) -> Deadlines:
    nation = decision.authority.nation
    decided = decision.decision_date
    key = decision.is_key_decision and decided is not None
    call_in = takes_effect = None
    if decision.published_on and decision.call_in_eligible:
        call_in = rules.call_in_deadline(
            decision.published_on, decision.authority.call_in_working_days, nation=nation
        )
    if decision.published_on:
        takes_effect = rules.takes_effect(
            decision.published_on,
            decision.authority.call_in_working_days,
            urgent=not decision.call_in_eligible,
            nation=nation,
        )
    standstill = None
    if decision.intention_notice_on:
        standstill = rules.standstill_end(
            decision.intention_notice_on, decision.representations_decided_on, nation=nation
        )
    return Deadlines(
        forward_plan_deadline=rules.forward_plan_deadline(decided) if key else None,
        general_exception_deadline=rules.general_exception_deadline(decided) if key else None,
        notice_status=rules.notice_status(decision.forward_plan_published_on, decided)
        if key
        else None,
        call_in_deadline=call_in,
        takes_effect=takes_effect,
        standstill_end=standstill,
    )


def suggested_key_reasons(decision) -> list[str]:
    return rules.key_decision_reasons(
        amount=decision.amount_involved,
        threshold=decision.authority.key_decision_threshold,
        wards_affected=decision.divisions_significantly_affected,
        savings=decision.involves_savings,
    )


def _stage_label(stage) -> str:
    if stage.date:
        return f"{stage.body}, {stage.date.day} {stage.date:%B %Y}"
    return stage.body


def pathway_lines(decision, as_of: date | None = None) -> tuple[str, str]:
    """The report's "Past pathway" and "Future pathway" lines ("N/A" when empty).

    With ``as_of`` (a document's date), a stage dated after it had not happened yet
    on that date: it is future pathway, though it comes before the meeting. A stage's
    label carries its date, so a label names stages of one date only.
    """
    stages = [(_stage_label(s), s.date) for s in decision.stages.all()]
    past, future = rules.split_pathway(stages, decision.meeting_date)
    if as_of is not None:
        later = {label for label, when in stages if when is not None and when > as_of}
        # Past stages come before every future one in pathway order, so those moved
        # stay in order at the head of the future pathway.
        future = [label for label in past if label in later] + future
        past = [label for label in past if label not in later]
    return ("; ".join(past) or "N/A", "; ".join(future) or "N/A")


def numbered_sections(decision):
    """Sections as (number, heading, [(paragraph number, Paragraph), ...])."""
    return rules.number_paragraphs(
        [(s.heading, rules.split_paragraphs(s.body)) for s in decision.sections.all()]
    )


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@dataclass(frozen=True)
class CeilingItem:
    """One amount a decision authorised: "Award of KCC-PH-YPDA-2025", £4,099,533.88."""

    label: str
    amount: Decimal


@dataclass(frozen=True)
class CeilingLine:
    """A contract link of the decision and what it counts against the ceiling.

    ``items`` make up ``amount``; a link that counts nothing says why in ``note``.
    """

    link: object
    items: list[CeilingItem]
    note: str = ""

    @property
    def amount(self) -> Decimal:
        return sum((item.amount for item in self.items), Decimal("0.00"))

    @property
    def counts(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class Ceiling:
    approved_maximum: Decimal | None
    total: Decimal
    excess: Decimal
    lines: list[CeilingLine] = field(default_factory=list)

    @property
    def breached(self) -> bool:
        return self.excess > 0

    @property
    def items(self) -> list[CeilingItem]:
        """Every amount that makes up the total, in the order of the lines."""
        return [item for line in self.lines for item in line.items]


def _option_items(decision, contract, today: date) -> list[CeilingItem]:
    """The value of the option periods of ``contract`` that ``decision`` authorised,
    from the contract's year rows (contracts.figures: a row's source is "option N", N
    the option's place in sequence order). Reads ``contract.options.all()``."""
    options = sorted(contract.options.all(), key=lambda o: o.sequence)
    authorised = {
        f"option {number}": option
        for number, option in enumerate(options, start=1)
        if option.authorising_decision_id == decision.pk
    }
    if not authorised:
        return []
    years = schedule_of(contract)
    items = []
    for source, option in authorised.items():
        rows = [y.amount for y in years if y.source == source]
        if rows:  # a declined option has no period, so no value
            items.append(
                CeilingItem(
                    f"Option {option.sequence} of {contract.reference}",
                    sum(rows, Decimal("0.00")),
                )
            )
    return items


# What a link that counts nothing says, by kind.
NOTHING_COUNTED = {
    "vary": "Names no variation, so counts nothing: record the variation it authorised.",
    "extend": "No option of this contract is authorised by this decision, so counts nothing.",
}


def ceiling_line(decision, link, today: date) -> CeilingLine:
    """What one contract link of ``decision`` counts against its ceiling: an award, the
    contract's whole-life value at award; a variation, its change; an extension, the
    value of the option periods this decision authorised."""
    contract = link.contract
    if link.kind == link.Kind.AWARD:
        value = original_value_of(contract)
        return CeilingLine(link, [CeilingItem(f"Award of {contract.reference}", value)])
    if link.kind == link.Kind.VARY and link.modification_id:
        modification = link.modification
        label = f"Variation {modification.sequence} of {contract.reference}"
        change = lifetime_change_of(contract, modification)
        return CeilingLine(link, [CeilingItem(label, change)])
    if link.kind == link.Kind.EXTEND:
        items = _option_items(decision, contract, today)
        if items:
            return CeilingLine(link, items)
    return CeilingLine(link, [], note=NOTHING_COUNTED.get(link.kind, ""))


def ceiling_for(decision, today: date | None = None, links=None) -> Ceiling:
    """What a decision authorised, item by item, against its approved maximum.

    ``links`` are the decision's contract links when the caller has already read them
    (the contract page reads those of all its decisions at once); by default,
    ``decision.contract_links.all()``. Each is read with its contract's stored figures
    (``contract__stored``), its modification, and the contract's options and
    modifications (what ``schedule_of`` and ``lifetime_change_of`` read), so no query
    runs per link.
    """
    today = today or timezone.localdate()
    lines_ = [
        ceiling_line(decision, link, today)
        for link in (decision.contract_links.all() if links is None else links)
    ]
    amounts = [item.amount for line in lines_ for item in line.items]
    return Ceiling(
        approved_maximum=decision.approved_maximum,
        total=sum(amounts, Decimal("0.00")),
        excess=rules.ceiling_excess(decision.approved_maximum, amounts),
        lines=lines_,
    )


# --- What a report prints ---------------------------------------------------------------

# The heading of a report that is not a key decision: each body's usual one. A board
# "for decision / note", as Southend's Health and Wellbeing Board heads its reports
# (shared/seeds/002); any other body, "Report for decision".
KEY_DECISION_HEADING = "Key Decision Report"
BOARD_HEADING = "For decision / note"
OTHER_HEADING = "Report for decision"
# What an uncleared reader of an exempt decision sees: whether it is a key decision is
# not among its public fields (decisions.visibility.PUBLIC_FIELDS).
WITHHELD_HEADING = "Report"


def report_heading(decision, *, hidden: bool = False) -> str:
    """The report's heading: "Key Decision Report" for a key decision only, else the
    body's usual heading."""
    if hidden:
        return WITHHELD_HEADING
    if decision.is_key_decision:
        return KEY_DECISION_HEADING
    if decision.decision_type == decision.Type.BOARD:
        return BOARD_HEADING
    return OTHER_HEADING


def decided_on(decision) -> date | None:
    """The date a decision was (or is to be) taken: its decision date, else the date of
    the pathway stage at which it was decided. Stages come from ``decision.stages.all()``
    (prefetched by the caller)."""
    if decision.decision_date:
        return decision.decision_date
    for stage in decision.stages.all():
        if stage.outcome == stage.Outcome.DECIDED and stage.date:
            return stage.date
    return None


@dataclass(frozen=True)
class ClosingSection:
    """A numbered section a report prints after its own sections.

    ``kind`` says how the template prints it: "paragraphs" (numbered paragraphs),
    "recommendations", "documents" (one numbered paragraph a line), "lines" (plain
    lines, as contact details are printed) or "appendices".
    """

    number: str
    heading: str
    kind: str
    paragraphs: list = field(default_factory=list)
    lines: list = field(default_factory=list)


def _text_section(heading: str, text: str):
    paragraphs = rules.split_paragraphs(text or "")
    return (heading, "paragraphs", paragraphs, []) if paragraphs else None


def closing_sections(decision, *, after: int, attachments=()) -> list[ClosingSection]:
    """The report's fields from the decision form, as numbered sections after its own
    ``after`` sections, in the order of Kent's Key Decision Report 24/00056
    (shared/seeds/000): options considered and rejected; reasons; financial, legal,
    equalities and data protection implications; conflicts and dispensations; the
    recommendations again; background documents; contact details; appendices.

    A part the clerk left empty is left out, and the numbers close up behind it.
    """
    conflicts = []
    if decision.conflicts_of_interest.strip():
        conflicts.append(f"Interests declared: {decision.conflicts_of_interest.strip()}")
    if decision.dispensations.strip():
        conflicts.append(f"Dispensations granted: {decision.dispensations.strip()}")
    has_recommendations = bool(
        decision.recommendation_intro.strip() or list(decision.recommendations.all())
    )
    appendices = lines(decision.appendices)
    parts = [
        _text_section("Options considered and rejected", decision.options_rejected),
        _text_section("Reasons for the decision", decision.reasons),
        _text_section("Financial implications", decision.financial_implications),
        _text_section("Legal implications", decision.legal_implications),
        _text_section("Equalities implications", decision.equalities_implications),
        _text_section("Data protection implications", decision.data_protection_implications),
        _text_section("Conflicts of interest and dispensations", "\n\n".join(conflicts)),
        ("Recommendation(s)", "recommendations", [], []) if has_recommendations else None,
        ("Background Documents", "documents", [], lines(decision.background_documents)),
        ("Contact details", "lines", [], lines(decision.contacts)),
        ("Appendices", "appendices", [], appendices) if appendices or attachments else None,
    ]
    sections = []
    for heading, kind, paragraphs, lines_ in filter(None, parts):
        if kind in ("documents", "lines") and not lines_:
            continue
        number = str(after + len(sections) + 1)
        sections.append(
            ClosingSection(
                number=number,
                heading=heading,
                kind=kind,
                paragraphs=[(f"{number}.{i}", p) for i, p in enumerate(paragraphs, start=1)],
                lines=[(f"{number}.{i}", line) for i, line in enumerate(lines_, start=1)],
            )
        )
    return sections
