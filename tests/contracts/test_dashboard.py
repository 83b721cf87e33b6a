"""The contracts panel on the home page, chosen by the database from stored figures."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contracts import dashboard
from contracts.models import ExtensionOption
from tests.contracts.factories import ContractFactory, OptionFactory

pytestmark = pytest.mark.django_db


def _contract_ending_in(days: int, **kwargs):
    today = timezone.localdate()
    return ContractFactory(
        start_date=today - timedelta(days=400),
        initial_end_date=today + timedelta(days=days),
        **kwargs,
    )


def _panel(user):
    return dashboard.home_panel(user)


def test_contracts_ending_soon_are_listed_soonest_first_by_their_current_end(commissioner):
    later = _contract_ending_in(30, reference="LATER")
    # Its initial end is in the window, but an exercised option moved its end past it.
    extended = _contract_ending_in(10, reference="EXTENDED")
    OptionFactory(contract=extended, months=12, status=ExtensionOption.Status.EXERCISED)
    # An option exercised moves this one from past its initial end into the window.
    ended = _contract_ending_in(-20, reference="ENDED")
    OptionFactory(contract=ended, months=1, status=ExtensionOption.Status.EXERCISED)
    sooner = _contract_ending_in(5, reference="SOONER")
    _contract_ending_in(5, reference="GONE", terminated_on=timezone.localdate())
    _contract_ending_in(dashboard.ENDING_WITHIN_DAYS + 1, reference="TOO-LATE")
    panel = _panel(commissioner)
    assert [row.contract for row in panel["ending"]] == [sooner, ended, later]
    assert panel["ending_count"] == 3
    assert panel["ending"][0].figures.current_end == sooner.initial_end_date


def test_option_decisions_due_are_listed_by_their_next_notice_deadline(commissioner):
    today = timezone.localdate()
    first = _contract_ending_in(300, reference="FIRST")
    OptionFactory(contract=first, sequence=1, notice_deadline=today + timedelta(days=3))
    second = _contract_ending_in(300, reference="SECOND")
    # A missed deadline is skipped: the next pending one counts.
    OptionFactory(contract=second, sequence=1, notice_deadline=today - timedelta(days=3))
    OptionFactory(contract=second, sequence=2, notice_deadline=today + timedelta(days=40))
    decided = _contract_ending_in(300, reference="DECIDED")
    OptionFactory(
        contract=decided,
        notice_deadline=today + timedelta(days=1),
        status=ExtensionOption.Status.DECLINED,
    )
    far = _contract_ending_in(300, reference="FAR")
    OptionFactory(contract=far, notice_deadline=today + timedelta(days=200))
    panel = _panel(commissioner)
    assert [row.contract for row in panel["due"]] == [first, second]
    assert [row.figures.next_option_deadline.number for row in panel["due"]] == [1, 2]
    assert panel["due_count"] == 2


def test_the_panel_shows_the_first_rows_and_links_to_all_of_them(commissioner_client):
    for n in range(dashboard.PANEL_ROWS + 2):
        _contract_ending_in(n + 1, reference=f"END-{n:02d}")
    page = commissioner_client.get(reverse("home")).content.decode()
    body = page.split('id="contracts-panel"')[1].split("</section>")[0]
    assert "END-00" in body
    assert f"END-{dashboard.PANEL_ROWS - 1:02d}" in body
    assert f"END-{dashboard.PANEL_ROWS:02d}" not in body
    assert f"All {dashboard.PANEL_ROWS + 2} contracts ending in the next" in body


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(queries)


def test_the_home_page_runs_the_same_number_of_queries_for_2_or_50_contracts(
    commissioner_client,
):
    today = timezone.localdate()

    def add(count: int) -> None:
        for n in range(count):
            contract = _contract_ending_in(n % 100 + 1)
            OptionFactory(contract=contract, notice_deadline=today + timedelta(days=n % 90 + 1))

    add(2)
    few = _home_queries(commissioner_client)
    add(48)
    assert _home_queries(commissioner_client) == few
