"""Demo grants and funding from the seed reports (/work/shared/seeds), real figures only.

Loaded after contracts.demo and decisions.demo. Links to contracts by the reference
constants contracts.demo defines and to decisions by number; a link whose record is
not there is skipped, so this loads whatever the other apps have. Idempotent: every
write goes through audit.utils.upsert, so a second run adds no history.
"""

from datetime import date
from decimal import Decimal

from audit.utils import upsert
from contracts import demo as contracts_demo
from contracts.figures import figures_for
from contracts.models import Authority, Contract
from contracts.rules import split_by_shares
from decisions import rules as decision_rules
from decisions.models import Decision
from grants import services
from grants.models import (
    AllocationShare,
    ContractFunding,
    Funder,
    GrantAllocation,
    GrantCommitment,
    GrantProgramme,
    OutboundGrantProgramme,
)

REASON = "Demo data from the seed reports"
KCC = "Kent County Council"
NNC = "North Northamptonshire Council"
WNC = "West Northamptonshire Council"
SOUTHEND = "Southend-on-Sea City Council"
OHID = "Office for Health Improvement and Disparities"
NORTHANTS_SHARES = {NNC: Decimal("48.6"), WNC: Decimal("51.4")}

# 001, Table 2: OHID grants by year in £000s, hosted by West and shared 48.6/51.4,
# plus the Rough Sleepers grant to West only. 2024/25 was not yet confirmed in
# August 2023 ("further funding beyond this year has not been announced").
PROGRAMMES = (
    # short name, name
    ("SSMTRG", "Supplemental Substance Misuse Treatment and Recovery Grant"),
    ("HSG", "Housing Support Grant"),
    ("IPD", "Inpatient Detoxification Consortium"),
    ("RSDATG", "Rough Sleeping Drug and Alcohol Treatment Grant"),
    ("UG", "Universal Grant"),
    ("H2H", "Drug and alcohol treatment grants (From Harm to Hope)"),
)
NORTHANTS_TABLE_2 = (
    # programme, year, £000s, shared between the two councils?, note
    ("SSMTRG", "2023/24", 1366, True, "West hosts and receives the grant."),
    ("SSMTRG", "2024/25", 2243, True, "West hosts and receives the grant."),
    ("HSG", "2023/24", 596, True, "Separate grants, West hosts."),
    ("HSG", "2024/25", 596, True, "Separate grants, West hosts."),
    ("IPD", "2023/24", 115, True, "West hosts and receives the grant."),
    ("IPD", "2024/25", 115, True, "West hosts and receives the grant."),
    ("RSDATG", "2023/24", 811, False, "West only grant in receipt."),
    ("RSDATG", "2024/25", 811, False, "West only grant in receipt."),
)
NORTHANTS_SOURCE = (
    "North and West Northamptonshire Shared Services Joint Committee, 16 August 2023, "
    "Table 2 (figures in £000s). "
)
# 001, 4.3.2: "Within this £6.983m there is an element that is funded from the Police
# Fire & Crime Commissioner this total's £0.239m."
PCC_NAME = "Northamptonshire Police, Fire and Crime Commissioner"
PCC_AMOUNT = Decimal("239000.00")
NORTHANTS_FUNDED_YEAR = "2023/24"

# 000, 2.4: "£11,424,253 investment via a number of OHID grants over the period April
# 2022 to March 2025 (of which £382,000 is anticipated to go to the Young Persons'
# service). This additional funding is linked to maintaining the level of investment
# from the Public Health Grant ..." and 5.5 (at or above the 2020-2021 levels).
KENT_OHID_AMOUNT = Decimal("11424253.00")
KENT_YP_COMMITMENT = Decimal("382000.00")
KENT_DEPLOYING_DECISION = "22/00041"

# 004: "a £1 million local grant offer" from April 2016, 12 district grant programmes.
KENT_LOCAL_GRANTS = "Local Grants Programme"


def _authority(name: str) -> Authority | None:
    return Authority.objects.filter(name=name).first()


def _contract(constant: str) -> Contract | None:
    reference = getattr(contracts_demo, constant, None)
    return Contract.objects.filter(reference=reference).first() if reference else None


def _decision(authority: Authority, number: str) -> Decision | None:
    number = decision_rules.prefixed_decision_number(number, authority.decision_number_prefix)
    return Decision.objects.filter(authority=authority, number=number).first()


def _fy_dates(first: str, last: str = "") -> tuple[date, date]:
    start_year = int(first[:4])
    end_year = int((last or first)[:4]) + 1
    return date(start_year, 4, 1), date(end_year, 3, 31)


def _allocation(
    programme: GrantProgramme,
    authority: Authority,
    financial_year: str,
    values: dict,
    shares: dict[Authority, Decimal],
) -> GrantAllocation:
    allocation, _ = upsert(
        GrantAllocation,
        {"programme": programme, "authority": authority, "financial_year": financial_year},
        values,
        reason=REASON,
    )
    for share_authority, percentage in shares.items():
        upsert(
            AllocationShare,
            {"allocation": allocation, "authority": share_authority},
            {"percentage": percentage},
            reason=REASON,
        )
    return allocation


def load() -> None:
    authorities = {name: _authority(name) for name in (KCC, NNC, WNC, SOUTHEND)}
    ohid, _ = upsert(
        Funder,
        {"name": OHID},
        {"short_name": "OHID", "kind": Funder.Kind.CENTRAL_GOVERNMENT},
        reason=REASON,
    )
    programmes = {}
    for short, name in PROGRAMMES:
        programmes[short], _ = upsert(
            GrantProgramme, {"funder": ohid, "name": name}, {"short_name": short}, reason=REASON
        )
    if authorities[NNC] and authorities[WNC]:
        _load_northamptonshire(authorities, programmes)
    if authorities[KCC]:
        _load_kent(authorities[KCC], programmes)
    if authorities[SOUTHEND]:
        _load_southend(authorities[SOUTHEND], programmes)


def _load_northamptonshire(authorities: dict, programmes: dict) -> None:
    west = authorities[WNC]
    shares = {authorities[name]: percent for name, percent in NORTHANTS_SHARES.items()}
    for short, year, thousands, shared, note in NORTHANTS_TABLE_2:
        start, end = _fy_dates(year)
        _allocation(
            programmes[short],
            west,
            year,
            {
                "amount": Decimal(thousands) * 1000,
                "status": (
                    GrantAllocation.Status.CONFIRMED
                    if year == "2023/24"
                    else GrantAllocation.Status.INDICATIVE
                ),
                "start_date": start,
                "end_date": end,
                "notes": NORTHANTS_SOURCE + note,
            },
            shares if shared else {},
        )
    # Table 1's £6.983m a year is paid from both councils' Public Health Grant by their
    # shares, except the PCC's £0.239m. The report does not say which contract the PCC
    # money pays for; it is recorded against adult treatment, the largest.
    for constant in (
        "NORTHANTS_ADULT_TREATMENT_REFERENCE",
        "NORTHANTS_YOUNG_PEOPLE_REFERENCE",
        "NORTHANTS_RECOVERY_REFERENCE",
        "NORTHANTS_FAMILY_SUPPORT_REFERENCE",
        "NORTHANTS_YOUTH_OFFENDERS_REFERENCE",
        "NORTHANTS_WORKFORCE_TRAINING_REFERENCE",
        "NORTHANTS_CASE_MANAGEMENT_REFERENCE",
    ):
        contract = _contract(constant)
        if contract is None:
            continue
        cost = contract.annual_value
        if constant == "NORTHANTS_ADULT_TREATMENT_REFERENCE":
            upsert(
                ContractFunding,
                {
                    "contract": contract,
                    "financial_year": NORTHANTS_FUNDED_YEAR,
                    "source": ContractFunding.Source.CONTRIBUTION,
                    "contributor": PCC_NAME,
                },
                {
                    "amount": PCC_AMOUNT,
                    "notes": "Seed 001, 4.3.2: £0.239m of the £6.983m comes from the PCC. "
                    "The report does not say which contract; recorded here.",
                },
                reason=REASON,
            )
            cost -= PCC_AMOUNT
        for authority, amount in split_by_shares(cost, shares).items():
            upsert(
                ContractFunding,
                {
                    "contract": contract,
                    "financial_year": NORTHANTS_FUNDED_YEAR,
                    "source": ContractFunding.Source.PUBLIC_HEALTH_GRANT,
                    "authority": authority,
                },
                {"amount": amount, "notes": "Seed 001, 4.3.2: core Public Health Grant."},
                reason=REASON,
            )


def _load_kent(kent: Authority, programmes: dict) -> None:
    start, end = _fy_dates("2022/23", "2024/25")
    allocation = _allocation(
        programmes["H2H"],
        kent,
        "2022/23",
        {
            "last_financial_year": "2024/25",
            "amount": KENT_OHID_AMOUNT,
            "status": GrantAllocation.Status.CONFIRMED,
            "maintain_ph_grant_baseline": True,
            "conditions": (
                "Linked to maintaining the level of investment from the Public Health Grant "
                "(at or above the levels reported in 2020-2021) and to achieving the "
                "established local targets."
            ),
            "start_date": start,
            "end_date": end,
            "deploying_decision": _decision(kent, KENT_DEPLOYING_DECISION),
            "notes": (
                "Key decision report 24/00056, 2.4: £11,424,253 via a number of OHID grants "
                "over April 2022 to March 2025, of which £382,000 is anticipated to go to "
                "the Young Persons' service."
            ),
        },
        {},
    )
    contract = _contract("KENT_YP_PREDECESSOR_REFERENCE") or _contract("KENT_YP_REFERENCE")
    if contract is not None:
        commitment = GrantCommitment.objects.filter(
            allocation=allocation, contract=contract
        ).first()
        if commitment is None:
            commitment = GrantCommitment(allocation=allocation, contract=contract)
        changed = commitment.pk is None or commitment.amount != KENT_YP_COMMITMENT
        commitment.amount = KENT_YP_COMMITMENT
        commitment.financial_year = "2024/25"
        commitment.notes = (
            "The report gives £382,000 over April 2022 to March 2025 without a yearly "
            "split; recorded in 2024/25, the year of the 10-month extension."
        )
        if changed:
            services.save_commitment(commitment=commitment, reason=REASON)
    # 000, 6.1: the new contract "would be funded entirely from the Public Health Grant".
    new_contract = _contract("KENT_YP_REFERENCE")
    if new_contract is not None:
        for year, amount in figures_for(new_contract).financial_years.items():
            upsert(
                ContractFunding,
                {
                    "contract": new_contract,
                    "financial_year": year,
                    "source": ContractFunding.Source.PUBLIC_HEALTH_GRANT,
                    "authority": kent,
                },
                {"amount": amount, "notes": "Report 24/00056, 6.1: funded entirely from the PHG."},
                reason=REASON,
            )
    upsert(
        OutboundGrantProgramme,
        {"authority": kent, "name": KENT_LOCAL_GRANTS},
        {
            "code": "EHPS-LGP-2016",
            "budget": Decimal("1000000.00"),
            "financial_year": "2016/17",
            "description": (
                "Early Help and Preventative Services commissioning intentions 2016-17 "
                "(Cabinet Committee, 18 September 2015): a £1 million local grant offer so "
                "that local, smaller-scale providers offering social value, especially micro "
                "and small voluntary and community sector organisations, can be funded "
                "through a local commissioning approach. 12 district grant programmes, "
                "integrated with Troubled Families, from April 2016; grants awarded yearly."
            ),
            "giving_prefix": "360G-kentcc",
            "funder_org_id": "GB-LAE-KEN",
        },
        reason=REASON,
    )


def _load_southend(southend: Authority, programmes: dict) -> None:
    # 002, 4.2 and 4.3: the report gives end dates but no amounts; £0 until entered.
    note = (
        "Southend Health and Wellbeing Board, 7 March 2022. The report gives no amount: "
        "enter it when the grant letter is to hand."
    )
    specs = (
        (
            "RSDATG",
            "2020/21",
            "2022/23",
            date(2021, 1, 1),
            "Received since January 2021 to enhance treatment and recovery for rough "
            "sleepers; scheduled to continue until 31 March 2023. ",
        ),
        (
            "UG",
            "2022/23",
            "2024/25",
            None,
            "Improves the interface between treatment services and the criminal justice "
            "system; confirmed to continue for three years, to 31 March 2025. ",
        ),
    )
    for short, first, last, start, text in specs:
        default_start, end = _fy_dates(first, last)
        _allocation(
            programmes[short],
            southend,
            first,
            {
                "last_financial_year": last,
                "amount": Decimal("0.00"),
                "status": GrantAllocation.Status.CONFIRMED,
                "start_date": start or default_start,
                "end_date": end,
                "conditions": (
                    "OHID expects new funding to enhance and build on the Public Health "
                    "Grant for drug and alcohol treatment, not to replace it."
                ),
                "maintain_ph_grant_baseline": True,
                "notes": text + note,
            },
            {},
        )
