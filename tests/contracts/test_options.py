"""Exercising or declining an extension option: in order, with a reason, in history."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from contracts.figures import figures_for
from contracts.models import Contract, ExtensionOption
from tests.contracts.factories import kent_contract
from tests.decisions.factories import DecisionFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def _decide(client, contract, option, **fields):
    data = {
        "option": str(option.pk),
        "outcome": "exercise",
        "decided_on": "15/05/2026",
        "reason": "Performance is good and the budget is confirmed",
        "authorising_decision": "",
        **fields,
    }
    return client.post(reverse("contracts:option_decide", args=[contract.pk]), data)


def _options(contract) -> list[tuple[int, str]]:
    return [(o.sequence, o.status) for o in contract.options.order_by("sequence")]


@time_machine.travel(TODAY, tick=False)
def test_exercising_the_first_option_moves_the_current_end_and_records_who_and_why(
    commissioner_client, commissioner
):
    contract = kent_contract()
    first = contract.options.get(sequence=1)
    decision = DecisionFactory(
        number="26/00012",
        authority=contract.lead_authority,
        status="taken",
        decision_date=date(2026, 5, 1),
    )
    response = _decide(commissioner_client, contract, first, authorising_decision=decision.number)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == ExtensionOption.Status.EXERCISED
    assert first.decided_on == date(2026, 5, 15)
    assert first.authorising_decision == decision
    entry = first.history.latest()
    assert entry.history_user == commissioner
    assert entry.history_change_reason == (
        "Option 1 (24 months) exercised: Performance is good and the budget is confirmed"
    )
    contract = Contract.objects.with_related().get(pk=contract.pk)
    assert contract.version == 2
    assert contract.history.latest().history_user == commissioner
    assert figures_for(contract, today=TODAY).current_end == date(2029, 1, 31)
    page = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "Decision 26/00012" in page
    assert "Option 1 (24 months) exercised" in page  # in the history
    assert "Exercise or decline option 2" in page  # the next one is offered


@time_machine.travel(TODAY, tick=False)
def test_declining_an_option_drops_it_from_the_maximum_end(commissioner_client):
    contract = kent_contract()
    first = contract.options.get(sequence=1)
    _decide(commissioner_client, contract, first, outcome="decline", reason="Re-procure")
    assert _options(contract) == [(1, "declined"), (2, "pending")]
    contract = Contract.objects.with_related().get(pk=contract.pk)
    figures = figures_for(contract, today=TODAY)
    assert figures.current_end == date(2027, 1, 31)
    assert figures.maximum_end == date(2028, 1, 31)  # only the 12-month option is left


@time_machine.travel(TODAY, tick=False)
def test_options_are_decided_in_order(commissioner_client):
    contract = kent_contract()
    second = contract.options.get(sequence=2)
    response = _decide(commissioner_client, contract, second)
    assert response.status_code == 302
    assert _options(contract) == [(1, "pending"), (2, "pending")]
    page = commissioner_client.get(response.url).content.decode()
    assert "decided by someone else meanwhile" in page


@time_machine.travel(TODAY, tick=False)
def test_the_same_form_submitted_twice_decides_only_one_option(commissioner_client):
    contract = kent_contract()
    first = contract.options.get(sequence=1)
    _decide(commissioner_client, contract, first)
    _decide(commissioner_client, contract, first)
    assert _options(contract) == [(1, "exercised"), (2, "pending")]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reason": ""}, "reason", "Enter the reason for the decision."),
        ({"outcome": ""}, "outcome", "Choose whether to exercise or decline the option."),
        ({"decided_on": "31/02/2026"}, "decided_on", "Enter a real date."),
    ],
)
def test_a_decision_without_its_details_is_refused_at_the_field(
    commissioner_client, fields, field, message
):
    contract = kent_contract()
    response = _decide(commissioner_client, contract, contract.options.get(sequence=1), **fields)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert response.content.decode().count("govuk-error-summary") >= 1
    assert _options(contract) == [(1, "pending"), (2, "pending")]


@time_machine.travel(TODAY, tick=False)
def test_a_contract_with_every_option_decided_has_nothing_to_decide(commissioner_client):
    contract = kent_contract()
    for option in contract.options.order_by("sequence"):
        _decide(commissioner_client, contract, option)
    response = commissioner_client.get(reverse("contracts:option_decide", args=[contract.pk]))
    assert response.status_code == 302
    assert _options(contract) == [(1, "exercised"), (2, "exercised")]


@pytest.mark.parametrize("client_name", ["auditor_client", "clerk_client", "outsider_client"])
def test_only_commissioners_may_decide_options(request, client_name):
    contract = kent_contract()
    client = request.getfixturevalue(client_name)
    response = _decide(client, contract, contract.options.get(sequence=1))
    assert response.status_code == 403
    assert _options(contract) == [(1, "pending"), (2, "pending")]


@time_machine.travel(TODAY, tick=False)
def test_the_decision_page_shows_the_end_if_exercised_and_only_this_councils_decisions(
    commissioner_client,
):
    contract = kent_contract()
    mine = DecisionFactory(number="26/00001", authority=contract.lead_authority)
    other = DecisionFactory(number="26/00002")  # another council's
    response = commissioner_client.get(reverse("contracts:option_decide", args=[contract.pk]))
    assert response.context["end_if_exercised"] == date(2029, 1, 31)
    assert "31 January 2029" in response.content.decode()
    choices = list(response.context["form"].fields["authorising_decision"].queryset)
    assert mine in choices and other not in choices
    refused = _decide(
        commissioner_client,
        contract,
        contract.options.get(sequence=1),
        authorising_decision=other.number,
    )
    assert "authorising_decision" in refused.context["form"].errors
    assert _options(contract) == [(1, "pending"), (2, "pending")]


@time_machine.travel(TODAY, tick=False)
@pytest.mark.parametrize(
    ("status", "decision_date", "warning"),
    [
        ("planned", date(2026, 7, 1), "Decision 26/00040 has not been taken yet."),
        ("planned", None, "Decision 26/00040 has not been taken yet."),
        (
            "taken",
            date(2026, 5, 20),
            "Decision 26/00040 is dated 20 May 2026, after this decision (15 May 2026).",
        ),
    ],
)
def test_an_option_resting_on_a_decision_not_yet_taken_is_warned_and_needs_confirming(
    commissioner_client, status, decision_date, warning
):
    contract = kent_contract()
    first = contract.options.get(sequence=1)
    DecisionFactory(
        number="26/00040",
        authority=contract.lead_authority,
        status=status,
        decision_date=decision_date,
    )
    warned = _decide(commissioner_client, contract, first, authorising_decision="26/00040")
    assert warned.status_code == 200
    assert warning in warned.content.decode()
    first.refresh_from_db()
    assert first.status == ExtensionOption.Status.PENDING
    confirmed = _decide(
        commissioner_client, contract, first, authorising_decision="26/00040", record_anyway="on"
    )
    assert confirmed.status_code == 302
    first.refresh_from_db()
    assert first.status == ExtensionOption.Status.EXERCISED


@pytest.mark.parametrize(
    ("taken", "decision_date", "expected"),
    [
        (True, date(2026, 5, 15), []),  # taken the same day: fine
        (True, date(2026, 5, 1), []),
        (True, None, []),
        (False, date(2026, 5, 1), ["Decision X has not been taken yet."]),
        (
            False,
            date(2026, 6, 1),
            [
                "Decision X has not been taken yet.",
                "Decision X is dated 1 June 2026, after this decision (15 May 2026).",
            ],
        ),
    ],
)
def test_authorisation_warnings_table(taken, decision_date, expected):
    from contracts import rules

    assert (
        rules.authorisation_warnings(
            decided_on=date(2026, 5, 15),
            decision_number="X",
            decision_taken=taken,
            decision_date=decision_date,
        )
        == expected
    )
