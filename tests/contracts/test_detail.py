"""The contract page: every figure, the schedule, the shares, the timeline, the history."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.figures import figures_for
from contracts.timeline import timeline_svg
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ShareFactory,
    kent_contract,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@time_machine.travel(TODAY, tick=False)
def test_the_page_shows_the_kent_seed_figures_and_schedule(commissioner_client):
    contract = kent_contract(reference="KCC-YP")
    response = commissioner_client.get(reverse("contracts:detail", args=[contract.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "1 February 2025",  # start
        "31 January 2027",  # end of the initial term and current end
        "31 January 2030",  # maximum end
        "£4,099,533.88",  # whole-life value
        "£1,615,380.32",  # value to the current end: years 1 and 2
        "£803,671.80",
        "£811,708.52",
        "£819,825.60",
        "£828,023.86",
        "£836,304.10",
        "Agrees",
        "Live",
        "8 months",  # time remaining: to 31 Jan 2027
    ]:
        assert text in html, text
    schedule = response.context["figures"].years
    assert [y.source for y in schedule] == ["core", "core", "option 1", "option 1", "option 2"]


@time_machine.travel(TODAY, tick=False)
def test_a_mismatch_is_flagged_with_both_figures(commissioner_client):
    contract = kent_contract(reference="KCC-YP")
    contract.stated_whole_life_value = "£4.2m"
    contract.save()
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "Mismatch" in html
    assert "stated £4.2m, computed £4,099,533.88" in html
    assert "does not match the computed £4,099,533.88" in html


@time_machine.travel(TODAY, tick=False)
def test_the_shares_table_adds_up_to_the_penny(commissioner_client):
    north = AuthorityFactory(name="North Northamptonshire Council")
    west = AuthorityFactory(name="West Northamptonshire Council")
    contract = ContractFactory(
        lead_authority=west, annual_value=Decimal("93000.01"), annual_uplift_percent=0
    )
    ShareFactory(contract=contract, authority=north, percentage=Decimal("48.6"))
    ShareFactory(contract=contract, authority=west, percentage=Decimal("51.4"))
    response = commissioner_client.get(contract.get_absolute_url())
    shares = response.context["figures"].shares
    assert [(str(s.authority), s.annual) for s in shares] == [
        ("North Northamptonshire Council", Decimal("45198.00")),
        ("West Northamptonshire Council", Decimal("47802.01")),
    ]
    assert sum(s.whole_life for s in shares) == response.context["figures"].whole_life_value


@time_machine.travel(TODAY, tick=False)
def test_the_page_runs_the_same_queries_however_many_options_and_shares(commissioner_client):
    def count(contract) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert commissioner_client.get(contract.get_absolute_url()).status_code == 200
        return len(queries)

    small = ContractFactory(reference="SMALL")
    OptionFactory(contract=small, sequence=1, months=12)
    ShareFactory(contract=small, percentage=Decimal("100"))
    big = ContractFactory(reference="BIG")
    for n in range(1, 6):
        OptionFactory(contract=big, sequence=n, months=12)
    for percentage in ("20", "30", "50"):
        ShareFactory(contract=big, percentage=Decimal(percentage))
    count(small)  # warm the session and permission caches
    assert count(small) == count(big)


def test_the_timeline_draws_each_option_today_and_notice_deadlines():
    contract = ContractFactory.build(
        pk=7,
        reference="T-1",
        start_date=date(2025, 2, 1),
        initial_end_date=date(2027, 1, 31),
    )
    options = [
        OptionFactory.build(
            sequence=1, months=24, status="exercised", notice_deadline=date(2026, 7, 31)
        ),
        OptionFactory.build(sequence=2, months=12, status="declined"),
        OptionFactory.build(sequence=3, months=6, notice_deadline=date(2029, 6, 30)),
    ]

    prefetched = _Prefetched(contract, options)
    svg = timeline_svg(prefetched, figures_for(prefetched, today=TODAY), TODAY)
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    for text in [
        "Initial term",
        "Option 1: 24 months, exercised",
        "Option 2: 12 months, declined",
        "Option 3: 6 months, pending",
        "notice by 31 Jul 2026",
        "notice by 30 Jun 2029",
        "Today, 1 Jun 2026",
        "maximum end 31 Jul 2029",  # declined option 2 is skipped
    ]:
        assert text in svg, text
    assert svg.count('fill="#ffdd00"') == 2  # a diamond per notice deadline


class _Prefetched:
    """A contract with its options given, as ``with_related()`` would prefetch them."""

    def __init__(self, contract, options):
        self._contract = contract
        self.options = _Rows(options)
        self.shares = _Rows([])
        self.modifications = _Rows([])

    def __getattr__(self, name):
        return getattr(self._contract, name)


class _Rows(list):
    def all(self):
        return self


@time_machine.travel(TODAY, tick=False)
def test_the_history_shows_edits_to_the_contract_its_options_and_shares(commissioner_client):
    contract = kent_contract(reference="KCC-YP")
    contract.title = "Renamed service"
    contract._change_reason = "Title agreed with the provider"
    contract.save()
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "Title agreed with the provider" in html
    assert "Renamed service" in html
    assert "Option 1" in html  # the options' own history rows are listed too


def test_a_contract_that_does_not_exist_is_a_404(commissioner_client):
    assert commissioner_client.get(reverse("contracts:detail", args=[999999])).status_code == 404


def test_an_outsider_cannot_read_a_contract(outsider_client):
    contract = ContractFactory()
    assert outsider_client.get(contract.get_absolute_url()).status_code == 403


@pytest.mark.parametrize(
    ("statuses", "months"),
    [
        ([], []),
        (["pending", "pending"], [24, 12]),
        (["exercised", "pending"], [24, 12]),
        (["declined", "exercised"], [24, 12]),
        (["exercised", "exercised"], [7, 5]),
        # Out of order (only the admin site could do it): the current end then falls
        # inside the pending option's period, and the rule cuts the row there.
        (["pending", "exercised"], [24, 12]),
    ],
)
def test_the_value_to_the_current_end_is_the_rules_figure(statuses, months):
    from contracts import rules
    from contracts.figures import rule_options

    contract = ContractFactory.build(
        start_date=date(2024, 4, 1), initial_end_date=date(2025, 1, 31)
    )
    options = [
        OptionFactory.build(sequence=n, months=m, status=s)
        for n, (m, s) in enumerate(zip(months, statuses, strict=True), start=1)
    ]
    prefetched = _Prefetched(contract, options)
    figures = figures_for(prefetched, today=TODAY)
    assert figures.value_to_current_end == rules.value_to_current_end(
        contract.start_date,
        contract.initial_end_date,
        contract.annual_value,
        contract.annual_uplift_percent,
        contract.uplift_from_year,
        options=rule_options(prefetched),
    )
    assert sum(figures.financial_years.values()) == figures.whole_life_value
