"""Demo authorities and providers from the seed reports (shared/seeds)."""

from decimal import Decimal

from audit.utils import upsert
from contracts.models import Authority, Provider

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
