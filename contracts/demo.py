"""Demo authorities and providers from the seed reports (shared/seeds)."""

from decimal import Decimal

from audit.utils import upsert
from contracts.models import Authority, Provider

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
    ("Kent County Council", "KCC", Decimal("1000000"), 5, ""),
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
            reason="Demo data from the seed reports",
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
            reason="Demo data from the seed reports",
        )
