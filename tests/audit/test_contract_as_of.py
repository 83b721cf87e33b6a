"""The auditors' history page of a contract, as it stood on a date: its figures,
options and shares then (contracts.asof, as its documents of that date show them),
not only its own fields."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.contracts.factories import AuthorityFactory, OptionFactory, ShareFactory, kent_contract

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
ENTERED, AS_OF, EXERCISED = date(2024, 1, 10), date(2024, 7, 2), date(2026, 12, 1)


def on(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False
    )


def _page(client, contract, as_of=AS_OF):
    return client.get(
        reverse("audit:record", args=["contracts.contract", contract.pk]),
        {"as_of": as_of.isoformat()},
    )


def _row(key: str, value: str) -> str:
    return (
        f'<dt class="govuk-summary-list__key">{key}</dt>'
        f'<dd class="govuk-summary-list__value">{value}</dd>'
    )


def test_the_contract_shows_its_figures_as_they_stood_before_a_later_option_exercise(
    auditor_client,
):
    with on(ENTERED):
        contract = kent_contract()  # 1 Feb 2025 to 31 Jan 2027, options of 24 and 12 months
        ShareFactory(contract=contract, authority=contract.lead_authority, percentage=Decimal(60))
        ShareFactory(contract=contract, authority=AuthorityFactory(), percentage=Decimal(40))
    option = contract.options.get(sequence=1)
    with on(EXERCISED):
        option.status, option.decided_on = "exercised", EXERCISED
        option.save()

    body = _page(auditor_client, contract).content.decode()
    assert _row("Current end", "31 January 2027") in body
    assert _row("Maximum end (all options)", "31 January 2030") in body
    assert _row("Value to the current end", "£1,615,380.32") in body  # two years, 1% uplift
    assert _row("Whole-life value (to the maximum end)", "£4,099,533.88") in body
    as_it_stood = body.split('id="history"')[0]  # the history below lists every change
    assert "Exercised" not in as_it_stood
    assert "£482,203.08" in body  # 60% of the annual value

    # Today, the same page shows it exercised, to 31 January 2029.
    body = _page(auditor_client, contract, as_of=EXERCISED).content.decode()
    assert _row("Current end", "31 January 2029") in body
    assert "Exercised" in body.split('id="history"')[0]


def test_a_contract_entered_after_the_date_shows_no_figures(auditor_client):
    contract = kent_contract()
    response = _page(auditor_client, contract)
    assert response.context["contract_as_of"] is None
    assert "The record did not exist yet on that date." in response.content.decode()


def test_other_records_show_only_their_fields(auditor_client):
    with on(ENTERED):
        authority = AuthorityFactory()
    response = auditor_client.get(
        reverse("audit:record", args=["contracts.authority", authority.pk]),
        {"as_of": AS_OF.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["contract_as_of"] is None


def _queries_for(client, n: int) -> int:
    """The page's queries for a contract with ``n`` options, ``n`` shares and ``n``
    changes in its history before the date."""
    with on(ENTERED):
        contract = kent_contract(reference=f"KCC-QUERIES-{n}")
        contract.options.all().delete()
        for sequence in range(1, n + 1):
            OptionFactory(contract=contract, sequence=sequence, months=1)
        for _ in range(n):
            ShareFactory(contract=contract, percentage=Decimal(100) / n)
    for day in range(n):
        with on(date(2024, 2, 1 + day % 28)):
            contract.notes = f"Change {day}"
            contract.save()
    with CaptureQueriesContext(connection) as queries:
        response = _page(client, contract)
    assert response.status_code == 200
    assert len(response.context["contract_as_of"]["options"]) == n
    return len(queries)


def test_the_page_runs_the_same_number_of_queries_for_2_or_50_options_shares_and_changes(
    auditor_client,
):
    assert _queries_for(auditor_client, 2) == _queries_for(auditor_client, 50)
