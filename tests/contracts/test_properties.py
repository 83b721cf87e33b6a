"""Property tests (hypothesis) for the value bounds (ui.bounds, issue 10 item 4).

- The contract rules raise nothing for any input inside the bounds, and a boundary
  record (1990 to 2100 with 30-year options and a 25% uplift) computes.
- The contract and decision forms, given any dates, amounts, percentages and text
  (out of bounds and with control characters too), either refuse the input with a
  field error, or save it; and then every page that reads the record answers 200.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal, localcontext

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from contracts import rules
from contracts.figures import figures_for
from contracts.models import Authority, Contract, CostShare, ExtensionOption
from decisions.models import Decision
from tests.contracts.factories import AuthorityFactory
from tests.contracts.forms_data import contract_post
from ui.bounds import (
    DATE_MAX,
    DATE_MIN,
    MAX_TERM_MONTHS,
    MONEY_MAX,
    UPLIFT_FROM_YEAR_MAX,
    UPLIFT_MAX_PERCENT,
)

PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- The rules, inside the bounds -------------------------------------------------------

money = st.decimals(min_value=0, max_value=MONEY_MAX, places=2)
bounded_dates = st.dates(min_value=DATE_MIN, max_value=DATE_MAX)


@st.composite
def bounded_contracts(draw):
    """The inputs of the contract rules as the models allow them."""
    start = draw(bounded_dates)
    longest = min(rules.term_end(start, MAX_TERM_MONTHS), DATE_MAX)
    end = draw(st.dates(min_value=start, max_value=longest))
    months_left = MAX_TERM_MONTHS
    options = []
    for _ in range(draw(st.integers(0, 4))):
        if months_left < 1:
            break
        months = draw(st.integers(1, months_left))
        months_left -= months
        price = draw(st.none() | money)
        status = draw(st.sampled_from(rules.OPTION_STATUSES))
        options.append(rules.Option(months=months, price=price, status=status))
    return {
        "start": start,
        "initial_end": end,
        "annual_value": draw(money),
        "uplift_percent": draw(st.decimals(min_value=0, max_value=UPLIFT_MAX_PERCENT, places=3)),
        "uplift_from_year": draw(st.integers(2, UPLIFT_FROM_YEAR_MAX)),
        "options": options,
    }


# The brief's boundary record: wider than the models allow (a 111-year term, 90 years
# of options) and still no OverflowError or InvalidOperation.
BOUNDARY = {
    "start": DATE_MIN,
    "initial_end": DATE_MAX,
    "annual_value": MONEY_MAX,
    "uplift_percent": UPLIFT_MAX_PERCENT,
    "uplift_from_year": 2,
    "options": [rules.Option(months=MAX_TERM_MONTHS)] * 3,
}


class _Rows(list):
    def all(self):
        return self


class _StandIn:
    """An unsaved contract with its options and a share, for figures_for."""

    def __init__(self, contract: Contract, options, shares):
        self._contract, self.options, self.shares = contract, _Rows(options), _Rows(shares)

    def __getattr__(self, name):
        return getattr(self._contract, name)


@PROPERTY
@given(contract=bounded_contracts(), today=bounded_dates)
@example(contract=BOUNDARY, today=DATE_MAX)
@example(contract=BOUNDARY, today=DATE_MIN)
def test_the_contract_rules_raise_nothing_inside_the_bounds(contract, today):
    with localcontext() as context:
        context.prec = rules.MONEY_PRECISION  # for this test's own sums of the boundary record
        _check_rules(contract, today)


def _check_rules(contract, today):
    years = rules.contract_years(**contract)
    whole_life = rules.whole_life_value(**contract)
    assert whole_life == sum((y.amount for y in years), Decimal("0.00"))
    assert rules.value_to_current_end(**contract) <= whole_life
    assert rules.value_to(today, **contract) <= whole_life
    options = contract["options"]
    maximum = rules.maximum_end(contract["initial_end"], rules.available_option_months(options))
    current = rules.current_end(contract["initial_end"], rules.exercised_option_months(options))
    assert contract["initial_end"] <= current <= maximum
    rules.time_remaining(today, maximum)
    rules.format_money(whole_life)
    rules.reconcile("£4.1m", whole_life)
    assert sum(rules.financial_year_profile(years).values()) == whole_life
    status = rules.derive_status(
        today, start=contract["start"], initial_end=contract["initial_end"], current_end=current
    )
    assert status in rules.CONTRACT_STATUSES
    stand_in = Contract(
        reference="P-1",
        title="Property",
        start_date=contract["start"],
        initial_end_date=contract["initial_end"],
        annual_value=contract["annual_value"],
        annual_uplift_percent=contract["uplift_percent"],
        uplift_from_year=contract["uplift_from_year"],
    )
    options = [
        ExtensionOption(sequence=n, months=o.months, price=o.price, status=o.status)
        for n, o in enumerate(options, start=1)
    ]
    shares = [
        CostShare(authority=Authority(name="North"), percentage=Decimal("48.6")),
        CostShare(authority=Authority(name="West"), percentage=Decimal("51.4")),
    ]
    figures = figures_for(_StandIn(stand_in, options, shares), today=today)
    assert figures.whole_life_value == whole_life
    assert sum(s.whole_life for s in figures.shares) == whole_life
    figures.financial_years  # noqa: B018 - worked out on first use


def test_the_boundary_record_computes_past_the_model_bounds():
    """Not only inside the bounds: 1990 to 2100, then 90 years of options, to 2190."""
    assert rules.maximum_end(DATE_MAX, [360, 360, 360]) == date(2190, 12, 31)
    assert rules.whole_life_value(**BOUNDARY) > MONEY_MAX
    exercised = [replace(o, status=rules.EXERCISED) for o in BOUNDARY["options"]]
    assert rules.value_to_current_end(**(BOUNDARY | {"options": exercised})) > 0


# --- The forms: refuse, or save and every page answers 200 -------------------------------

EXTREME_DATES = [
    "01/01/0001",
    "31/12/1899",
    "31/12/1989",
    "01/01/1990",
    "31/12/2100",
    "01/01/2101",
    "31/12/9998",
    "31/12/9999",
    "29/02/2023",
    "29/02/2100",
    "29/02/2024",
    "00/01/2025",
    "32/01/2025",
    "1/1/25",
    "",
]


def _typed(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


dates_typed = st.one_of(
    st.sampled_from(EXTREME_DATES),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(_typed),
    st.dates(min_value=date(1985, 1, 1), max_value=date(2105, 12, 31)).map(_typed),
)
money_typed = st.one_of(
    st.sampled_from(["£10,000,000,000.00", "£10,000,000,000.01", "1" * 40, "£2.5bn", "-1", ""]),
    st.decimals(min_value=-(10**12), max_value=10**12, places=2).map(str),
    st.integers(min_value=0, max_value=10**45).map(str),
)
percent_typed = st.one_of(
    st.sampled_from(["0", "25", "25.001", "100", "-0.5", "1e3"]),
    st.decimals(min_value=-10, max_value=150, places=3).map(str),
)
text_typed = st.one_of(
    st.text(max_size=40),  # every character, controls included
    st.sampled_from(["Plain title", "NUL\x00", "Two\r\nlines", "Tab\tted", "x" * 301]),
)


def _assert_refused_with_a_field_error(response) -> None:
    assert response.status_code == 200
    context = response.context
    form_errors = context["form"].errors
    formset_errors = [
        e for name in ("options", "shares") if name in context for e in context[name].errors
    ]
    assert form_errors or any(formset_errors)


@pytest.fixture
def property_client(commissioner, clerk):
    clients = {}
    for user in (commissioner, clerk):
        client = Client()
        client.force_login(user)
        clients[user.username] = client
    AuthorityFactory(name="Kent County Council")
    return clients


CONTRACT_PAGES = [
    ("home", None, {}),
    ("contracts:list", None, {}),
    ("contracts:list", None, {"_export": "csv"}),
    ("contracts:list", None, {"_export": "xlsx"}),
    ("contracts:export", None, {}),
    ("contracts:detail", "pk", {}),
    ("contracts:delete", "pk", {}),
    ("contracts:edit", "pk", {}),
    ("grants:summary_contracts", None, {}),
    ("grants:summary_service_areas", None, {}),
]


@pytest.mark.django_db
@PROPERTY
@given(
    start=dates_typed,
    end=dates_typed,
    terminated=st.one_of(st.just(""), dates_typed),
    annual_value=money_typed,
    uplift=percent_typed,
    uplift_from_year=st.integers(-5, 3000).map(str),
    title=text_typed,
    option_months=st.lists(st.integers(-1, 400), max_size=3),
    notice=dates_typed,
)
@example(
    start="01/01/2071",
    end="31/12/2100",
    terminated="",
    annual_value="£10,000,000,000.00",
    uplift="25",
    uplift_from_year="60",
    title="Boundary",
    option_months=[360],
    notice="31/12/2100",
)
def test_the_contract_form_refuses_or_saves_a_record_every_page_can_show(
    property_client,
    start,
    end,
    terminated,
    annual_value,
    uplift,
    uplift_from_year,
    title,
    option_months,
    notice,
):
    client = property_client["commissioner"]
    data = contract_post(
        start_date=start,
        initial_end_date=end,
        terminated_on=terminated,
        annual_value=annual_value,
        annual_uplift_percent=uplift,
        uplift_from_year=uplift_from_year,
        title=title,
        options=[(m, "", notice) for m in option_months],
    )
    with transaction.atomic():
        response = client.post(reverse("contracts:create"), data)
        if response.status_code != 302:
            _assert_refused_with_a_field_error(response)
            assert not Contract.objects.exists()
        else:
            contract = Contract.objects.get()
            for name, arg, query in CONTRACT_PAGES:
                url = reverse(name, args=[contract.pk] if arg else [])
                assert client.get(url, query).status_code == 200, (name, query)
        transaction.set_rollback(True)


DECISION_PAGES = [
    ("home", None),
    ("decisions:list", None),
    ("decisions:forward_plan", None),
    ("decisions:detail", "pk"),
    ("decisions:edit", "pk"),
    ("decisions:report_pdf", "pk"),
    ("decisions:record_pdf", "pk"),
    ("decisions:notice_pdf", "pk"),
]


@pytest.mark.django_db
@settings(PROPERTY, max_examples=40)
@given(
    number=st.one_of(st.just(""), st.sampled_from(["24/00001\r\n", "24/00002", "24/0\x003"])),
    title=text_typed,
    meeting=dates_typed,
    decided=dates_typed,
    published=dates_typed,
    amount=money_typed,
    summary=st.text(max_size=40),
)
@example(
    number="24/00001",
    title="Boundary",
    meeting="01/01/1990",
    decided="31/12/2100",
    published="31/12/2100",
    amount="£10,000,000,000.00",
    summary="Lines\r\nand\ttabs",
)
def test_the_decision_form_refuses_or_saves_a_record_every_page_can_show(
    property_client, number, title, meeting, decided, published, amount, summary
):
    client = property_client["clerk"]
    authority = AuthorityFactory(name="Kent County Council")
    data = {
        "authority": authority.pk,
        "number": number,
        "title": title,
        "decision_type": "executive_non_key",
        "status": "made",
        "decision_maker": "Dan Watkins",
        "decision_maker_role": "Cabinet Member",
        "report_to": "Cabinet Committee",
        "meeting_date": meeting,
        "decision_date": decided,
        "published_on": published,
        "amount_involved": amount,
        "electoral_divisions": "All",
        "summary": summary,
    }
    with transaction.atomic():
        response = client.post(reverse("decisions:create"), data)
        if response.status_code != 302:
            _assert_refused_with_a_field_error(response)
            assert not Decision.objects.exists()
        else:
            decision = Decision.objects.get()
            for name, arg in DECISION_PAGES:
                url = reverse(name, args=[decision.pk] if arg else [])
                assert client.get(url).status_code == 200, name
        transaction.set_rollback(True)
