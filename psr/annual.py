"""The reg 25 annual summary of one authority's year (SI 2023/1348 reg 25; the year and
the definitions are psr.rules'): the figures, each with the records it counts.

Two queries whatever the number of contracts: the authority's contracts (with their
stored figures, provider, reg 24 record and awarding decision's date) and their
modifications. The counting and grouping is psr.rules'.

What it reads:
- contracts awarded: the authority's contracts (led, or shared: ``of_authority``) with
  a PSR route, awarded (procurement stage "awarded", or an award date on their reg 24
  record), whose award date (psr.rules.award_date) is in the year. Values are the
  whole contract's: the value at award (``original_whole_life_value``) and today's
  whole-life value, after modifications.
- modifications: those of the authority's contracts effective in the year, whatever
  route awarded the contract, each tested by reg 13 in order.
- representations: those on reg 24 records whose standstill ended in the year (the
  standstill after the intention notice, decisions.rules.standstill_end; the award
  date when no notice date is recorded).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, Subquery, prefetch_related_objects

from contracts.figures import assessed_modifications
from contracts.models import Authority, Contract, Modification
from decisions.models import Decision, DecisionContractLink
from decisions.rules import standstill_end
from psr import rules
from psr.models import award_record_of

ZERO = Decimal("0")

PROCESS_LABELS = {
    rules.DIRECT_AWARD_A: "Direct Award Process A",
    rules.DIRECT_AWARD_B: "Direct Award Process B",
    rules.DIRECT_AWARD_C: "Direct Award Process C",
    rules.MOST_SUITABLE: "Most Suitable Provider Process",
    rules.COMPETITIVE: "Competitive Process",
    rules.FRAMEWORK_CALL_OFF: "Call-off from a framework agreement",
    rules.URGENT_AWARD: "Urgent award (reg 14)",
}


@dataclass
class AwardRow:
    contract: Contract
    awarded_on: date
    date_from: str
    original_value: Decimal
    current_value: Decimal
    # Led by another authority: this one pays a share (the values are the whole contract's).
    shared: bool

    @property
    def process(self) -> str:
        return PROCESS_LABELS[self.contract.procurement_route]


@dataclass
class ModificationRow:
    modification: Modification
    contract: Contract
    change: Decimal
    assessment: rules.ModificationAssessment


@dataclass
class ProviderRow:
    provider: object
    contracts: list[Contract]


@dataclass
class RepresentationRow:
    contract: Contract
    standstill_ended: date
    received: int
    outcome: str


@dataclass
class Figure:
    """One figure of the summary and the records it counts (``rows``)."""

    key: str
    label: str
    rows: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def original_total(self) -> Decimal:
        return sum((row.original_value for row in self.rows), ZERO)

    @property
    def current_total(self) -> Decimal:
        return sum((row.current_value for row in self.rows), ZERO)

    @property
    def change_total(self) -> Decimal:
        return sum((row.change for row in self.rows), ZERO)

    @property
    def received(self) -> int:
        return sum(row.received for row in self.rows)


@dataclass
class Line:
    """One line of the published summary: its paragraph of reg 25(2), what it counts,
    the number (None: the tracker does not record it), the figure whose records it
    counts, and whether it has values."""

    para: str
    text: str
    number: int | None
    figure: Figure | None
    valued: bool


@dataclass
class AnnualSummary:
    authority: Authority
    year: rules.ReportingYear
    awards: Figure
    processes: list[Figure]
    direct_awards: Figure
    call_offs: Figure
    urgent_awards: Figure
    modifications: Figure
    urgent_modifications: Figure
    by_ground: list[Figure]
    not_permitted: Figure
    gained: Figure
    lost: Figure
    representations: Figure

    @property
    def lines(self) -> list[Line]:
        """The summary as councils publish it, a line for each figure of reg 25(2) in its
        order (the page, the CSV and the PDF all show these)."""
        a, b, c, msp, competitive = self.processes
        awards = [
            ("(a)", "Contracts awarded by Direct Award Process A, B or C", self.direct_awards),
            ("", "of which Direct Award Process A", a),
            ("", "of which Direct Award Process B", b),
            ("", "of which Direct Award Process C", c),
            ("(b)", "Contracts awarded by the Most Suitable Provider Process", msp),
            ("(c)", "Contracts awarded by the Competitive Process", competitive),
        ]
        lines = [Line(para, text, figure.count, figure, True) for para, text, figure in awards]
        lines += [
            Line("(d)", "Framework agreements concluded", None, None, False),
            Line(
                "(e)",
                "Contracts awarded based on a framework agreement",
                self.call_offs.count,
                self.call_offs,
                True,
            ),
            Line(
                "(f)",
                "Contracts awarded and modifications made urgently (reg 14)",
                self.urgent_count,
                None,
                False,
            ),
            Line("", "of which urgent awards", self.urgent_awards.count, self.urgent_awards, True),
            Line(
                "",
                "of which urgent modifications",
                self.urgent_modifications.count,
                self.urgent_modifications,
                False,
            ),
            Line("(g)", "New providers awarded a contract", self.gained.count, self.gained, False),
            Line("(h)", "Providers whose last contract ended", self.lost.count, self.lost, False),
            Line(
                "(i)",
                "Written representations received during standstill periods that ended",
                self.representations.received,
                self.representations,
                False,
            ),
            Line("", "All contracts awarded", self.awards.count, self.awards, True),
            Line("", "Modifications made", self.modifications.count, self.modifications, False),
        ]
        lines += [
            Line("", f"of which on ground {figure.label}", figure.count, figure, False)
            for figure in self.by_ground
        ]
        lines.append(
            Line(
                "",
                "Modifications not permitted by reg 13",
                self.not_permitted.count,
                self.not_permitted,
                False,
            )
        )
        return lines

    @property
    def urgent_count(self) -> int:
        """Reg 25(2)(f) counts urgent awards and urgent modifications together."""
        return self.urgent_awards.count + self.urgent_modifications.count


def _contracts(authority: Authority):
    awarding_decision_date = (
        DecisionContractLink.objects.filter(
            contract=OuterRef("pk"),
            kind=DecisionContractLink.Kind.AWARD,
            decision__status=Decision.Status.TAKEN,
            decision__decision_date__isnull=False,
            # An exempt decision's date is withheld from most readers
            # (decisions.visibility); this page is for every signed-in user.
            decision__exempt_paragraph__isnull=True,
        )
        .order_by("decision__decision_date")
        .values("decision__decision_date")[:1]
    )
    return (
        Contract.objects.of_authority(authority)
        .select_related("stored", "provider", "lead_authority", "award_record")
        .annotate(decided_on=Subquery(awarding_decision_date))
        .order_by("reference")
    )


def _is_awarded(contract: Contract, record) -> bool:
    return contract.procurement_stage == Contract.ProcurementStage.AWARDED or bool(
        record and record.awarded_on
    )


def _end(contract: Contract) -> date:
    """The last day the contract is held: its current end, or its termination if earlier."""
    end = contract.stored.current_end
    if contract.terminated_on and contract.terminated_on < end:
        return contract.terminated_on
    return end


def _standstill_ended(contract: Contract, record, awarded_on: date | None) -> date | None:
    """When the standstill the representations were made in ended (reg 12,
    decisions.rules.standstill_end); the award date where no notice date is recorded
    (the award follows the standstill); None when neither is known."""
    if not record.intention_notice_on:
        return awarded_on
    nation = contract.lead_authority.nation
    try:
        return standstill_end(record.intention_notice_on, record.further_decision_on, nation=nation)
    except ValueError:
        # A further decision recorded before the notice: the notice's standstill.
        return standstill_end(record.intention_notice_on, nation=nation)


def annual_summary(authority: Authority, year: int) -> AnnualSummary:
    period = rules.reporting_year(year)
    contracts = list(_contracts(authority))
    # Each contract's modifications and options: what contracts.figures reads for a
    # modification's change and its reg 13 test.
    prefetch_related_objects(
        contracts,
        Prefetch(
            "modifications",
            queryset=Modification.objects.select_related("new_provider").order_by("sequence"),
        ),
        "options",
    )

    awards = Figure("awards", "Contracts awarded")
    representations = Figure("representations", "Standstill representations")
    for contract in contracts:
        record = award_record_of(contract)
        awarded_on = None
        if contract.procurement_route in rules.PSR_ROUTES and _is_awarded(contract, record):
            awarded_on, date_from = rules.award_date(
                record.awarded_on if record else None, contract.decided_on, contract.start_date
            )
            if awarded_on in period:
                awards.rows.append(
                    AwardRow(
                        contract=contract,
                        awarded_on=awarded_on,
                        date_from=date_from,
                        original_value=contract.stored.original_whole_life_value,
                        current_value=contract.stored.whole_life_value,
                        shared=contract.lead_authority_id != authority.pk,
                    )
                )
        if record and record.representations_received:
            ended = _standstill_ended(contract, record, awarded_on)
            if ended and ended in period:
                representations.rows.append(
                    RepresentationRow(
                        contract,
                        ended,
                        record.representations_received,
                        record.representations_outcome,
                    )
                )

    def of_routes(key: str, label: str, routes) -> Figure:
        return Figure(
            key, label, [row for row in awards.rows if row.contract.procurement_route in routes]
        )

    processes = [of_routes(code, PROCESS_LABELS[code], (code,)) for code in rules.AWARD_PROCESSES]

    in_year = Figure("modifications", "Modifications made")
    for contract in contracts:
        for row in assessed_modifications(contract):
            if row.modification.effective_date in period:
                in_year.rows.append(
                    ModificationRow(row.modification, contract, row.change, row.assessment)
                )
    in_year.rows.sort(key=lambda row: (row.modification.effective_date, row.contract.reference))

    def modifications_where(key: str, label: str, test) -> Figure:
        return Figure(key, label, [row for row in in_year.rows if test(row)])

    by_ground = [
        modifications_where(
            f"ground-{code}", label, lambda row, code=code: row.modification.ground == code
        )
        for code, label in Modification.Ground.choices
    ]

    held = [
        (contract.provider, contract.start_date, _end(contract), contract)
        for contract in contracts
        if contract.provider_id
    ]
    gained = rules.providers_gained(
        [
            (row.contract.provider, row.awarded_on, row.contract)
            for row in awards.rows
            if row.contract.provider_id
        ],
        held,
        since=rules.previous_year_start(year),
    )
    lost = rules.providers_lost(held, period)

    return AnnualSummary(
        authority=authority,
        year=period,
        awards=awards,
        processes=processes,
        direct_awards=of_routes("direct", "Direct Award Processes A, B and C", rules.DIRECT_AWARDS),
        call_offs=of_routes(
            "call-offs", PROCESS_LABELS[rules.FRAMEWORK_CALL_OFF], (rules.FRAMEWORK_CALL_OFF,)
        ),
        urgent_awards=of_routes(
            "urgent-awards", PROCESS_LABELS[rules.URGENT_AWARD], (rules.URGENT_AWARD,)
        ),
        modifications=in_year,
        urgent_modifications=modifications_where(
            "urgent-modifications",
            "Urgent modifications (reg 14)",
            lambda row: row.modification.urgent,
        ),
        by_ground=by_ground,
        not_permitted=modifications_where(
            "not-permitted", "Not permitted by reg 13", lambda row: not row.assessment.permitted
        ),
        gained=Figure(
            "gained",
            "New providers",
            [ProviderRow(p, cs) for p, cs in sorted(gained.items(), key=lambda item: item[0].name)],
        ),
        lost=Figure(
            "lost",
            "Providers lost",
            [ProviderRow(p, [c]) for p, c in sorted(lost.items(), key=lambda item: item[0].name)],
        ),
        representations=representations,
    )
