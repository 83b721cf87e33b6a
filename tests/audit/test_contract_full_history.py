"""A contract's full-history page shows its options' and shares' changes too, so
"who extended this contract, when, and under which decision" is answered in one place."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from tests.contracts.factories import kent_contract
from tests.decisions.factories import DecisionFactory

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_the_full_history_shows_who_exercised_an_option_when_and_under_which_decision(
    commissioner_client, commissioner, auditor_client
):
    contract = kent_contract(reference="KCC-PH-0077")
    option = contract.options.get(sequence=1)
    DecisionFactory(
        number="26/00031",
        authority=contract.lead_authority,
        status="taken",
        decision_date=date(2026, 5, 1),
    )
    response = commissioner_client.post(
        reverse("contracts:option_decide", args=[contract.pk]),
        {
            "option": option.pk,
            "outcome": "exercise",
            "decided_on": "15/05/2026",
            "authorising_decision": "26/00031",
            "reason": "Cabinet Member decision",
        },
    )
    assert response.status_code == 302
    page = auditor_client.get(
        reverse("audit:record", args=["contracts.contract", contract.pk])
    ).content.decode()
    assert "Option 1 (24 months) exercised: Cabinet Member decision" in page
    assert "26/00031" in page  # the authorising decision, in the option's changes
    assert commissioner.get_full_name() in page
    assert "KCC-PH-0077: Option 1" in page  # each row says whose part it is
