"""Demo award records (reg 24) for the demo's contracts awarded under the Provider
Selection Regime (registered in psr.apps; run by ui's load_demo after contracts).

The seed reports do not give the award's details (the Kent young persons' service
report names neither the provider nor the PSR process), so the texts say they are
illustrative; the dates show the standstill period and its end on the record's page.
"""

from datetime import date

from audit.utils import upsert
from contracts import demo as contracts_demo
from contracts.models import Contract
from psr import rules
from psr.models import AwardRecord

REASON = "Demo data"
ILLUSTRATIVE = "Illustrative demo text: the source report does not give this."
NOT_NAMED = "Provider not named in the source report"


def _psr_references() -> list[str]:
    return [
        spec["reference"]
        for spec in contracts_demo._contracts()
        if rules.is_psr_route(spec["route"])
    ]


def _values(contract: Contract) -> dict:
    provider = contract.provider
    values = {
        "provider_name": provider.name if provider else NOT_NAMED,
        "provider_address": (provider.address if provider else "") or "Not recorded",
        "cpv_code": "85323000-9 Community health services",
        "decision_makers": "Cabinet Member for Adult Social Care and Public Health",
        "quality_and_innovation": f"Scored on the service model and outcomes. {ILLUSTRATIVE}",
        "value": f"Within the budget approved by the key decision. {ILLUSTRATIVE}",
        "integration_collaboration_sustainability": (
            f"Partnership with schools, youth services and Kent Police. {ILLUSTRATIVE}"
        ),
        "access_inequalities_choice": (
            f"Outreach across the county, with flexibility for 18 to 24 year olds. {ILLUSTRATIVE}"
        ),
        "social_value": f"Local employment and volunteering. {ILLUSTRATIVE}",
        "basic_selection_criteria": (
            f"Met: standing, economic and financial standing, and technical ability. {ILLUSTRATIVE}"
        ),
        "conflicts_of_interest": "",
        "conflicts_management": "",
        "representations_received": 0,
        "representations_outcome": "",
        "further_decision_on": None,
    }
    if rules.needs_intention_notice(contract.procurement_route):
        # Monday 4 November 2024: the standstill ends on Thursday 14 November, and the
        # award on Monday 18 November comes after it.
        values["intention_notice_on"] = date(2024, 11, 4)
        values["awarded_on"] = date(2024, 11, 18)
    return values


def load() -> None:
    contracts = Contract.objects.filter(reference__in=_psr_references()).select_related("provider")
    for contract in contracts:
        upsert(AwardRecord, {"contract": contract}, _values(contract), reason=REASON)
