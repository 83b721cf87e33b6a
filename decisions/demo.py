"""Demo decisions from the seed reports (shared/seeds), with their real content.

Loaded after contracts.demo.load(); links to contracts by the references that
module defines, and skips a link whose contract is not there. Idempotent: every
write goes through audit.utils.upsert, so a second run adds no history.
Where a seed report prints no decision number (001, 002, 004), the number is
allocated by the app for the year of the meeting, as a clerk entering it would.
"""

from datetime import date
from decimal import Decimal

from audit.utils import upsert
from contracts import demo as contracts_demo
from contracts.models import Authority, Contract, ExtensionOption, StrategicPriority
from decisions import rules
from decisions.demo_text import KENT_YP_SECTIONS
from decisions.models import (
    Decision,
    DecisionContractLink,
    DecisionRelation,
    PathwayStage,
    Recommendation,
    ReportSection,
)
from decisions.services import allocate_number

REASON = "Demo data from the seed reports"
# A taken decision has a date. The seed reports do not print these four, so each is
# assumed: 23/00032 was taken "In August 2023" (report 000, 3.6), so the month's end;
# 24/00056 a fortnight after its committee of 2 July 2024, when the Cabinet Member
# decides; 22/00041 and 23/00021 at the end of the first quarter their numbers allow.
ASSUMED_DECISION_DATES = {
    "22/00041": date(2022, 6, 30),
    "23/00032": date(2023, 8, 31),
    "24/00056": date(2024, 7, 16),
    "23/00021": date(2023, 3, 31),
}
KENT = "Kent County Council"
WEST_NORTHANTS = "West Northamptonshire Council"
NORTH_NORTHANTS = "North Northamptonshire Council"
SOUTHEND = "Southend-on-Sea City Council"
KENT_HRPH = "Health Reform and Public Health Cabinet Committee"
KENT_CABINET_MEMBER_ASC = "Cabinet Member for Adult Social Care and Public Health"
KENT_CONTACTS_YP = (
    "Rebecca Eley, Senior Commissioner (Integrated Commissioning), 03000 418777, "
    "rebecca.eley@kent.gov.uk\n"
    "Victoria Tovey, Assistant Director of Integrated Commissioning, 03000 416779, "
    "victoria.tovey@kent.gov.uk\n"
    "Jessica Mookherjee, Consultant in Public Health, 03000 416493, "
    "Jessica.Mookherjee@kent.gov.uk\n"
    "Relevant Director: Dr Anjan Ghosh, Director of Public Health, 03000 412633, "
    "anjan.ghosh@kent.gov.uk"
)
KENT_STRATEGY = "Kent Drug and Alcohol Strategy 2023-2028"
KENT_STRATEGY_PRIORITIES = (
    ("Prevention", "Prevention, early intervention and behaviour change."),
    ("Prevention", "Early Help: prevention to treatment intervention."),
    ("Prevention", "Improving hospital and acute intervention to treatment."),
    (
        "Prevention",
        "Preventing inter-generational alcohol misuse / children and young people living "
        "with alcohol misusing parents.",
    ),
    (
        "Prevention",
        "Tackling high rates of suicide and self-harm associated with substance misuse.",
    ),
    ("Improve Treatment and Recovery", "Continue improvement to treatment and recovery services."),
    (
        "Improve Treatment and Recovery",
        "Improve criminal justice routes to substance misuse treatment.",
    ),
    (
        "Improve Treatment and Recovery",
        "Improve treatment and recovery for targeted groups / vulnerable people.",
    ),
    (
        "Improve Treatment and Recovery",
        "Improve pathways to treatment and recovery to rough sleepers.",
    ),
    (
        "Improve Treatment and Recovery",
        "Improving treatment and recovery for people with co-occurring conditions.",
    ),
    (
        "Community Safety",
        "Working in partnership to share data and intelligence in order to identify those "
        "at risk of drug / alcohol related harm and exploitation and to provide "
        "safeguarding and intensive support.",
    ),
    ("Community Safety", "Disrupting supply of illegal drugs."),
    ("Community Safety", "Tackling local alcohol supply."),
)


def _decision(
    authority: Authority, number: str | None, year: int, values: dict, reason: str = REASON
) -> Decision:
    """Upsert a decision by its number, or by its title when the app allocates the number.

    A number from a seed report ("24/00056") is printed with the authority's prefix
    ("KCC 24/00056"), as a clerk typing it in would get it."""
    if number is None:
        existing = Decision.objects.filter(authority=authority, title=values["title"]).first()
        number = existing.number if existing else allocate_number(authority=authority, year=year)
    else:
        number = rules.prefixed_decision_number(number, authority.decision_number_prefix)
    decision, _ = upsert(
        Decision, {"authority": authority, "number": number}, values, reason=reason
    )
    return decision


def _parts(decision: Decision, model, rows: list[dict], reason: str = REASON) -> None:
    for order, values in enumerate(rows, start=1):
        upsert(model, {"decision": decision, "order": order}, values, reason=reason)


def _link(
    decision: Decision, reference: str, kind: str, note: str = "", reason: str = REASON
) -> None:
    contract = Contract.objects.filter(reference=reference).first()
    if contract is None:
        return
    upsert(
        DecisionContractLink,
        {"decision": decision, "contract": contract, "kind": kind},
        {"note": note},
        reason=reason,
    )


def _relies_on(decision: Decision, earlier: Decision, reason: str = REASON) -> None:
    upsert(
        DecisionRelation,
        {"decision": decision, "earlier": earlier},
        {"kind": DecisionRelation.Kind.RELIES_ON},
        reason=reason,
    )


def load() -> None:
    kent = Authority.objects.get(name=KENT)
    ohid = load_22_00041(kent)
    extension = load_23_00032(kent)
    award = load_24_00056(kent, ohid, extension)
    load_kent_yp_option_1(kent, award)
    load_23_00021(kent)
    load_kent_early_help_2015(kent)
    load_northamptonshire_2023(
        Authority.objects.get(name=WEST_NORTHANTS), Authority.objects.get(name=NORTH_NORTHANTS)
    )
    load_southend_2022(Authority.objects.get(name=SOUTHEND))


def load_22_00041(kent: Authority) -> Decision:
    return _decision(
        kent,
        "22/00041",
        2022,
        {
            "decision_date": ASSUMED_DECISION_DATES["22/00041"],
            "title": "Deployment of Office for Health Improvement and Disparities (OHID) "
            "drug and alcohol grant funding",
            "decision_type": Decision.Type.EXECUTIVE_KEY,
            "status": Decision.Status.TAKEN,
            "decision_maker_role": KENT_CABINET_MEMBER_ASC,
            "is_key_decision": True,
            "key_decision_reason": "It involves expenditure or savings of more than £1m",
            "amount_involved": Decimal("11424253.00"),
            "electoral_divisions": "All",
            "summary": "Kent is in receipt of £11,424,253 investment via a number of OHID "
            "grants over the period April 2022 to March 2025, linked to the 2021 10-Year "
            "Drug Strategy 'From Harm to Hope' and to maintaining the level of investment "
            "from the Public Health Grant. Decision 24/00056 deploys future OHID grant "
            "funding in accordance with this decision.",
        },
    )


def load_23_00032(kent: Authority) -> Decision:
    decision = _decision(
        kent,
        "23/00032",
        2023,
        {
            "decision_date": ASSUMED_DECISION_DATES["23/00032"],
            "title": "Kent Young Persons Drug and Alcohol Service: contract extension",
            "decision_type": Decision.Type.EXECUTIVE_KEY,
            "status": Decision.Status.TAKEN,
            "decision_maker_role": KENT_CABINET_MEMBER_ASC,
            "is_key_decision": True,
            "key_decision_reason": "It involves expenditure or savings of more than £1m",
            "electoral_divisions": "All",
            "summary": "In August 2023, a key decision was taken to extend the contract by a "
            "further period of 10 months to allow clarity to be obtained over future "
            "funding streams. The 10 month extension was from 1 April 2024 to 31 January "
            "2025.",
            "reasons": "The substantial increase in funding as a result of the OHID grants "
            "created a difficult situation to procure services which support a highly "
            "vulnerable cohort of young people during a time of volatile funding.",
        },
    )
    _link(
        decision,
        contracts_demo.KENT_YP_PREDECESSOR_REFERENCE,
        DecisionContractLink.Kind.EXTEND,
        "10 months, 1 April 2024 to 31 January 2025",
    )
    option = (
        ExtensionOption.objects.filter(
            contract__reference=contracts_demo.KENT_YP_PREDECESSOR_REFERENCE, months=10
        )
        .order_by("sequence")
        .first()
    )
    if option is not None and option.authorising_decision_id != decision.pk:
        option.authorising_decision = decision
        option._change_reason = "Authorised by key decision 23/00032 (demo data)"
        option.save()
    return decision


def load_24_00056(kent: Authority, ohid: Decision, extension: Decision) -> Decision:
    decision = _decision(
        kent,
        "24/00056",
        2024,
        {
            "decision_date": ASSUMED_DECISION_DATES["24/00056"],
            "title": "Kent Young Person Drug and Alcohol Contract Commissioning",
            "decision_type": Decision.Type.EXECUTIVE_KEY,
            "status": Decision.Status.TAKEN,
            "decision_maker": "Dan Watkins",
            "decision_maker_role": KENT_CABINET_MEMBER_ASC,
            "report_from": f"Dan Watkins, {KENT_CABINET_MEMBER_ASC}\n"
            "Dr Anjan Ghosh, Director of Public Health",
            "report_to": KENT_HRPH,
            "meeting_date": date(2024, 7, 2),
            "is_key_decision": True,
            "key_decision_reason": "it involves expenditure or savings of more than £1m",
            "amount_involved": Decimal("4099533.88"),
            "approved_maximum": Decimal("4099533.88"),
            "electoral_divisions": "All",
            "call_in_eligible": True,
            "summary": (
                "The Public Health Service Transformation programme (PHSTP) aims to improve "
                "all services in receipt of the Public Health Grant, to ensure that services "
                "are efficient, evidence-based and deliver the outcomes and best value. This "
                "report outlines proposed changes to the substance misuse service model "
                "following review as part of the PHSTP and asks for committee endorsement.\n\n"
                "Young persons' drug and alcohol services are funded from the PH Grant and "
                "cost around £800k per annum in Kent.\n\n"
                "Following a comprehensive review of services (including interdependencies "
                "with other Children and Young People services and Family Hubs), options "
                "appraisal and business case development, the recommendation is to make "
                "enhancements to the current model and specification.\n\n"
                "Following approval of the key decision, a procurement process will be run "
                "to select suppliers for the new service and this will follow the new "
                "Provider Selection Regime legislation that applies to health care services. "
                "We will aim to ensure this approach will support continuity of service, "
                "minimise risks such as destabilisation of the workforce and support spending "
                "of additional Office for Health Improvement and Disparities (OHID) funding "
                "which is designed to boost numbers in treatment and improve quality. Key "
                "changes will align to the national drugs strategy, to the Kent drug and "
                "alcohol strategy and also to Kent County Council's strategic plan."
            ),
            "recommendation_intro": (
                "The Cabinet Committee is asked to **CONSIDER** and **ENDORSE** or make "
                "recommendations to the Cabinet Member for Adult Social Care and Public "
                "Health on the proposed decision as set out in the Proposed Record of "
                "Decision. (Appendix A) to:"
            ),
            "options_rejected": (
                "Keep current service the same - no change/ do nothing - The drug landscape "
                "has changed since the current service was tendered; it is important that "
                "services are fit for purpose and meet the young person's presenting needs "
                "and therefore this was a non-viable option.\n\n"
                "Discontinue/ decommission current service - Decommissioning the service was "
                "concluded as a non-viable option that would place KCC in breach of the "
                "Public Health Grant conditions.\n\n"
                "Combine the service with adult services - the offer for young people is "
                "distinct from that offered to adults and requires expertise and specialist "
                "knowledge. It was felt that combining the services ran the risk of diluting "
                "the offer.\n\n"
                "Alignment with the Children and Young People (CYP) service transformation; "
                "the decision was made to proceed separately due to the imminent contract "
                "end dates for the Young Persons service."
            ),
            "reasons": (
                "Kent County Council commissions this service as part of its statutory "
                "responsibilities and as a condition of its Public Health Grant. The current "
                "contract expires on 31 January 2025. The preferred option is to enhance the "
                "specification with collaboration from stakeholders and young people with "
                "lived experience, and to procure the service in line with the Provider "
                "Selection Regime."
            ),
            "financial_implications": (
                "The estimated financial commitment for a five year contract for the Kent "
                "Young Persons Drug and Alcohol Service is £4,099,533.88. This equates to an "
                "average of approximately £820,000 annually, reflecting a 1% per year annual "
                "uplift (with the exclusion of the first year)."
            ),
            "legal_implications": (
                "The recommissioning of these services will fall under the Provider Selection "
                "Regime (PSR) introduced under the Health and Care Act 2022."
            ),
            "equalities_implications": (
                "An Equalities Impact Assessment (EQIA) has been completed for the service. "
                "Current evidence suggests there is no negative impact."
            ),
            "data_protection_implications": (
                "The DPIA will be updated following contract award and prior to the contract "
                "commencement date."
            ),
            "background_documents": (
                "Framing Kent's Future - Our Council Strategy 2022-2026\n"
                "HM Government (2021) From Harm to Hope - A Ten Year Drugs Plan to Cut Crime "
                "and Save Lives\n"
                "Department of Health and Social Care (2021) Dame Carol Black's Independent "
                "Review of Drugs\n"
                "Kent Drug and Alcohol Strategy 2023-2028\n"
                "2022 Kent Drug Needs Assessment\n"
                "2021 Alcohol Needs Assessment\n"
                "2022 Kent Rough Sleepers Needs Assessment\n"
                "Drug and Alcohol Needs Assessment for Children and Young People\n"
                "Public Health Indicators - PHOF Public Health Outcomes Framework"
            ),
            "contacts": KENT_CONTACTS_YP,
            "appendices": (
                "A: Proposed Record of Decision\n"
                "B: Proposed changes to the specification\n"
                "C: Equalities Impact Assessment"
            ),
        },
    )
    _parts(
        decision,
        Recommendation,
        [
            {
                "verb": "APPROVE",
                "text": "the procurement and award of a contract for the Kent Young Persons "
                "Drug and Alcohol Service effective from 1 February 2025 to 31 January 2027 "
                "(two years with two additional extension options, one for two years and the "
                "second for one year)",
            },
            {
                "verb": "DELEGATE",
                "text": "authority to the Director of Public Health to take relevant actions, "
                "including but not limited to, entering into and finalising the terms of "
                "relevant contracts or other legal agreements, as necessary, to implement the "
                "above decision",
            },
            {
                "verb": "DELEGATE",
                "text": "authority to the Director of Public Health, in consultation with the "
                "Cabinet Member for Adult Social Care and Public Health, the exercise of any "
                "extensions permitted in accordance with the extension clauses within the "
                "contract.",
            },
            {
                "verb": "CONFIRM",
                "text": "that future Office for Health Improvement and Disparities (OHID) "
                "grant funding (if received) be deployed against this area of work in "
                "accordance with key decision 22/00041",
            },
        ],
    )
    _parts(
        decision,
        ReportSection,
        [{"heading": heading, "body": body} for heading, body in KENT_YP_SECTIONS],
    )
    _parts(
        decision,
        PathwayStage,
        [
            {
                "body": KENT_HRPH,
                "date": date(2024, 7, 2),
                "purpose": PathwayStage.Purpose.CONSIDER,
                "outcome": PathwayStage.Outcome.ENDORSED,
            },
            {
                "body": "Cabinet Member Decision",
                "date": None,
                "purpose": PathwayStage.Purpose.DECIDE,
                "outcome": "",
            },
        ],
    )
    _link(decision, contracts_demo.KENT_YP_REFERENCE, DecisionContractLink.Kind.AWARD)
    _relies_on(decision, ohid)
    _relies_on(decision, extension)
    return decision


def _strategy_priorities() -> list[StrategicPriority]:
    priorities = []
    for number, (area, name) in enumerate(KENT_STRATEGY_PRIORITIES, start=1):
        priority = StrategicPriority.objects.filter(strategy=KENT_STRATEGY, name=name).first()
        if priority is None:
            priority, _ = upsert(
                StrategicPriority,
                {"strategy": KENT_STRATEGY, "name": name},
                {"area": area, "number": number},
                reason=REASON,
            )
        priorities.append(priority)
    return priorities


ILLUSTRATIVE = (
    "Illustrative: not from the seed reports. It shows a key decision coming up on the "
    "forward plan."
)
ILLUSTRATIVE_REASON = "Illustrative demo data, not from the seed reports"


def load_kent_yp_option_1(kent: Authority, award: Decision) -> Decision:
    """An upcoming decision no seed report holds, so the forward plan, the home panel and
    the pathway have something ahead of them: the Kent young persons' contract ends on
    31 January 2027 and its first option (two years) is still pending."""
    decision = _decision(
        kent,
        None,
        2026,
        {
            "title": "Kent Young Persons Drug and Alcohol Service: extension option 1 "
            "(illustrative)",
            "decision_type": Decision.Type.EXECUTIVE_KEY,
            "status": Decision.Status.PLANNED,
            "decision_maker": "Dan Watkins",
            "decision_maker_role": KENT_CABINET_MEMBER_ASC,
            "report_to": KENT_HRPH,
            "meeting_date": date(2027, 1, 6),
            "decision_date": date(2027, 1, 12),
            "forward_plan_published_on": date(2026, 11, 20),
            "is_key_decision": True,
            "key_decision_reason": "it involves expenditure or savings of more than £1m",
            "amount_involved": Decimal("1647849.46"),
            "electoral_divisions": "All",
            "call_in_eligible": True,
            "summary": (
                f"{ILLUSTRATIVE}\n\n"
                "To exercise the first extension option (two years, 1 February 2027 to "
                "31 January 2029) of the Kent Young Persons Drug and Alcohol Service "
                "contract awarded under decision 24/00056, at £1,647,849.46 over the two "
                "years (contract years three and four, with the 1% yearly uplift)."
            ),
        },
        reason=ILLUSTRATIVE_REASON,
    )
    _parts(
        decision,
        Recommendation,
        [
            {
                "verb": "AGREE",
                "text": "to exercise the first extension option of the Kent Young Persons "
                "Drug and Alcohol Service contract, to 31 January 2029",
            },
        ],
        reason=ILLUSTRATIVE_REASON,
    )
    _parts(
        decision,
        PathwayStage,
        [
            {
                "body": KENT_HRPH,
                "date": date(2027, 1, 6),
                "purpose": PathwayStage.Purpose.CONSIDER,
                "outcome": "",
            },
            {
                "body": "Cabinet Member decision",
                "date": date(2027, 1, 12),
                "purpose": PathwayStage.Purpose.DECIDE,
                "outcome": "",
            },
        ],
        reason=ILLUSTRATIVE_REASON,
    )
    _link(
        decision,
        contracts_demo.KENT_YP_REFERENCE,
        DecisionContractLink.Kind.EXTEND,
        reason=ILLUSTRATIVE_REASON,
    )
    _relies_on(decision, award, reason=ILLUSTRATIVE_REASON)
    return decision


def load_23_00021(kent: Authority) -> Decision:
    decision = _decision(
        kent,
        "23/00021",
        2023,
        {
            "decision_date": ASSUMED_DECISION_DATES["23/00021"],
            "title": KENT_STRATEGY,
            "decision_type": Decision.Type.EXECUTIVE_KEY,
            "status": Decision.Status.TAKEN,
            "decision_maker": "Clair Bell",
            "decision_maker_role": KENT_CABINET_MEMBER_ASC,
            "report_from": f"Clair Bell, {KENT_CABINET_MEMBER_ASC}\n"
            "Dr Anjan Ghosh, Director of Public Health",
            "report_to": KENT_HRPH,
            "meeting_date": date(2022, 3, 16),
            "is_key_decision": True,
            "key_decision_reason": "Significant effect on communities in all electoral divisions",
            "electoral_divisions": "All",
            "summary": (
                "During 2021/22, a new partnership-wide Drug and Alcohol Strategy was "
                "developed as a response to the government strategy - \u201cFrom Harm to "
                "Hope\u201d in December 2021. In 2022, the Kent Drug and Alcohol Strategy "
                "2023-2028 was adopted and shared with Kent Substance Misuse Alliance members, "
                "and for completeness, it went out for public consultation in 2022. The "
                "consultation was completed in late 2022. The public consultation was broadly "
                "in line with the current Strategy. As a result of the public consultation, "
                "the Strategy's action plan will be refined, particularly for children and "
                "young people prevention. The action plan will be completed in April 2023."
            ),
            "recommendation_intro": (
                "The Health Reform and Public Health Cabinet Committee is asked to "
                "**CONSIDER** and **ENDORSE** or make **RECOMMENDATIONS** to the Cabinet "
                "Member for Adult Social Care and Public Health on the proposed decision to:"
            ),
            "financial_implications": "None",
            "legal_implications": "None",
            "equalities_implications": (
                "Following the EQIA assessment, positive impacts were found for protected "
                "groups. No negative impacts for age, disability, sex, gender identity / "
                "transgender, race, religion and belief, sexual orientation, pregnancy and "
                "maternity, marriage and civil partnership, carer's responsibility."
            ),
            "contacts": "Lin Guo, Public Health Specialist, Lin.Guo@kent.gov.uk\n"
            "Jess Mookherjee, Consultant in Public Health, Jessica.mookherjee@kent.gov.uk\n"
            "Relevant Director: Anjan Ghosh, Director of Public Health, "
            "Anjan.Ghosh@kent.gov.uk",
            "appendices": "1: Kent Drug and Alcohol Strategy\n"
            "2: Kent Drug and Alcohol Strategy Consultation report\n"
            "3: EQIA",
        },
    )
    _parts(
        decision,
        Recommendation,
        [
            {"verb": "ADOPT", "text": "the Kent Drug and Alcohol Strategy 2023-2028"},
            {
                "verb": "DELEGATE",
                "text": "authority to the Director of Public Health to refresh and/or make "
                "revisions as appropriate during the lifetime of the Strategy",
            },
        ],
    )
    _parts(
        decision,
        PathwayStage,
        [
            {
                "body": KENT_HRPH,
                "date": date(2022, 3, 16),
                "purpose": PathwayStage.Purpose.CONSIDER,
                "outcome": PathwayStage.Outcome.ENDORSED,
            },
            {
                "body": "Cabinet Member decision",
                "date": None,
                "purpose": PathwayStage.Purpose.DECIDE,
                "outcome": "",
            },
        ],
    )
    priorities = _strategy_priorities()
    if set(decision.strategic_priorities.all()) != set(priorities):
        decision.strategic_priorities.set(priorities)
    return decision


def load_kent_early_help_2015(kent: Authority) -> Decision:
    decision = _decision(
        kent,
        None,
        2015,
        {
            "title": "Early Help and Preventative Services Commissioning Intentions for 2016-17",
            "decision_type": Decision.Type.EXECUTIVE_KEY,
            "status": Decision.Status.TAKEN,
            "decision_maker": "Cabinet",
            "decision_maker_role": "Kent County Council Cabinet",
            "report_from": (
                "Peter Oakford, Cabinet Member for Specialist Children's Services\n"
                "Roger Gough, Cabinet Member for Education and Health Reform\n"
                "Mike Hill, Cabinet Member for Community Services\n"
                "Patrick Leeson, Corporate Director for Education and Young People's Services"
            ),
            "report_to": "Education and Young People's Services Cabinet Committee",
            "meeting_date": date(2015, 9, 18),
            "decision_date": date(2015, 10, 12),
            "is_key_decision": True,
            "key_decision_reason": "it involves expenditure or savings of more than £1m",
            "amount_involved": Decimal("7400000.00"),
            "electoral_divisions": "All",
            "summary": (
                "Early Help and Preventative Services hold a significant range of contractual "
                "and grant arrangements which are being re-assessed to ensure a flexible and "
                "integrated model of support is in place which achieves the best outcomes for "
                "children and young people and the most efficient use of resources.\n\n"
                "The report outlines the proposals for future commissioning intentions, "
                "central to which is the alignment of approaches with Public Health to ensure "
                "the maximum utilisation of resources and integrated approaches to service "
                "delivery."
            ),
            "recommendation_intro": (
                "The Cabinet Committee is asked to consider and endorse or make "
                "recommendations to the Cabinet Members for Specialist Children's Services "
                "on the proposed decision to:"
            ),
            "financial_implications": (
                "It is proposed that the budget will reduce from £8.5 million to £7.4 million "
                "for commissioning Early Help services for 2016-17. A phased commissioning "
                "approach is likely to necessitate the extension of some existing EHPS "
                "contracts until the end of September 2016."
            ),
            "background_documents": (
                "Education and Young People's Services Vision and Priorities for Improvement\n"
                "Early Help and Preventative Services Prospectus\n"
                "The way ahead-Kent's Emotional Wellbeing Strategy"
            ),
            "contacts": (
                "Jo Hook, Commissioning Manager, 03000 416266, Joanna.Hook@kent.gov.uk\n"
                "Julie Street, Commissioning Officer, 03000 416737, Julie.Street@kent.gov.uk\n"
                "Relevant Director: Florence Kroll, Director of Early Help and Preventative "
                "Services, 03000 416362, Florence.Kroll@kent.gov.uk\n"
                "Relevant Director: Patrick Leeson, Corporate Director of Education and "
                "Young People's Services, 03000 416384, Patrick.leeson@kent.gov.uk"
            ),
            "appendices": (
                "1: KCC's strategic outcomes\n2: Existing EHPS contracts\n"
                "3: Diagnostic report\n4: Procurement timeline"
            ),
        },
    )
    _parts(
        decision,
        Recommendation,
        [
            {
                "verb": "PROCEED",
                "text": "with the outlined commissioning intentions, and to re-commission "
                "Early Help services in 2016",
            }
        ],
    )
    _parts(
        decision,
        PathwayStage,
        [
            {
                "body": "Education and Young People's Services Cabinet Committee",
                "date": date(2015, 9, 18),
                "purpose": PathwayStage.Purpose.CONSIDER,
                "outcome": PathwayStage.Outcome.ENDORSED,
            },
            {
                "body": "Corporate Board",
                "date": date(2015, 9, 28),
                "purpose": PathwayStage.Purpose.CONSIDER,
                "outcome": PathwayStage.Outcome.ENDORSED,
            },
            {
                "body": "Cabinet",
                "date": date(2015, 10, 12),
                "purpose": PathwayStage.Purpose.DECIDE,
                "outcome": PathwayStage.Outcome.DECIDED,
            },
        ],
    )
    for reference in (
        *contracts_demo.KENT_YOUTH_LOT_REFERENCES,
        contracts_demo.KENT_YOUNG_CARERS_REFERENCE,
        contracts_demo.KENT_EMOTIONAL_WELLBEING_REFERENCE,
        *contracts_demo.KENT_FAMILY_SUPPORT_REFERENCES,
    ):
        _link(decision, reference, DecisionContractLink.Kind.AWARD)
    return decision


def load_northamptonshire_2023(west: Authority, north: Authority) -> Decision:
    """The Shared Services Joint Committee's decision: West leads, North shares it."""
    decision = _decision(
        west,
        None,
        2023,
        {
            "title": "Recommissioning of Drug and Alcohol Treatment, Recovery and Support Services",
            "decision_type": Decision.Type.BOARD,
            "status": Decision.Status.TAKEN,
            "decision_maker": "Shared Services Joint Committee",
            "decision_maker_role": "North and West Northamptonshire Shared Services Joint "
            "Committee",
            "report_from": (
                "Susan Hamilton, DPH North Northamptonshire\n"
                "Sally Burns, DPH West Northamptonshire\n"
                "Cllr Helen Harrison, Executive Member (NNC)\n"
                "Cllr Matthew Golby, Cabinet Member (WNC)"
            ),
            "report_to": "Shared Services Joint Committee",
            "meeting_date": date(2023, 8, 16),
            "decision_date": date(2023, 8, 16),
            "is_key_decision": False,
            "electoral_divisions": "",
            "call_in_eligible": False,
            "summary": (
                "Currently, drug and alcohol services are commissioned across Northamptonshire "
                "as part of seven contracts. Two of the contracts, namely the Adults "
                "Structured Treatment Service and the Substance Misuse Recovery Service, "
                "represent 89% of the total value of the contracts. These contracts have "
                "options to continue until 31st March 2026. The remaining smaller value "
                "contracts all expire on 31st March 2024.\n\n"
                "On considering the two available options to us to either recommission the "
                "majority of services for 1st April 2024 or align all contract end-dates to "
                "1st April 2026. The latter option presents greater opportunities for "
                "delivering a holistic and effective service offer that meets the needs of "
                "North and West Northamptonshire councils' local residents."
            ),
            "recommendation_intro": "It is recommended that the Shared Services Joint Committee:",
            "options_rejected": (
                "To recommission drug and alcohol treatment provision (excluding recovery "
                "services) for 1st April 2024. This option would not allow us to develop a "
                "holistic prevention, treatment and recovery model as the recovery service "
                "contract does not expire until 31st March 2026."
            ),
            "financial_implications": (
                "The total value of the current county-wide contracts is £6.983m per annum, "
                "of which North Northamptonshire spend is £3.395m and West Northamptonshire "
                "spend is £3.588m. Within this there is an element of external funding of "
                "£0.239m from Police Fire & Crime Commissioner."
            ),
            "legal_implications": (
                "Commissioners have liaised with legal colleagues regarding potential legal "
                "implications. No legal implications have been identified in relation to "
                "these proposals."
            ),
            "background_documents": "",
        },
    )
    _parts(
        decision,
        Recommendation,
        [
            {
                "verb": "APPROVE",
                "text": "the alignment of all substance misuse contracts up to 31st March "
                "2026, utilising the existing extension within the Adults Structured "
                "Treatment Service contract from 1st April 2024 to 31st March 2026",
            },
            {
                "verb": "EXPLORE",
                "text": "utilising a compliant government framework to award the contract "
                "for the Case Management System to the incumbent provider, should new "
                "requirements be met, from 1st April 2024 to 31st March 2026",
            },
            {
                "verb": "RECOMMISSION",
                "text": "the Family Support Service, Children and Young People's Prevention "
                "and Treatment Services, and the Youth Offending Service offer from 1st April "
                "2024 to 31st March 2026 through a competitive process",
            },
            {
                "verb": "AWARD",
                "text": "the contract for Workforce Training via a negotiated procedure, due "
                "to an absence of alternative providers being identified through the "
                "expression of interest",
            },
        ],
    )
    _parts(
        decision,
        PathwayStage,
        [
            {
                "body": "Shared Services Joint Committee",
                "date": date(2023, 8, 16),
                "purpose": PathwayStage.Purpose.DECIDE,
                "outcome": PathwayStage.Outcome.DECIDED,
            }
        ],
    )
    _link(
        decision,
        contracts_demo.NORTHANTS_ADULT_TREATMENT_REFERENCE,
        DecisionContractLink.Kind.EXTEND,
        "Existing extension, 1 April 2024 to 31 March 2026",
    )
    for reference in (
        contracts_demo.NORTHANTS_YOUNG_PEOPLE_REFERENCE,
        contracts_demo.NORTHANTS_FAMILY_SUPPORT_REFERENCE,
        contracts_demo.NORTHANTS_YOUTH_OFFENDERS_REFERENCE,
        contracts_demo.NORTHANTS_WORKFORCE_TRAINING_REFERENCE,
        contracts_demo.NORTHANTS_CASE_MANAGEMENT_REFERENCE,
    ):
        _link(decision, reference, DecisionContractLink.Kind.AWARD)
    if list(decision.joint_authorities.all()) != [north]:
        decision.joint_authorities.set([north])
    return decision


def load_southend_2022(southend: Authority) -> Decision:
    decision = _decision(
        southend,
        None,
        2022,
        {
            "title": "National Drug Strategy and implications for Southend",
            "decision_type": Decision.Type.BOARD,
            "status": Decision.Status.TAKEN,
            "decision_maker": "Health & Wellbeing Board",
            "decision_maker_role": "Southend Health and Wellbeing Board",
            "report_from": "Director of Commissioning & Director of Public Health\n"
            "Jamie Pennycott, Drug & Alcohol Commissioning Officer (report prepared by)",
            "report_to": "Health & Wellbeing Board",
            "meeting_date": date(2022, 3, 7),
            "decision_date": date(2022, 3, 7),
            "is_key_decision": False,
            "electoral_divisions": "",
            "call_in_eligible": False,
            "summary": (
                "To inform the Board of the new National Drug Strategy, \u201cFrom Harm To "
                "Hope\u201d and its implications for drug & alcohol treatment and "
                "commissioning; of additional three-year funding commitment being made "
                "available from the Office of Health Improvement & Disparities and Department "
                "of Levelling Up, Housing & Communities; and of the outcomes of the recent "
                "Drug & Alcohol Treatment System tender, which selected The Forward Trust as "
                "preferred provider, in alliance with Open Road."
            ),
            "recommendation_intro": "It is recommended that the Board:",
            "contacts": "Jamie Pennycott, Drug & Alcohol Commissioning Officer",
            "appendices": "1: HM Government - From Harm To Hope",
        },
    )
    _parts(
        decision,
        Recommendation,
        [
            {
                "verb": "CONSIDER",
                "text": "implications of the new national drug strategy on local system and "
                "the expectations for implementing a more robust strategic and delivery "
                "partnership and outcomes framework",
            }
        ],
    )
    _parts(
        decision,
        PathwayStage,
        [
            {
                "body": "Health & Wellbeing Board",
                "date": date(2022, 3, 7),
                "purpose": PathwayStage.Purpose.NOTE,
                "outcome": PathwayStage.Outcome.NOTED,
            }
        ],
    )
    return decision
