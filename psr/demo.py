"""Demo variation (illustrative): a £320,000 value variation of the Kent young persons'
contract, under a delegated decision of its own, so the contract page shows a variation
with its reg 13 assessment and the decision's ceiling counts the £320,000 it authorised.

Loaded after contracts.demo and decisions.demo; skipped if the contract is not there.
Idempotent: every write goes through audit.utils.upsert.
"""

from datetime import date
from decimal import Decimal

from audit.utils import upsert
from contracts import demo as contracts_demo
from contracts.models import Contract, Modification
from decisions.models import Decision, DecisionContractLink
from decisions.services import allocate_number

REASON = "Illustrative demo data, not from the seed reports"
ILLUSTRATIVE = "Illustrative: not from the seed reports. It shows a variation and its decision."
TITLE = (
    "Kent Young Persons Drug and Alcohol Service: variation for more treatment places "
    "(illustrative)"
)
VARIATION_VALUE = Decimal("320000.00")


def load() -> None:
    contract = (
        Contract.objects.select_related("lead_authority")
        .filter(reference=contracts_demo.KENT_YP_REFERENCE)
        .first()
    )
    if contract is None:
        return
    kent = contract.lead_authority
    existing = Decision.objects.filter(authority=kent, title=TITLE).first()
    number = existing.number if existing else allocate_number(authority=kent, year=2026)
    decision, _ = upsert(
        Decision,
        {"authority": kent, "number": number},
        {
            "title": TITLE,
            "decision_type": Decision.Type.EXECUTIVE_NON_KEY,
            "status": Decision.Status.TAKEN,
            "decision_maker": "Director of Public Health",
            "decision_maker_role": "Director of Public Health (delegated)",
            "report_to": "Director of Public Health",
            "decision_date": date(2026, 3, 2),
            "is_key_decision": False,
            "call_in_eligible": False,
            "approved_maximum": VARIATION_VALUE,
            "amount_involved": VARIATION_VALUE,
            "summary": (
                f"{ILLUSTRATIVE}\n\n"
                "To vary the Kent Young Persons Drug and Alcohol Service contract from "
                "1 April 2026, adding £320,000 over the rest of its life for more treatment "
                "places, a modification attributable to the authority's decision under "
                "regulation 13(1)(d) of the Provider Selection Regime."
            ),
        },
        reason=REASON,
    )
    modification, _ = upsert(
        Modification,
        {"contract": contract, "sequence": 1},
        {
            "kind": Modification.Kind.VALUE,
            "description": "More treatment places for young people referred by schools and "
            "youth justice teams.",
            "effective_date": date(2026, 4, 1),
            "annual_value_change": Decimal("160000.00"),
            "lifetime_value_change": VARIATION_VALUE,
            "ground": Modification.Ground.AUTHORITY,
            "materially_different": False,
            "materially_different_reason": "The same service for the same people, with more "
            "places: its character does not change.",
        },
        reason=REASON,
    )
    upsert(
        DecisionContractLink,
        {"decision": decision, "modification": modification},
        {"contract": contract, "kind": DecisionContractLink.Kind.VARY},
        reason=REASON,
    )
