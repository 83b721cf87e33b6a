"""Fill an empty database with a realistic register at scale, for benchmarks.

``python manage.py seed_benchmark --contracts 100000 [--history-rows 1000000]``

What it writes (all of it with history, through ``audit.bulk``, the one bulk path, in
batches; one transaction, so a failure leaves the database as it was):

- 3 authorities, 5,000 providers, four users (commissioner, clerk, auditor, admin; no
  usable passwords: benchmarks sign in with ``force_login``);
- N contracts starting from January 2018 to June 2027 (so some start after today, with
  their procurement stage), terms of 2 to 5 years, £50k to £5m a year (log-uniform),
  uplift 0 to 3%, every service area and route; each with 2 extension options and
  2 cost shares (percentages, or fixed amounts for some); about 1% terminated;
- a key decision for every 10 contracts (awarding them, linked; one in ten exempt),
  and an officer decision for every 10 exercised options (extending them, linked);
  a third of all options exercised, as edits after creation (as a commissioner would);
- grants: 5 programmes from 3 funders, an allocation per programme, authority and
  year (shared between two authorities for two of them), a grant commitment for a
  quarter of the contracts and a Public Health Grant funding line for half;
- with ``--history-rows M``, edits (notice deadlines, cost shares, provider details)
  until the history tables hold about M rows in all.

Deterministic: the same ``--seed`` and ``--contracts`` give the same records (dates are
fixed, not relative to today). Refuses a database that already holds records.
"""

import math
import random
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.roles import ADMINISTRATOR, AUDITOR, CLERK, COMMISSIONER, ensure_roles
from audit.bulk import bulk_create_with_history, bulk_update_with_history
from audit.chain import chained_models
from contracts import rules
from contracts.figures import deferred
from contracts.models import Authority, Contract, CostShare, ExtensionOption, Provider
from decisions.models import (
    Decision,
    DecisionContractLink,
    DecisionNumberCounter,
    PathwayStage,
    Recommendation,
)
from decisions.rules import format_decision_number
from grants.models import (
    AllocationShare,
    ContractFunding,
    Funder,
    GrantAllocation,
    GrantCommitment,
    GrantProgramme,
)

# The data's own "today": dates are fixed so a seed gives the same records on any day.
ANCHOR = date(2026, 12, 1)
FIRST_START = date(2018, 1, 1)
LAST_START = date(2027, 6, 30)
BATCH = 2000
# Django's bulk_update writes one CASE per field, which PostgreSQL evaluates row by row:
# small statements keep that linear.
UPDATE_BATCH = 200
REASON = "Benchmark data (seed_benchmark)"
PENNY = Decimal("0.01")

AUTHORITIES = (
    # name, short name, key decision threshold, number prefix
    ("North Northamptonshire Council", "NNC", Decimal("500000.00"), "NNC "),
    ("West Northamptonshire Council", "WNC", Decimal("500000.00"), "WNC "),
    ("Kent County Council", "KCC", Decimal("1000000.00"), "KCC "),
)
# Two authorities share their grants, as North and West Northamptonshire do.
SHARED = (Decimal("48.6"), Decimal("51.4"))

PLACES = (
    "Ashford", "Brackley", "Canterbury", "Corby", "Daventry", "Dover", "Faversham",
    "Folkestone", "Gravesend", "Kettering", "Maidstone", "Margate", "Northampton",
    "Oundle", "Ramsgate", "Rushden", "Sevenoaks", "Sittingbourne", "Thrapston",
    "Tonbridge", "Towcester", "Wellingborough", "Whitstable", "Deal", "Raunds",
)  # fmt: skip
FIRST_WORDS = (
    "Beacon", "Bridge", "Compass", "Cornerstone", "Forward", "Harbour", "Horizon",
    "Lighthouse", "Meadow", "New Leaf", "Northgate", "Oasis", "Open Door", "Pathway",
    "Phoenix", "Riverside", "Sunrise", "Turning Point", "Willow", "Keystone",
)  # fmt: skip
SECOND_WORDS = (
    "Health", "Care", "Recovery", "Futures", "Community", "Family", "Youth",
    "Wellbeing", "Support", "Outreach",
)  # fmt: skip
SUFFIXES = (
    # suffix, provider type, charity, company
    ("Trust", Provider.Type.VCSE, True, False),
    ("CIC", Provider.Type.VCSE, False, True),
    ("Ltd", Provider.Type.COMPANY, False, True),
    ("Partnership", Provider.Type.OTHER, False, False),
    ("Foundation", Provider.Type.VCSE, True, False),
    ("Services", Provider.Type.COMPANY, False, True),
    ("Alliance", Provider.Type.VCSE, True, True),
    ("Charity", Provider.Type.VCSE, True, False),
    ("NHS Foundation Trust", Provider.Type.NHS, False, False),
    ("LLP", Provider.Type.COMPANY, False, True),
)

SERVICES = {
    Contract.ServiceArea.DRUG_AND_ALCOHOL: (
        "Adult drug and alcohol treatment",
        "Young people's substance misuse service",
        "Inpatient detoxification",
        "Residential rehabilitation",
        "Recovery community support",
    ),
    Contract.ServiceArea.SEXUAL_HEALTH: (
        "Integrated sexual health service",
        "Online STI testing",
        "Long-acting reversible contraception in primary care",
        "HIV prevention and support",
    ),
    Contract.ServiceArea.EARLY_HELP: (
        "Family support and early help",
        "Stop smoking service",
        "Adult weight management",
        "NHS Health Checks",
    ),
    Contract.ServiceArea.HEALTH_VISITING: (
        "Health visiting",
        "School nursing",
        "Family Nurse Partnership",
    ),
    Contract.ServiceArea.OTHER: (
        "Oral health promotion",
        "Suicide prevention training",
        "Workplace health",
    ),
}
AREA_WEIGHTS = (35, 25, 20, 12, 8)
# How often each route is seeded, by route: every route is seeded, so the weights name
# them rather than follow the choices' order.
ROUTE_SHARE = {
    "psr_direct_a": 6,
    "psr_direct_b": 4,
    "psr_direct_c": 3,
    "psr_most_suitable": 8,
    "psr_competitive": 10,
    "psr_framework": 2,
    "psr_urgent": 1,
    "open": 20,
    "restricted": 6,
    "negotiated": 4,
    "framework": 10,
    "dps": 4,
    "waiver": 6,
    "s75": 5,
    "in_house": 4,
    "grant": 6,
    "other": 4,
}
ROUTES = tuple(Contract.Route.values)
ROUTE_WEIGHTS = tuple(ROUTE_SHARE[route] for route in ROUTES)
PERCENT_SPLITS = (
    (Decimal("50"), Decimal("50")),
    (Decimal("48.6"), Decimal("51.4")),
    (Decimal("60"), Decimal("40")),
    (Decimal("70"), Decimal("30")),
    (Decimal("75"), Decimal("25")),
    (Decimal("66.6667"), Decimal("33.3333")),
    (Decimal("90"), Decimal("10")),
)
UPLIFTS = tuple(Decimal(u) for u in ("0", "0", "0.5", "1", "1", "1.5", "2", "2.5", "3"))

FUNDERS = (
    ("Office for Health Improvement and Disparities", "OHID", Funder.Kind.CENTRAL_GOVERNMENT),
    ("Ministry of Housing, Communities and Local Government", "MHCLG",
     Funder.Kind.CENTRAL_GOVERNMENT),
    ("Police, Fire and Crime Commissioner", "PFCC", Funder.Kind.POLICE_AND_CRIME_COMMISSIONER),
)  # fmt: skip
PROGRAMMES = (
    # funder index, name, short name, shared between the first two authorities
    (0, "Supplemental Substance Misuse Treatment and Recovery Grant", "SSMTRG", True),
    (0, "Drug and Alcohol Treatment and Recovery Improvement Grant", "DATRIG", True),
    (0, "Individual Placement and Support", "IPS", False),
    (1, "Rough Sleeping Drug and Alcohol Treatment Grant", "RSDATG", False),
    (2, "Community Safety Fund", "CSF", False),
)
FIRST_GRANT_YEAR, LAST_GRANT_YEAR = 2018, 2027  # 2018/19 to 2027/28


def fy(year: int) -> str:
    return rules.financial_year_label(year)


def moment(day: date, seconds: int = 0) -> datetime:
    """A history timestamp: office hours on ``day``, plus ``seconds`` to order rows."""
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(seconds=seconds)


@dataclass(slots=True)
class Spec:
    """One contract as planned, before and after it is written."""

    index: int
    lead: int  # authority index
    other: int
    area: str
    title: str
    route: str
    start: date
    initial_end: date
    annual: Decimal
    uplift: Decimal
    option_months: tuple[int, int]
    stage: str
    has_provider: bool
    split: tuple[Decimal, Decimal] | None  # percentages, or None for fixed amounts
    terminated_on: date | None = None
    exercised: int = 0  # how many options get exercised
    created: date = FIRST_START
    pk: int | None = None
    option_pks: list[int] = field(default_factory=list)
    award_decision: int | None = None  # index into the key decisions


@dataclass(slots=True)
class DecisionSpec:
    authority: int
    when: date
    key: bool
    exempt: bool
    amount: Decimal
    contracts: list  # Spec, or (Spec, option number) for extensions
    number: str = ""
    obj: Decision | None = None


class Command(BaseCommand):
    help = (
        "Fill an empty database with realistic benchmark data and its history: 3 "
        "authorities, 5,000 providers, N contracts with options and cost shares, "
        "decisions and grants (see the module's docstring)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contracts", type=int, required=True, help="How many contracts.")
        parser.add_argument(
            "--history-rows",
            type=int,
            default=0,
            help="Add edits until the history tables hold about this many rows in all.",
        )
        parser.add_argument(
            "--providers", type=int, default=5000, help="How many providers (default 5,000)."
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, contracts, history_rows, providers, seed, verbosity, **options):
        if contracts < 1 or providers < 1 or history_rows < 0:
            raise CommandError("--contracts and --providers must be 1 or more.")
        filled = [
            m._meta.verbose_name_plural
            for m in (Authority, Provider, Contract, Decision, GrantAllocation)
            if m.objects.exists()
        ]
        if filled:
            raise CommandError(
                f"The database already holds {', '.join(str(f) for f in filled)}. "
                "seed_benchmark fills an empty database only: history is append-only, "
                "so nothing here removes records. Create a new database, run migrate, "
                "then seed_benchmark (scripts/benchmark.py does this for you)."
            )
        self.verbosity = verbosity
        self.started = time.perf_counter()
        seeder = Seeder(random.Random(seed), contracts, providers, self.step)
        # Every contract's stored figures are worked out once, at the end of the block
        # (each bulk write of contracts, options and shares would otherwise store them).
        with transaction.atomic(), deferred():
            seeder.run(history_rows)
        total = history_count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {contracts} contracts, {providers} providers, "
                f"{len(seeder.decisions)} decisions and {total} history rows "
                f"in {time.perf_counter() - self.started:.0f}s."
            )
        )

    def step(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(f"[{time.perf_counter() - self.started:6.1f}s] {message}")
            self.stdout.flush()


def history_count() -> int:
    return sum(m._base_manager.count() for m in chained_models())


def batches(items, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def money(value: float) -> Decimal:
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


class Seeder:
    def __init__(self, rng: random.Random, contracts: int, providers: int, step):
        self.rng = rng
        self.count = contracts
        self.provider_count = providers
        self.step = step
        self.decisions: list[DecisionSpec] = []

    # --- The plan ---------------------------------------------------------------------

    def run(self, history_rows: int) -> None:
        self.users()
        self.authorities = self.create_authorities()
        self.providers = self.create_providers()
        self.step(f"{len(self.providers)} providers")
        self.specs = [self.plan_contract(i) for i in range(self.count)]
        self.plan_exercises()
        self.key_decisions = self.plan_key_decisions()
        self.extension_decisions = self.plan_extension_decisions()
        self.decisions = self.key_decisions + self.extension_decisions
        self.number_decisions()
        self.create_decisions(self.decisions)
        self.step(f"{len(self.decisions)} decisions with recommendations and pathways")
        self.create_contracts()
        self.exercise_options()
        self.create_grants()
        self.add_subcontractors()
        if history_rows:
            self.add_edits(history_rows)

    def users(self) -> None:
        ensure_roles()
        self.people = {}
        for username, first, last, role, cleared in (
            ("bench-commissioner", "Priya", "Shah", COMMISSIONER, False),
            ("bench-clerk", "Tom", "Baker", CLERK, True),
            ("bench-auditor", "Ann", "Okafor", AUDITOR, False),
            ("bench-admin", "Sam", "Reid", ADMINISTRATOR, True),
        ):
            user, _ = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.cleared_for_exempt = cleared
            user.is_staff = user.is_superuser = role == ADMINISTRATOR
            user.set_unusable_password()
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            self.people[role] = user
        self.commissioner = self.people[COMMISSIONER]
        self.clerk = self.people[CLERK]

    def create_authorities(self) -> list[Authority]:
        rows = []
        for name, short, threshold, prefix in AUTHORITIES:
            row = Authority(
                name=name,
                short_name=short,
                key_decision_threshold=threshold,
                decision_number_prefix=prefix,
            )
            row._history_date = moment(date(2017, 1, 3))
            rows.append(row)
        return bulk_create_with_history(rows, reason=REASON, user=self.people[ADMINISTRATOR])

    def create_providers(self) -> list[Provider]:
        rng = self.rng
        combos = len(PLACES) * len(FIRST_WORDS) * len(SECOND_WORDS) * len(SUFFIXES)
        if self.provider_count > combos:
            raise CommandError(f"At most {combos} providers.")
        chosen = rng.sample(range(combos), self.provider_count)
        rows = []
        for n, code in enumerate(chosen):
            code, s = divmod(code, len(SUFFIXES))
            code, w2 = divmod(code, len(SECOND_WORDS))
            p, w1 = divmod(code, len(FIRST_WORDS))
            suffix, kind, charity, company = SUFFIXES[s]
            place = PLACES[p]
            row = Provider(
                name=f"{FIRST_WORDS[w1]} {SECOND_WORDS[w2]} {place} {suffix}",
                provider_type=kind,
                charity_number=str(1_000_000 + rng.randrange(200_000)) if charity else "",
                company_number=f"{rng.randrange(10**8):08d}" if company else "",
                address=f"{rng.randrange(1, 200)} High Street\n{place}",
                postcode=f"{('NN', 'ME', 'CT', 'TN')[p % 4]}{rng.randrange(1, 30)} "
                f"{rng.randrange(1, 10)}{chr(65 + rng.randrange(26))}{chr(65 + rng.randrange(26))}",
                is_sme=kind in (Provider.Type.VCSE, Provider.Type.COMPANY) and rng.random() < 0.6,
                is_vcse=kind == Provider.Type.VCSE,
            )
            row._history_date = moment(date(2017, 1, 3), n)
            rows.append(row)
        created = []
        for batch in batches(rows):
            created += bulk_create_with_history(batch, reason=REASON, user=self.commissioner)
        return created

    def plan_contract(self, index: int) -> Spec:
        rng = self.rng
        area = rng.choices(list(SERVICES), weights=AREA_WEIGHTS)[0]
        span = (LAST_START - FIRST_START).days
        start = FIRST_START + timedelta(days=rng.randrange(span + 1))
        if rng.random() < 0.7:  # most start on the first of a month
            start = start.replace(day=1)
        years = rng.randint(2, 5)
        initial_end = rules.term_end(start, 12 * years)
        annual = money(math.exp(rng.uniform(math.log(50_000), math.log(5_000_000))))
        if rng.random() < 0.5:
            annual = annual.quantize(Decimal("1000"))
        lead = rng.randrange(len(AUTHORITIES))
        other = (lead + rng.randrange(1, len(AUTHORITIES))) % len(AUTHORITIES)
        stage, has_provider = Contract.ProcurementStage.AWARDED, True
        months_ahead = (start.year - ANCHOR.year) * 12 + start.month - ANCHOR.month
        if start > ANCHOR:
            if months_ahead > 9:
                stage, has_provider = Contract.ProcurementStage.PIPELINE, False
            elif months_ahead > 3:
                stage, has_provider = Contract.ProcurementStage.IN_PROCUREMENT, False
            else:
                stage = Contract.ProcurementStage.STANDSTILL
        spec = Spec(
            index=index,
            lead=lead,
            other=other,
            area=area,
            title=f"{rng.choice(SERVICES[area])} – {rng.choice(PLACES)}",
            route=rng.choices(ROUTES, weights=ROUTE_WEIGHTS)[0],
            start=start,
            initial_end=initial_end,
            annual=annual,
            uplift=rng.choice(UPLIFTS),
            option_months=(rng.choice((12, 12, 24, 24, 36)), rng.choice((6, 12, 12, 24))),
            stage=stage,
            has_provider=has_provider,
            split=rng.choice(PERCENT_SPLITS) if rng.random() < 0.85 else None,
        )
        if start < ANCHOR and rng.random() < 0.01:
            spec.terminated_on = start + timedelta(
                days=rng.randrange(1, max(2, (min(initial_end, ANCHOR) - start).days))
            )
        spec.created = min(start - timedelta(days=rng.randint(60, 240)), ANCHOR)
        return spec

    def option_start(self, spec: Spec, number: int) -> date:
        """The first day of option ``number`` (1 or 2) if the earlier ones are taken."""
        end = spec.initial_end
        for months in spec.option_months[: number - 1]:
            end = rules.extend_end(end, months)
        return end + timedelta(days=1)

    def plan_exercises(self) -> None:
        """A third of all options exercised, in order, and only where the decision to
        take one (three months before it starts) is already in the past."""
        target = round(2 * len(self.specs) / 3)
        notice = timedelta(days=100)  # extension decisions come 60-100 days before
        eligible = [
            s
            for s in self.specs
            if s.terminated_on is None and self.option_start(s, 1) - notice <= ANCHOR
        ]
        self.rng.shuffle(eligible)
        taken = 0
        for spec in eligible:
            if taken >= target:
                break
            spec.exercised = 1
            taken += 1
            if taken < target and self.option_start(spec, 2) - notice <= ANCHOR:
                spec.exercised = 2
                taken += 1

    def plan_key_decisions(self) -> list[DecisionSpec]:
        """One key decision for every ten contracts, awarding contracts of one lead
        authority that start about the same time."""
        decisions = []
        by_authority: dict[int, list[Spec]] = {}
        for spec in self.specs:
            by_authority.setdefault(spec.lead, []).append(spec)
        for authority, specs in sorted(by_authority.items()):
            specs.sort(key=lambda s: (s.start, s.index))
            for group in batches(specs, 10):
                when = min(s.start for s in group) - timedelta(days=self.rng.randint(45, 120))
                amount = sum(
                    (s.annual * (rules.whole_months(s.start, s.initial_end) or 12) / 12)
                    for s in group
                ).quantize(PENNY)
                decision = DecisionSpec(
                    authority=authority,
                    when=when,
                    key=True,
                    exempt=self.rng.random() < 0.1,
                    amount=amount,
                    contracts=group,
                )
                for spec in group:
                    spec.award_decision = len(decisions)
                decisions.append(decision)
        return decisions

    def plan_extension_decisions(self) -> list[DecisionSpec]:
        """An officer decision for every ten exercised options of one authority."""
        options = [
            (self.option_start(s, n) - timedelta(days=self.rng.randint(60, 100)), s, n)
            for s in self.specs
            for n in range(1, s.exercised + 1)
        ]
        decisions = []
        for authority in range(len(AUTHORITIES)):
            mine = sorted(
                (o for o in options if o[1].lead == authority), key=lambda o: (o[0], o[1].index)
            )
            for group in batches(mine, 10):
                decisions.append(
                    DecisionSpec(
                        authority=authority,
                        when=min(o[0] for o in group),
                        key=False,
                        exempt=False,
                        amount=sum((o[1].annual for o in group), Decimal(0)),
                        contracts=[(o[1], o[2]) for o in group],
                    )
                )
        return decisions

    def number_decisions(self) -> None:
        """Numbers in date order within each authority and year, as allocate_number
        would have given them; the counters then continue after them."""
        last: dict[tuple[int, int], int] = {}
        for decision in sorted(self.decisions, key=lambda d: (d.when, d.key, d.amount)):
            key = (decision.authority, decision.when.year)
            last[key] = last.get(key, 0) + 1
            prefix = self.authorities[decision.authority].decision_number_prefix
            decision.number = format_decision_number(decision.when.year, last[key], prefix)
        DecisionNumberCounter.objects.bulk_create(
            DecisionNumberCounter(authority=self.authorities[a], year=y, last_sequence=n)
            for (a, y), n in sorted(last.items())
        )

    # --- Writing --------------------------------------------------------------------

    def create_decisions(self, plans: list[DecisionSpec]) -> None:
        rng = self.rng
        rows = []
        for n, plan in enumerate(plans):
            taken = plan.when <= ANCHOR
            authority = self.authorities[plan.authority]
            if plan.key:
                title = (
                    f"Award of {len(plan.contracts)} public health contracts "
                    f"from {min(s.start for s in plan.contracts):%B %Y}"
                )
                extra = {
                    "decision_type": Decision.Type.EXECUTIVE_KEY,
                    "is_key_decision": True,
                    "key_decision_reason": "Expenditure of more than "
                    f"£{authority.key_decision_threshold:,.0f}",
                    "decision_maker": "Cabinet Member for Adult Social Care and Public Health",
                    "report_to": "Health Reform and Public Health Cabinet Committee",
                    "meeting_date": plan.when - timedelta(days=14),
                    "approved_maximum": (plan.amount * Decimal("1.1")).quantize(PENNY),
                    "forward_plan_published_on": plan.when - timedelta(days=60),
                }
            else:
                title = f"Extension of {len(plan.contracts)} public health contracts"
                extra = {
                    "decision_type": Decision.Type.OFFICER,
                    "decision_maker": "Director of Public Health",
                }
            row = Decision(
                authority=authority,
                number=plan.number,
                title=title,
                status=Decision.Status.TAKEN if taken else Decision.Status.PLANNED,
                decision_date=plan.when,
                amount_involved=plan.amount,
                exempt_paragraph=3 if plan.exempt else None,
                public_interest_reason=(
                    "The report contains commercially sensitive pricing from the tenders."
                    if plan.exempt
                    else ""
                ),
                published_on=plan.when + timedelta(days=1) if taken else None,
                summary=f"{title}, {rng.choice(('following', 'after'))} the procurement "
                "set out in the report.",
                reasons="The services are needed to meet the authority's public health duties.",
                **extra,
            )
            row._history_date = moment(min(plan.when - timedelta(days=30), ANCHOR), n % 3600)
            rows.append(row)
        for batch in batches(rows):
            bulk_create_with_history(batch, reason=REASON, user=self.clerk)
        for plan, row in zip(plans, rows, strict=True):
            plan.obj = row
        parts: dict[type, list] = {Recommendation: [], PathwayStage: []}
        for plan in plans:
            decision = plan.obj
            verbs = (("APPROVE", "the award of the contracts listed in the report"),)
            if plan.key:
                verbs += (("DELEGATE", "authority to the Director of Public Health to finalise"),)
            for order, (verb, text) in enumerate(verbs, 1):
                part = Recommendation(decision=decision, order=order, verb=verb, text=text)
                part._history_date = decision._history_date + timedelta(minutes=order)
                parts[Recommendation].append(part)
            if plan.key:
                stage = PathwayStage(
                    decision=decision,
                    order=1,
                    body="Health Reform and Public Health Cabinet Committee",
                    date=decision.meeting_date,
                    purpose=PathwayStage.Purpose.CONSIDER,
                    outcome=PathwayStage.Outcome.ENDORSED if plan.when <= ANCHOR else "",
                )
                stage._history_date = decision._history_date + timedelta(minutes=5)
                parts[PathwayStage].append(stage)
        for rows_of_kind in parts.values():
            for batch in batches(rows_of_kind):
                bulk_create_with_history(batch, reason=REASON, user=self.clerk)

    def create_contracts(self) -> None:
        rng = self.rng
        done = 0
        for group in batches(self.specs):
            contracts = []
            for spec in group:
                provider = self.providers[rng.randrange(len(self.providers))]
                contract = Contract(
                    reference=f"BM-{AUTHORITIES[spec.lead][1]}-{spec.index + 1:06d}",
                    title=spec.title,
                    service_area=spec.area,
                    provider=provider if spec.has_provider else None,
                    lead_authority=self.authorities[spec.lead],
                    start_date=spec.start,
                    initial_end_date=spec.initial_end,
                    annual_value=spec.annual,
                    annual_uplift_percent=spec.uplift,
                    procurement_route=spec.route,
                    procurement_stage=spec.stage,
                    terminated_on=spec.terminated_on,
                    lot=f"Lot {rng.randint(1, 4)}" if rng.random() < 0.2 else "",
                )
                contract._history_date = moment(spec.created, spec.index % 3600)
                contracts.append(contract)
            bulk_create_with_history(contracts, reason=REASON, user=self.commissioner)
            options, shares, links = [], [], []
            for spec, contract in zip(group, contracts, strict=True):
                spec.pk = contract.pk
                when = contract._history_date + timedelta(minutes=1)
                for sequence, months in enumerate(spec.option_months, 1):
                    option = ExtensionOption(
                        contract=contract,
                        sequence=sequence,
                        months=months,
                        notice_deadline=self.option_start(spec, sequence) - timedelta(days=90),
                    )
                    option._history_date = when
                    options.append(option)
                shares += self.shares_for(spec, contract, when)
                decision = self.key_decisions[spec.award_decision].obj
                link = DecisionContractLink(
                    decision=decision, contract=contract, kind=DecisionContractLink.Kind.AWARD
                )
                link._history_date = max(when, decision._history_date) + timedelta(minutes=2)
                links.append(link)
            bulk_create_with_history(options, reason=REASON, user=self.commissioner)
            bulk_create_with_history(shares, reason=REASON, user=self.commissioner)
            bulk_create_with_history(links, reason=REASON, user=self.clerk)
            for n, spec in enumerate(group):
                spec.option_pks = [options[2 * n].pk, options[2 * n + 1].pk]
            done += len(group)
            self.step(f"{done} contracts with options, shares and award links")

    def shares_for(self, spec: Spec, contract: Contract, when: datetime) -> list[CostShare]:
        lead, other = self.authorities[spec.lead], self.authorities[spec.other]
        if spec.split is not None:
            values = [{"percentage": spec.split[0]}, {"percentage": spec.split[1]}]
        else:
            lead_part = (spec.annual * Decimal("0.7")).quantize(Decimal("1"))
            values = [{"fixed_amount": lead_part}, {"fixed_amount": spec.annual - lead_part}]
        rows = []
        for authority, value in zip((lead, other), values, strict=True):
            share = CostShare(contract=contract, authority=authority, **value)
            share._history_date = when
            rows.append(share)
        return rows

    def exercise_options(self) -> None:
        """Exercise options as edits: decided by an officer decision, then each option
        changed from pending to exercised, and the contract linked to the decision."""
        by_option: dict[int, DecisionSpec] = {}
        for plan in self.extension_decisions:
            for spec, number in plan.contracts:
                by_option[spec.option_pks[number - 1]] = plan
        links, seen = [], set()
        done = 0
        for ids in batches(sorted(by_option)):
            options = list(
                ExtensionOption.objects.filter(pk__in=ids).select_related(
                    "contract__provider", "contract__lead_authority"
                )
            )
            for option in options:
                plan = by_option[option.pk]
                option.status = ExtensionOption.Status.EXERCISED
                option.decided_on = plan.when
                option.authorising_decision = plan.obj
                option.reason = f"Exercised under decision {plan.number}."
                option._history_date = moment(min(plan.when, ANCHOR), 60 + option.sequence)
                if (plan.obj.pk, option.contract_id) not in seen:
                    seen.add((plan.obj.pk, option.contract_id))
                    link = DecisionContractLink(
                        decision=plan.obj,
                        contract=option.contract,
                        kind=DecisionContractLink.Kind.EXTEND,
                        note=f"Option {option.sequence}",
                    )
                    link._history_date = option._history_date
                    links.append(link)
            bulk_update_with_history(
                options,
                ["status", "decided_on", "authorising_decision", "reason"],
                reason="Option exercised",
                user=self.commissioner,
                batch_size=UPDATE_BATCH,
            )
            done += len(options)
        for batch in batches(links):
            bulk_create_with_history(batch, reason=REASON, user=self.clerk)
        self.step(f"{done} options exercised, {len(links)} extension links")

    def create_grants(self) -> None:
        rng = self.rng
        admin = self.commissioner
        funders = []
        for name, short, kind in FUNDERS:
            funder = Funder(name=name, short_name=short, kind=kind)
            funder._history_date = moment(date(2017, 2, 1))
            funders.append(funder)
        bulk_create_with_history(funders, reason=REASON, user=admin)
        programmes = []
        for funder_index, name, short, _ in PROGRAMMES:
            programme = GrantProgramme(funder=funders[funder_index], name=name, short_name=short)
            programme._history_date = moment(date(2017, 2, 1), 1)
            programmes.append(programme)
        bulk_create_with_history(programmes, reason=REASON, user=admin)

        # Commitments first (planned), so each allocation covers what is committed.
        first_year, last_year = fy(FIRST_GRANT_YEAR), fy(LAST_GRANT_YEAR)
        planned = []  # (spec, programme index, year, amount)
        funding = []  # (spec, year, amount)
        for spec in self.specs:
            year = rules.financial_year(spec.start)
            if not first_year <= year <= last_year:
                year = first_year if year < first_year else last_year
            roll = rng.random()
            if roll < 0.25:
                programme = rng.randrange(len(PROGRAMMES))
                amount = (spec.annual * Decimal(rng.choice(("0.1", "0.2", "0.25")))).quantize(
                    Decimal("1")
                )
                planned.append((spec, programme, year, max(amount, Decimal("1000"))))
            if roll < 0.75 and roll >= 0.25:
                funding.append((spec, year, (spec.annual * Decimal("0.8")).quantize(PENNY)))
        committed: dict[tuple[int, int, str], Decimal] = {}
        for spec, programme, year, amount in planned:
            key = (programme, spec.lead, year)
            committed[key] = committed.get(key, Decimal(0)) + amount
        allocations = {}
        for p, (_, _, _, shared) in enumerate(PROGRAMMES):
            for a in range(len(AUTHORITIES)):
                for y in range(FIRST_GRANT_YEAR, LAST_GRANT_YEAR + 1):
                    year = fy(y)
                    need = committed.get((p, a, year), Decimal(0))
                    amount = (
                        need * Decimal("1.25") + Decimal(rng.randint(50, 900) * 1000)
                    ).quantize(Decimal("1"))
                    allocation = GrantAllocation(
                        programme=programmes[p],
                        authority=self.authorities[a],
                        financial_year=year,
                        amount=amount,
                        status=GrantAllocation.Status.CONFIRMED
                        if date(y, 4, 1) <= ANCHOR
                        else GrantAllocation.Status.INDICATIVE,
                        maintain_ph_grant_baseline=p < 2,
                        start_date=date(y, 4, 1),
                        end_date=date(y + 1, 3, 31),
                        notes="Shared with the neighbouring authority." if shared and a < 2 else "",
                    )
                    allocation._history_date = moment(min(date(y - 1, 12, 15), ANCHOR), p * 10 + a)
                    allocations[(p, a, year)] = allocation
        bulk_create_with_history(list(allocations.values()), reason=REASON, user=admin)
        shares = []
        for (p, a, _), allocation in allocations.items():
            if PROGRAMMES[p][3] and a < 2:
                for authority, percentage in zip(self.authorities[:2], SHARED, strict=True):
                    share = AllocationShare(
                        allocation=allocation, authority=authority, percentage=percentage
                    )
                    share._history_date = allocation._history_date + timedelta(minutes=1)
                    shares.append(share)
        bulk_create_with_history(shares, reason=REASON, user=admin)

        contracts = {}
        ids = [s.pk for s, *_ in planned] + [s.pk for s, *_ in funding]
        for batch in batches(ids, 5000):
            contracts.update(
                Contract.objects.filter(pk__in=batch)
                .select_related("provider", "lead_authority")
                .in_bulk()
            )
        commitments = []
        for spec, programme, year, amount in planned:
            allocation = allocations[(programme, spec.lead, year)]
            row = GrantCommitment(
                allocation=allocation,
                contract=contracts[spec.pk],
                financial_year=year,
                amount=amount,
            )
            row._history_date = max(moment(spec.created, 120), allocation._history_date)
            commitments.append(row)
        for batch in batches(commitments):
            bulk_create_with_history(batch, reason=REASON, user=admin)
        lines = []
        for spec, year, amount in funding:
            line = ContractFunding(
                contract=contracts[spec.pk],
                financial_year=year,
                source=ContractFunding.Source.PUBLIC_HEALTH_GRANT,
                authority=self.authorities[spec.lead],
                amount=amount,
            )
            line._history_date = moment(spec.created, 180)
            lines.append(line)
        for batch in batches(lines):
            bulk_create_with_history(batch, reason=REASON, user=admin)
        self.step(
            f"{len(allocations)} grant allocations, {len(commitments)} commitments, "
            f"{len(lines)} funding lines"
        )

    def add_subcontractors(self) -> None:
        """A few alliance contracts name subcontractors, through the related manager
        (which records the many-to-many change in the contract's history)."""
        chosen = [s for s in self.specs if s.has_provider and s.index % 100 == 7]
        contracts = Contract.objects.filter(pk__in=[s.pk for s in chosen]).select_related(
            "provider", "lead_authority"
        )
        for n, contract in enumerate(contracts):
            contract._history_date = moment(ANCHOR - timedelta(days=20), n)
            contract._history_user = self.commissioner
            partners = self.rng.sample(self.providers, 2)
            contract.subcontractors.add(*partners)
        self.step(f"{len(chosen)} contracts with subcontractors")

    # --- History at scale -------------------------------------------------------------

    def add_edits(self, target: int) -> None:
        """Edits as commissioners make them, until the history holds ``target`` rows."""
        have = history_count()
        rounds = 0
        while have < target:
            before = have
            for edit in (self.edit_notice_deadlines, self.edit_shares, self.edit_providers):
                if have >= target:
                    break
                have += edit(target - have, rounds)
                self.step(f"history: {have} rows")
            rounds += 1
            if have == before:
                raise CommandError("Nothing left to edit; history stopped at {have} rows.")

    def _edit_in_batches(self, queryset, limit: int, change, fields, reason: str) -> int:
        ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])
        written = 0
        for batch_ids in batches(ids):
            rows = list(queryset.filter(pk__in=batch_ids).order_by("pk"))
            for row in rows:
                change(row)
            bulk_update_with_history(
                rows,
                fields,
                reason=reason,
                user=self.commissioner,
                batch_size=UPDATE_BATCH,
            )
            written += len(rows)
        return written

    def edit_notice_deadlines(self, limit: int, round_: int) -> int:
        def change(option):
            option.notice_deadline -= timedelta(days=14)
            option._history_date = moment(
                ANCHOR - timedelta(days=400 - 30 * round_), option.pk % 3600
            )

        pending = ExtensionOption.objects.filter(status=ExtensionOption.Status.PENDING)
        pending = pending.select_related("contract__provider", "contract__lead_authority")
        return self._edit_in_batches(
            pending, limit, change, ["notice_deadline"], "Notice period agreed with the provider"
        )

    def edit_shares(self, limit: int, round_: int) -> int:
        # Both shares of a contract change together, so they still add up to 100%.
        splits = PERCENT_SPLITS[(round_ + 1) % len(PERCENT_SPLITS)]

        def change(share):
            first = share.authority_id == share.contract.lead_authority_id
            share.percentage = splits[0] if first else splits[1]
            share._history_date = moment(
                ANCHOR - timedelta(days=380 - 30 * round_), share.pk % 3600
            )

        shares = CostShare.objects.filter(percentage__isnull=False).select_related(
            "authority", "contract__provider", "contract__lead_authority"
        )
        limit -= limit % 2
        return self._edit_in_batches(
            shares, limit, change, ["percentage"], "Cost shares agreed between the councils"
        )

    def edit_providers(self, limit: int, round_: int) -> int:
        def change(provider):
            provider.address = f"{round_ + 2} Station Road\n{provider.address.splitlines()[-1]}"
            provider.updated_at = moment(ANCHOR - timedelta(days=360 - 30 * round_))
            provider._history_date = provider.updated_at + timedelta(seconds=provider.pk % 3600)

        return self._edit_in_batches(
            Provider.objects.all(), limit, change, ["address", "updated_at"], "New address"
        )
