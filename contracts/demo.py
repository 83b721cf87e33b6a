"""Demo authorities and providers from the seed reports (shared/seeds)."""

from datetime import date
from decimal import Decimal

from audit.utils import upsert
from contracts.models import (
    Authority,
    Contract,
    CostShare,
    ExtensionOption,
    Provider,
    StrategicPriority,
)

# Contract references. The decisions and grants apps link to contracts by these, so
# they are fixed here and never change.
# 000: Kent young people's drug and alcohol service (decision 24/00056) and the
# contract it replaces (extended by 10 months under decision 23/00032).
KENT_YP_REFERENCE = "KCC-PH-YPDA-2025"
KENT_YP_PREDECESSOR_REFERENCE = "KCC-PH-YPDA-2018"
# 001: the seven Northamptonshire substance misuse contracts (Table 1).
NORTHANTS_ADULT_TREATMENT_REFERENCE = "NWN-SM-01"
NORTHANTS_YOUNG_PEOPLE_REFERENCE = "NWN-SM-02"
NORTHANTS_RECOVERY_REFERENCE = "NWN-SM-03"
NORTHANTS_FAMILY_SUPPORT_REFERENCE = "NWN-SM-04"
NORTHANTS_YOUTH_OFFENDERS_REFERENCE = "NWN-SM-05"
NORTHANTS_WORKFORCE_TRAINING_REFERENCE = "NWN-SM-06"
NORTHANTS_CASE_MANAGEMENT_REFERENCE = "NWN-SM-07"
NORTHANTS_REFERENCES = (
    NORTHANTS_ADULT_TREATMENT_REFERENCE,
    NORTHANTS_YOUNG_PEOPLE_REFERENCE,
    NORTHANTS_RECOVERY_REFERENCE,
    NORTHANTS_FAMILY_SUPPORT_REFERENCE,
    NORTHANTS_YOUTH_OFFENDERS_REFERENCE,
    NORTHANTS_WORKFORCE_TRAINING_REFERENCE,
    NORTHANTS_CASE_MANAGEMENT_REFERENCE,
)
# 002: Southend's drug and alcohol treatment system (The Forward Trust with Open Road).
SOUTHEND_TREATMENT_REFERENCE = "SCC-DA-2022"
# 004: Kent early help and preventative services 2016 (12 district youth lots, young
# carers, emotional health and wellbeing, 4 family support and parenting areas).
KENT_YOUTH_DISTRICTS = (
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Gravesham",
    "Maidstone",
    "Sevenoaks",
    "Shepway",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
)
KENT_YOUTH_LOT_REFERENCES = tuple(
    f"KCC-EHPS-2016-YOUTH-{n:02d}" for n in range(1, len(KENT_YOUTH_DISTRICTS) + 1)
)
KENT_YOUNG_CARERS_REFERENCE = "KCC-EHPS-2016-YC"
KENT_EMOTIONAL_WELLBEING_REFERENCE = "KCC-EHPS-2016-EHWB"
KENT_FAMILY_SUPPORT_AREAS = ("North", "South", "East", "West")
KENT_FAMILY_SUPPORT_REFERENCES = tuple(
    f"KCC-EHPS-2016-FIP-{area[0]}" for area in KENT_FAMILY_SUPPORT_AREAS
)

AUTHORITIES = (
    # name, short name, key decision threshold, call-in working days, prefix
    ("Kent County Council", "KCC", Decimal("1000000"), 5, "KCC "),
    ("North Northamptonshire Council", "NNC", Decimal("500000"), 5, "NNC "),
    ("West Northamptonshire Council", "WNC", Decimal("500000"), 5, "WNC "),
    ("Southend-on-Sea City Council", "Southend", Decimal("500000"), 5, "SCC "),
)

PROVIDERS = (
    # name, type, charity number, company number, SME, VCSE
    ("We Are With You", Provider.Type.VCSE, "1166577", "06791380", False, True),
    ("Change Grow Live", Provider.Type.VCSE, "1079327", "03861209", False, True),
    ("Aquarius Action Projects", Provider.Type.VCSE, "1053206", "03145829", True, True),
    ("The Forward Trust", Provider.Type.VCSE, "1001701", "02580377", False, True),
    ("Open Road Visions", Provider.Type.VCSE, "1074920", "03683025", True, True),
)


REASON = "Demo data from the seed reports"
KCC = "Kent County Council"
NNC = "North Northamptonshire Council"
WNC = "West Northamptonshire Council"
SOUTHEND = "Southend-on-Sea City Council"

# Providers named in 001 and 002 beyond the lead's list above.
MORE_PROVIDERS = (
    # name, type, SME, VCSE
    ("Bridge", Provider.Type.VCSE, True, True),
    ("Family Support Link", Provider.Type.VCSE, True, True),
    ("Northamptonshire Youth Offending Service", Provider.Type.LOCAL_AUTHORITY, False, False),
    ("Illy Systems", Provider.Type.COMPANY, True, False),
)

# 003: Kent Drug and Alcohol Strategy 2023-2028 (decision 23/00021), 13 priorities.
KENT_STRATEGY = "Kent Drug and Alcohol Strategy 2023-2028"
KENT_PRIORITIES = (
    ("Prevention", "1.1", "Prevention, early intervention and behaviour change"),
    ("Prevention", "1.2", "Early Help: prevention to treatment intervention"),
    ("Prevention", "1.3", "Improving hospital and acute intervention to treatment"),
    (
        "Prevention",
        "1.4",
        "Preventing inter-generational alcohol misuse / children and young people living "
        "with alcohol misusing parents",
    ),
    (
        "Prevention",
        "1.5",
        "Tackling high rates of suicide and self-harm associated with substance misuse",
    ),
    (
        "Improve Treatment and Recovery",
        "2.1",
        "Continue improvement to treatment and recovery services",
    ),
    (
        "Improve Treatment and Recovery",
        "2.2",
        "Improve criminal justice routes to substance misuse treatment",
    ),
    (
        "Improve Treatment and Recovery",
        "2.3",
        "Improve treatment and recovery for targeted groups / vulnerable people",
    ),
    (
        "Improve Treatment and Recovery",
        "2.4",
        "Improve pathways to treatment and recovery to rough sleepers",
    ),
    (
        "Improve Treatment and Recovery",
        "2.5",
        "Improving treatment and recovery for people with co-occurring conditions",
    ),
    (
        "Community Safety",
        "3.1",
        "Working in partnership to share data and intelligence in order to identify those at "
        "risk of drug / alcohol related harm and exploitation and to provide safeguarding and "
        "intensive support",
    ),
    ("Community Safety", "3.2", "Disrupting supply of illegal drugs"),
    ("Community Safety", "3.3", "Tackling local alcohol supply"),
)

D = date
Route = Contract.Route
Area = Contract.ServiceArea
EXERCISED = ExtensionOption.Status.EXERCISED
NORTHANTS_SHARES = ((NNC, Decimal("48.6")), (WNC, Decimal("51.4")))
NORTHANTS_SOURCE = (
    "Shared Services Joint Committee, 16 August 2023, Table 1 (annual values in £000s, "
    "split 48.6% North / 51.4% West). The report says the services were commissioned by "
    "Northamptonshire County Council in 2018; the start date of 1 April 2018 is assumed. "
)


def _contracts() -> list[dict]:
    """Every contract in the seed reports, with the figures the reports give."""
    kent_yp = {
        "reference": KENT_YP_REFERENCE,
        "title": "Kent Young Persons Drug and Alcohol Service",
        "description": (
            "Integrated substance misuse service for 11 to 18 year olds in Kent, with "
            "flexibility for 18 to 24 year olds: community and school support, RisKit, "
            "Re-Frame youth diversion with Kent Police, the Sunlight Project."
        ),
        "service_area": Area.DRUG_AND_ALCOHOL,
        "provider": None,
        "lead": KCC,
        "start": D(2025, 2, 1),
        "end": D(2027, 1, 31),
        "annual": Decimal("803671.80"),
        "uplift": Decimal("1"),
        "route": Route.PSR_COMPETITIVE,
        "stated": "£4,099,533.88",
        "options": [(24, None), (12, None)],
        "priorities": ("1.1", "1.2", "1.4"),
        "notes": (
            "Key decision 24/00056 (Cabinet Committee 2 July 2024): two years with two "
            "extension options, one of two years and one of one year; £4,099,533.88 over "
            "five years with a 1% uplift a year from year two. Procured under the Provider "
            "Selection Regime; the report does not name the provider or the PSR process, "
            "so the competitive process is recorded until the award is entered."
        ),
    }
    kent_yp_old = {
        "reference": KENT_YP_PREDECESSOR_REFERENCE,
        "title": "Kent Young Persons Drug and Alcohol Service (2018 contract)",
        "description": (
            "Integrated substance misuse service for young people, delivered by With You."
        ),
        "service_area": Area.DRUG_AND_ALCOHOL,
        "provider": "We Are With You",
        "lead": KCC,
        "start": D(2018, 1, 1),
        "end": D(2024, 3, 31),
        "annual": Decimal("800000.00"),
        "route": Route.OPEN,
        "options": [
            (
                10,
                None,
                EXERCISED,
                (
                    "Key decision 23/00032 (August 2023): extended by 10 months, 1 April "
                    "2024 to 31 January 2025, to allow clarity over future funding streams."
                ),
            )
        ],
        "priorities": ("1.1", "1.2"),
        "notes": (
            "Report 24/00056: commenced 1 January 2018; the 2022 contract review extended it "
            "to 31 March 2024 (recorded here as the end of the initial term, since the "
            "report does not give the original end); decision 23/00032 added 10 months to "
            "31 January 2025. The report gives the cost as “around £800k per annum”."
        ),
    }
    northants = [
        (
            NORTHANTS_ADULT_TREATMENT_REFERENCE,
            "Adult structured treatment – Substance 2 Solutions",
            "Change Grow Live",
            D(2024, 3, 31),
            [
                (
                    24,
                    None,
                    EXERCISED,
                    (
                        "Shared Services Joint Committee 16 August 2023: use the existing "
                        "extension, 1 April 2024 to 31 March 2026, to align all contracts."
                    ),
                )
            ],
            "5394000",
            Route.OPEN,
            "To 31/03/24 (with option to extend to 2026).",
        ),
        (
            NORTHANTS_YOUNG_PEOPLE_REFERENCE,
            "Children and young people prevention and treatment service – Ngage",
            "Aquarius Action Projects",
            D(2022, 3, 31),
            [(24, None, EXERCISED, "Option to extend from 2022 to 31 March 2024 used.")],
            "300000",
            Route.OPEN,
            "To 31/03/24 (using option to extend from 2022).",
        ),
        (
            NORTHANTS_RECOVERY_REFERENCE,
            "Substance misuse recovery service including a housing offer",
            "Bridge",
            D(2026, 3, 31),
            [],
            "800000",
            Route.OPEN,
            (
                "To 31/03/26 (with option to extend no more than 8 years): the report "
                "gives no further option length, so none is recorded."
            ),
        ),
        (
            NORTHANTS_FAMILY_SUPPORT_REFERENCE,
            "Family support service",
            "Family Support Link",
            D(2024, 3, 31),
            [],
            "160000",
            Route.OPEN,
            "To 31/03/24 (no option to extend).",
        ),
        (
            NORTHANTS_YOUTH_OFFENDERS_REFERENCE,
            "Support to youth offenders",
            "Northamptonshire Youth Offending Service",
            D(2024, 3, 31),
            [],
            "80000",
            Route.IN_HOUSE,
            "To 31/03/24, annual SLA (start of this year's SLA: 1 April 2023).",
        ),
        (
            NORTHANTS_WORKFORCE_TRAINING_REFERENCE,
            "Workforce training in drugs and alcohol – Healthy Futures",
            "Aquarius Action Projects",
            D(2024, 3, 31),
            [],
            "156000",
            Route.OPEN,
            "To 31/03/24 (no option to extend).",
        ),
        (
            NORTHANTS_CASE_MANAGEMENT_REFERENCE,
            "Case management system – Care Path",
            "Illy Systems",
            D(2024, 3, 31),
            [],
            "93000",
            Route.WAIVER,
            "To 31/03/24 with waiver (no option to extend).",
        ),
    ]
    contracts = [kent_yp, kent_yp_old]
    for reference, title, provider, end, options, annual, route, term in northants:
        start = D(2023, 4, 1) if route == Route.IN_HOUSE else D(2018, 4, 1)
        contracts.append(
            {
                "reference": reference,
                "title": title,
                "description": "",
                "service_area": Area.DRUG_AND_ALCOHOL,
                "provider": provider,
                "lead": WNC,
                "start": start,
                "end": end,
                "annual": Decimal(annual),
                "route": route,
                "options": options,
                "shares": NORTHANTS_SHARES,
                "notes": NORTHANTS_SOURCE + "Current term in the report: " + term,
            }
        )
    contracts.append(
        {
            "reference": SOUTHEND_TREATMENT_REFERENCE,
            "title": "Southend drug and alcohol treatment system (adults and young people)",
            "description": (
                "The adults' and young people's treatment services in one contract. The "
                "Forward Trust leads, in an alliance with Open Road for the young people "
                "and young adult element."
            ),
            "service_area": Area.DRUG_AND_ALCOHOL,
            "provider": "The Forward Trust",
            "subcontractors": ("Open Road Visions",),
            "lead": SOUTHEND,
            "start": D(2022, 4, 1),
            "end": D(2027, 3, 31),
            "annual": Decimal("0.00"),
            "route": Route.OPEN,
            "options": [],
            "priorities": (),
            "notes": (
                "Health and Wellbeing Board, 7 March 2022: tendered in September 2021, bids "
                "from four lead organisations, The Forward Trust selected as preferred "
                "provider. Funded from the Public Health grant, with extra roles from the "
                "RSDATG and Universal Grant. The report gives neither the value nor the "
                "dates: the value is left at £0 and the term (1 April 2022 to 31 March "
                "2027) is a placeholder until the contract is entered."
            ),
        }
    )
    early_help = (
        "Early Help and Preventative Services commissioning intentions 2016-17 (Cabinet "
        "Committee 18 September 2015): three years with an option to extend for a further "
        "year. The report does not name providers. "
    )
    for district, reference in zip(KENT_YOUTH_DISTRICTS, KENT_YOUTH_LOT_REFERENCES, strict=True):
        contracts.append(
            {
                "reference": reference,
                "title": f"Youth offer for vulnerable communities – {district}",
                "description": (
                    "District youth service lot, commissioned through the youth services DPS."
                ),
                "service_area": Area.EARLY_HELP,
                "provider": None,
                "lead": KCC,
                "lot": f"District lot: {district}",
                "start": D(2016, 4, 1),
                "end": D(2019, 3, 31),
                "annual": Decimal("100000.00"),
                "route": Route.DPS,
                "options": [(12, None)],
                "notes": early_help
                + "£1.2m for 12 district lots, shown here as £100,000 a lot (the split is "
                "not given).",
            }
        )
    contracts.append(
        {
            "reference": KENT_YOUNG_CARERS_REFERENCE,
            "title": "Young Carers service",
            "description": "One county-wide contract, meeting the Care Act duties to young carers.",
            "service_area": Area.EARLY_HELP,
            "provider": None,
            "lead": KCC,
            "lot": "County-wide",
            "start": D(2016, 4, 1),
            "end": D(2019, 3, 31),
            "annual": Decimal("400000.00"),
            "route": Route.OPEN,
            "options": [(12, None)],
            "notes": early_help + "Phase one: £400,000, from April 2016.",
        }
    )
    contracts.append(
        {
            "reference": KENT_EMOTIONAL_WELLBEING_REFERENCE,
            "title": "Emotional Health and Wellbeing service",
            "description": (
                "One county-wide arrangement, part of the new emotional health and CAMHS model."
            ),
            "service_area": Area.EARLY_HELP,
            "provider": None,
            "lead": KCC,
            "lot": "County-wide",
            "start": D(2016, 10, 1),
            "end": D(2019, 9, 30),
            "annual": Decimal("1200000.00"),
            "route": Route.OPEN,
            "options": [(12, None)],
            "notes": early_help + "Phase two: £1.2m, from October 2016.",
        }
    )
    for area, reference in zip(
        KENT_FAMILY_SUPPORT_AREAS, KENT_FAMILY_SUPPORT_REFERENCES, strict=True
    ):
        contracts.append(
            {
                "reference": reference,
                "title": f"FIP plus family and parenting support – {area} Kent",
                "description": (
                    "Family support and parenting, including vulnerable "
                    "adolescents, NEET and Troubled Families."
                ),
                "service_area": Area.EARLY_HELP,
                "provider": None,
                "lead": KCC,
                "lot": f"Area contract: {area}",
                "start": D(2016, 10, 1),
                "end": D(2019, 9, 30),
                "annual": Decimal("900000.00"),
                "route": Route.OPEN,
                "options": [(12, None)],
                "notes": early_help
                + "Phase two: 4 area contracts totalling £3.6m, shown here as £900,000 each "
                "(the split is not given).",
            }
        )
    return contracts


def _load_priorities() -> dict[str, StrategicPriority]:
    found = {}
    for area, code, name in KENT_PRIORITIES:
        priority, _ = upsert(
            StrategicPriority,
            {"strategy": KENT_STRATEGY, "name": f"{code} {name}"},
            {"area": area, "number": None},
            reason=REASON,
        )
        found[code] = priority
    return found


def _set_m2m(manager, wanted) -> None:
    if {o.pk for o in manager.all()} != {o.pk for o in wanted}:
        manager.set(wanted)


def _load_contract(spec: dict, priorities: dict) -> Contract:
    provider = Provider.objects.get(name=spec["provider"]) if spec.get("provider") else None
    contract, _ = upsert(
        Contract,
        {"reference": spec["reference"]},
        {
            "title": spec["title"],
            "description": spec.get("description", ""),
            "service_area": spec["service_area"],
            "provider": provider,
            "lead_authority": Authority.objects.get(name=spec["lead"]),
            "lot": spec.get("lot", ""),
            "start_date": spec["start"],
            "initial_end_date": spec["end"],
            "annual_value": spec["annual"],
            "annual_uplift_percent": spec.get("uplift", Decimal("0")),
            "uplift_from_year": 2,
            "procurement_route": spec["route"],
            "stated_whole_life_value": spec.get("stated", ""),
            "notes": spec.get("notes", ""),
        },
        reason=REASON,
    )
    for sequence, option in enumerate(spec["options"], start=1):
        months, price, *decided = option
        values = {"months": months, "price": price}
        if decided:
            values.update({"status": decided[0], "reason": decided[1]})
        upsert(ExtensionOption, {"contract": contract, "sequence": sequence}, values, reason=REASON)
    for name, percentage in spec.get("shares", ()):
        upsert(
            CostShare,
            {"contract": contract, "authority": Authority.objects.get(name=name)},
            {"percentage": percentage, "fixed_amount": None},
            reason=REASON,
        )
    _set_m2m(
        contract.subcontractors,
        [Provider.objects.get(name=n) for n in spec.get("subcontractors", ())],
    )
    _set_m2m(contract.strategic_priorities, [priorities[c] for c in spec.get("priorities", ())])
    return contract


def load() -> None:
    for name, short, threshold, call_in, prefix in AUTHORITIES:
        upsert(
            Authority,
            {"name": name},
            {
                "short_name": short,
                "key_decision_threshold": threshold,
                "call_in_working_days": call_in,
                "decision_number_prefix": prefix,
            },
            reason=REASON,
        )
    for name, kind, charity, company, sme, vcse in PROVIDERS:
        upsert(
            Provider,
            {"name": name},
            {
                "provider_type": kind,
                "charity_number": charity,
                "company_number": company,
                "is_sme": sme,
                "is_vcse": vcse,
            },
            reason=REASON,
        )

    for name, kind, sme, vcse in MORE_PROVIDERS:
        upsert(
            Provider,
            {"name": name},
            {"provider_type": kind, "is_sme": sme, "is_vcse": vcse},
            reason=REASON,
        )
    priorities = _load_priorities()
    for spec in _contracts():
        _load_contract(spec, priorities)
