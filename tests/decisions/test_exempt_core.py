"""Exempt information is decided in one place (decisions.visibility), whatever the path.

The commissioner and an uncleared clerk are not cleared for exempt information; the
``clerk`` fixture is. The leak walk (test_exempt_leaks.py) greps every URL; these tests
pin the rules it rests on: history restricted at read time, edits refused, sorting and
filtering that give nothing away, and an admin that shows uncleared staff nothing.
"""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import CLERK
from audit.history import history_rows
from decisions.models import Decision, Recommendation
from decisions.panels import contract_panel
from tests.accounts.factories import UserFactory
from tests.contracts.factories import AuthorityFactory, ContractFactory
from tests.decisions.factories import (
    DecisionContractLinkFactory,
    DecisionFactory,
    DecisionRelationFactory,
    PathwayStageFactory,
    RecommendationFactory,
    ReportSectionFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "Quokkasecret"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def uncleared_clerk(roles):
    return UserFactory(username="uncleared-clerk", role=CLERK)


@pytest.fixture
def uncleared_clerk_client(uncleared_clerk):
    return _client(uncleared_clerk)


def _make_exempt(decision, paragraph=3):
    """The shell's way: no form, no view, no service."""
    decision.exempt_paragraph = paragraph
    decision.save()


# --- History, restricted at read time ------------------------------------------------


def test_a_decision_made_exempt_in_the_shell_hides_its_earlier_history_without_updating_it(
    commissioner, clerk
):
    decision = DecisionFactory(summary=f"{SECRET} summary")
    recommendation = RecommendationFactory(decision=decision, text=f"award to {SECRET}")
    _make_exempt(decision)

    earlier = decision.history.order_by("history_date", "history_id").first()
    assert earlier.restricted is False  # the row is as it was written
    for history in (decision.history.all(), recommendation.history.all()):
        rows = history_rows(history, commissioner)
        assert rows and all(r.redacted and not r.changes for r in rows)
        assert not any(SECRET in r.record_label for r in rows)
        assert not any(r.redacted for r in history_rows(history, clerk))
    assert history_rows(recommendation.history.all(), commissioner)[0].record_label == (
        f"{decision.number}: recommendation"
    )


def test_history_follows_the_classification_now_but_keeps_what_was_restricted_when_written(
    commissioner,
):
    decision = DecisionFactory(summary="Open at first")
    _make_exempt(decision)
    assert [r.redacted for r in history_rows(decision.history.all(), commissioner)] == [
        True,
        True,
    ]
    decision.summary = f"{SECRET} while exempt"
    decision.save()
    decision.exempt_paragraph = None
    decision.public_interest_reason = ""
    decision.save()
    rows = history_rows(decision.history.all(), commissioner)
    # Newest first: declassified (written unrestricted), the exempt edit (restricted when
    # written, so still hidden), made exempt (likewise), and the open creation.
    assert [r.redacted for r in rows] == [False, True, True, False]


def test_a_deleted_exempt_decisions_history_stays_restricted(commissioner, auditor_client):
    decision = DecisionFactory(summary=f"{SECRET} summary")
    RecommendationFactory(decision=decision, text=f"award to {SECRET}")
    decision_id = decision.pk
    _make_exempt(decision)
    decision.delete()
    rows = history_rows(Decision.history.filter(id=decision_id), commissioner)
    assert rows and all(r.redacted for r in rows)
    feed = auditor_client.get(reverse("audit:changes"), {"_export": "csv"}).getvalue().decode()
    assert SECRET not in feed
    assert Recommendation.history.filter(decision_id=decision_id).exists()


def test_strategic_priorities_changed_before_exemption_are_hidden_with_the_rest(
    commissioner,
):
    from contracts.models import StrategicPriority

    decision = DecisionFactory()
    priority = StrategicPriority.objects.create(strategy="Drugs", name=f"{SECRET} priority")
    decision.strategic_priorities.add(priority)
    decision.save()  # simple-history records m2m changes with the next historical row
    _make_exempt(decision)
    rows = history_rows(decision.history.all(), commissioner)
    assert not any(SECRET in str(change) for r in rows for change in r.changes)


# --- Editing needs clearance -----------------------------------------------------------


def test_editing_an_exempt_decision_or_any_of_its_parts_needs_clearance(
    uncleared_clerk_client, clerk_client
):
    decision = DecisionFactory(exempt_paragraph=3, public_interest_reason="Prices")
    parts = {
        "recommendation": RecommendationFactory(decision=decision),
        "section": ReportSectionFactory(decision=decision),
        "stage": PathwayStageFactory(decision=decision),
        "contract_link": DecisionContractLinkFactory(decision=decision, contract=ContractFactory()),
        "relation": DecisionRelationFactory(decision=decision),
    }
    urls = [reverse("decisions:edit", args=[decision.pk])]
    for kind, part in parts.items():
        urls += [
            reverse(f"decisions:{kind}_add", args=[decision.pk]),
            reverse(f"decisions:{kind}_edit", args=[decision.pk, part.pk]),
            reverse(f"decisions:{kind}_delete", args=[decision.pk, part.pk]),
        ]
    urls += [reverse(f"decisions:{d}_pdf", args=[decision.pk]) for d in ("report", "record")]
    for url in urls:
        assert uncleared_clerk_client.get(url).status_code == 403, url
        assert uncleared_clerk_client.post(url, {"reason": "x"}).status_code == 403, url
    assert Recommendation.objects.filter(pk=parts["recommendation"].pk).exists()
    for url in urls[:4]:
        assert clerk_client.get(url).status_code == 200, url


# --- Sorting and filtering -------------------------------------------------------------

SORT_KEYS = [
    None,
    "decision_maker",
    "-decision_maker",
    "decision_date",
    "-decision_date",
    "decision_type",
    "-decision_type",
    "status",
    "-status",
    "is_key_decision",
    "-is_key_decision",
]


@pytest.fixture
def mixed_register():
    """Three open decisions, and two exempt ones whose withheld fields can be swapped."""
    authority = AuthorityFactory()
    for number, maker, day, status in [
        ("24/00010", "Bea", date(2024, 5, 1), Decision.Status.PLANNED),
        ("24/00011", "Max", date(2024, 6, 1), Decision.Status.TAKEN),
        ("24/00012", "Sam", date(2024, 7, 1), Decision.Status.WITHDRAWN),
    ]:
        DecisionFactory(
            authority=authority,
            number=number,
            decision_maker=maker,
            decision_date=day,
            status=status,
        )
    low = DecisionFactory(
        authority=authority,
        number="24/00020",
        decision_maker="Aaron",
        exempt_paragraph=3,
        decision_date=date(2024, 1, 1),
        status=Decision.Status.PLANNED,
        decision_type=Decision.Type.BOARD,
        is_key_decision=False,
    )
    high = DecisionFactory(
        authority=authority,
        number="24/00021",
        decision_maker="Zed",
        exempt_paragraph=3,
        decision_date=date(2024, 12, 1),
        status=Decision.Status.WITHDRAWN,
        decision_type=Decision.Type.OFFICER,
        is_key_decision=True,
    )
    return low, high


def _swap_withheld_fields(a, b):
    fields = ("decision_maker", "decision_date", "status", "decision_type", "is_key_decision")
    values_a = {f: getattr(a, f) for f in fields}
    for f in fields:
        setattr(a, f, getattr(b, f))
        setattr(b, f, values_a[f])
    a.save()
    b.save()


def _order(client, sort) -> list[str]:
    params = {"sort": sort} if sort else {}
    response = client.get(reverse("decisions:list"), params)
    return [row.record.number for row in response.context["table"].page.object_list]


def test_sorting_by_a_withheld_column_places_exempt_rows_by_number_only(
    commissioner_client, clerk_client, mixed_register
):
    before = {key: _order(commissioner_client, key) for key in SORT_KEYS}
    cleared_before = {key: _order(clerk_client, key) for key in SORT_KEYS}
    _swap_withheld_fields(*mixed_register)
    for key in SORT_KEYS:
        order = _order(commissioner_client, key)
        assert order == before[key], key
        exempt = [n for n in order if n in ("24/00020", "24/00021")]
        # By number (newest first in the default order, which is by number descending).
        assert exempt in (["24/00020", "24/00021"], ["24/00021", "24/00020"]), key
    # A cleared user's order follows the values (so the comparison above can fail).
    assert any(_order(clerk_client, key) != cleared_before[key] for key in SORT_KEYS)


def test_a_contract_page_lists_exempt_decisions_by_number_only(commissioner, mixed_register):
    low, high = mixed_register
    contract = ContractFactory()
    for decision in (high, low):
        DecisionContractLinkFactory(decision=decision, contract=contract)
    visible = DecisionFactory(number="24/00030", decision_date=date(2024, 6, 1))
    DecisionContractLinkFactory(decision=visible, contract=contract)

    def order():
        return [r["decision"].number for r in contract_panel(contract, commissioner)["rows"]]

    first = order()
    _swap_withheld_fields(low, high)
    assert order() == first == ["24/00030", "24/00020", "24/00021"]


# These held before decisions.visibility too; they pin that it keeps them.
@pytest.mark.parametrize(
    "params",
    [
        {"status": "planned"},
        {"status": "withdrawn"},
        {"decided_from": "01/01/2000"},
        {"decided_to": "31/12/2099"},
        {"is_key_decision": "false"},
        {"decision_type": "board"},
    ],
)
def test_filters_on_withheld_fields_never_match_an_exempt_row_for_an_uncleared_user(
    commissioner_client, clerk_client, mixed_register, params
):
    url = reverse("decisions:list")
    numbers = [r.record.number for r in commissioner_client.get(url, params).context["table"].rows]
    assert not {"24/00020", "24/00021"} & set(numbers), params
    cleared = [r.record.number for r in clerk_client.get(url, params).context["table"].rows]
    assert {"24/00020", "24/00021"} & set(cleared), params


# --- The forward plan and the home panel ----------------------------------------------


def test_the_home_panel_shows_an_exempt_key_decision_as_the_forward_plan_does(
    commissioner_client,
):
    DecisionFactory(
        number="24/00040",
        title="Award of the recovery service",
        exempt_paragraph=3,
        is_key_decision=True,
        decision_date=timezone.localdate() + timedelta(days=20),
        decision_maker="Councillor Hidden",
        summary=f"{SECRET} summary",
    )
    html = commissioner_client.get(reverse("home")).content.decode()
    assert "24/00040" in html and "Exempt under paragraph 3" in html
    assert SECRET not in html
    plan = commissioner_client.get(reverse("decisions:forward_plan")).content.decode()
    assert "Councillor Hidden" in plan and SECRET not in plan


# --- The admin -------------------------------------------------------------------------


def test_the_admin_shows_uncleared_staff_no_exempt_decision_nor_its_parts(client):
    uncleared = UserFactory(username="boss", is_staff=True, is_superuser=True)
    cleared = UserFactory(
        username="cleared-boss", is_staff=True, is_superuser=True, cleared_for_exempt=True
    )
    decision = DecisionFactory(decision_maker=f"{SECRET} maker", summary=f"{SECRET} summary")
    recommendation = RecommendationFactory(decision=decision, text=f"{SECRET} text")
    _make_exempt(decision)
    version = decision.history.earliest()
    urls = [
        reverse("admin:decisions_decision_change", args=[decision.pk]),
        reverse("admin:decisions_decision_history", args=[decision.pk]),
        reverse("admin:decisions_decision_simple_history", args=[decision.pk, version.history_id]),
        reverse("admin:decisions_recommendation_change", args=[recommendation.pk]),
        reverse("admin:decisions_recommendation_history", args=[recommendation.pk]),
    ]
    client.force_login(uncleared)
    changelist = client.get(reverse("admin:decisions_decision_changelist"), {"q": SECRET})
    assert decision.number not in changelist.content.decode()
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert SECRET not in response.content.decode(), url
    client.force_login(cleared)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_an_uncleared_administrator_cannot_clear_anyone_in_the_admin(client):
    uncleared = UserFactory(username="boss", is_staff=True, is_superuser=True)
    client.force_login(uncleared)
    url = reverse("admin:accounts_user_change", args=[uncleared.pk])
    form = client.get(url).context["adminform"].form
    assert "cleared_for_exempt" not in form.fields
