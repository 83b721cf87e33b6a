"""Adding, editing, listing and reading decisions."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from decisions.models import Decision
from tests.contracts.factories import AuthorityFactory
from tests.decisions.factories import DecisionFactory, PathwayStageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kent():
    return AuthorityFactory(
        name="Kent County Council",
        key_decision_threshold=Decimal("1000000"),
        decision_number_prefix="KCC ",
    )


def decision_data(authority, **overrides) -> dict:
    data = {
        "authority": authority.pk,
        "number": "",
        "title": "Kent Young Person Drug and Alcohol Contract Commissioning",
        "decision_type": "executive_key",
        "status": "planned",
        "decision_maker": "Dan Watkins",
        "decision_maker_role": "Cabinet Member for Adult Social Care and Public Health",
        "report_to": "Health Reform and Public Health Cabinet Committee",
        "meeting_date": "02/07/2024",
        "decision_date": "",
        "amount_involved": "£4,099,533.88",
        "is_key_decision": "on",
        "key_decision_reason": "It involves expenditure or savings of more than £1m",
        "electoral_divisions": "All",
        "call_in_eligible": "on",
        "summary": "The summary.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_clerk_adds_a_decision_and_gets_the_next_number(clerk_client, kent):
    yy = timezone.localdate().year % 100
    DecisionFactory(authority=kent, number=f"KCC {yy}/00055")
    response = clerk_client.post(reverse("decisions:create"), decision_data(kent))
    decision = Decision.objects.get(title__startswith="Kent Young Person")
    assert response.status_code == 302
    assert response["Location"] == reverse("decisions:detail", args=[decision.pk])
    # The hand-entered 00055 is stepped over; the counter starts the year at 00001.
    assert decision.number == f"KCC {yy}/00001"
    assert decision.amount_involved == Decimal("4099533.88")
    assert decision.history.latest().history_type == "+"


def test_a_clerk_enters_a_historical_number(clerk_client, kent):
    clerk_client.post(reverse("decisions:create"), decision_data(kent, number="22/00041"))
    assert Decision.objects.get(authority=kent).number == "KCC 22/00041"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"number": "2024/56"}, "number", "Enter a decision number as a two-digit year"),
        ({"title": ""}, "title", "This field is required."),
        ({"is_key_decision": None}, "is_key_decision", "This is a key decision: expenditure"),
        ({"key_decision_reason": ""}, "key_decision_reason", "Enter why this is a key decision"),
        (
            {"exempt_paragraph": "3", "public_interest_reason": ""},
            "public_interest_reason",
            "Enter why the public interest",
        ),
        (
            {"decision_date": "15/07/2024", "forward_plan_published_on": "01/07/2024"},
            "late_notice_reason",
            "was not on the forward plan 28 clear days before 15 July 2024",
        ),
        (
            {"decision_date": "15/07/2024", "published_on": "14/07/2024"},
            "published_on",
            "Enter a publication date on or after the decision date",
        ),
        ({"meeting_date": "31/02/2024"}, "meeting_date", "Enter a real date"),
        ({"amount_involved": "lots"}, "amount_involved", "as an amount in pounds, for example"),
        ({"approved_maximum": "£35,368,00"}, "approved_maximum", "“£35,368,00” is unclear"),
        (
            {"representations_decided_on": "10/07/2024"},
            "intention_notice_on",
            "Enter the date of the intention to award notice",
        ),
    ],
)
def test_invalid_decision_input_is_reshown_with_its_message(
    clerk_client, kent, overrides, field, message
):
    response = clerk_client.post(reverse("decisions:create"), decision_data(kent, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert b'class="govuk-error-summary"' in response.content
    assert not Decision.objects.exists()


def test_a_number_already_used_by_the_authority_is_refused(clerk_client, kent):
    DecisionFactory(authority=kent, number="KCC 24/00056")
    response = clerk_client.post(
        reverse("decisions:create"), decision_data(kent, number="24/00056")
    )
    assert "already has a decision KCC 24/00056" in response.context["form"].errors["number"][0]
    assert Decision.objects.count() == 1


def test_a_clerk_edits_a_decision_with_a_reason_kept_in_history(clerk_client, kent):
    decision = DecisionFactory(authority=kent, number="24/00056", title="Old subject")
    data = decision_data(kent, number="24/00056", title="New subject", reason="Typo")
    response = clerk_client.post(reverse("decisions:edit", args=[decision.pk]), data)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.title == "New subject"
    entry = decision.history.latest()
    assert entry.history_change_reason == "Typo"
    assert entry.changes["subject"] == ["Old subject", "New subject"]


@pytest.mark.parametrize("role", ["commissioner_client", "auditor_client"])
def test_only_clerks_add_or_edit_decisions(request, role, kent):
    client = request.getfixturevalue(role)
    decision = DecisionFactory(authority=kent, title="Unchanged")
    assert client.post(reverse("decisions:create"), decision_data(kent)).status_code == 403
    edit = client.post(
        reverse("decisions:edit", args=[decision.pk]), decision_data(kent, number=decision.number)
    )
    assert edit.status_code == 403
    decision.refresh_from_db()
    assert decision.title == "Unchanged"
    assert Decision.objects.count() == 1


def test_the_decision_page_shows_the_deadlines_from_the_rules(commissioner_client, kent):
    from datetime import date

    decision = DecisionFactory(
        authority=kent,
        is_key_decision=True,
        key_decision_reason="Over £1m",
        decision_date=date(2024, 7, 17),
        forward_plan_published_on=date(2024, 6, 1),
        published_on=date(2024, 7, 18),
        intention_notice_on=date(2024, 12, 20),
    )
    page = commissioner_client.get(reverse("decisions:detail", args=[decision.pk]))
    html = page.content.decode()
    # 17 Jul 2024 less 29 days; less 6 days.
    assert "18 June 2024" in html
    assert "11 July 2024" in html
    assert "On the forward plan in time" in html
    # Published Thu 18 Jul: 5 working days end Thu 25 Jul; takes effect Fri 26 Jul.
    assert "25 July 2024" in html and "26 July 2024" in html
    # Notice Fri 20 Dec 2024: 8 working days skipping Christmas, Boxing Day and New Year
    # (23, 24, 27, 30, 31 Dec, 2, 3, 6 Jan).
    assert "6 January 2025" in html


def test_a_late_forward_plan_entry_is_flagged_on_the_page(commissioner_client, kent):
    from datetime import date

    decision = DecisionFactory(
        authority=kent,
        is_key_decision=True,
        key_decision_reason="Over £1m",
        decision_date=date(2024, 7, 17),
        forward_plan_published_on=date(2024, 7, 1),
    )
    page = commissioner_client.get(reverse("decisions:detail", args=[decision.pk]))
    assert b"Late: needs general exception (reg 10)" in page.content
    assert b"record the reasons" in page.content


def test_the_page_shows_past_and_future_pathway_from_the_stages(commissioner_client, kent):
    from datetime import date

    decision = DecisionFactory(authority=kent, meeting_date=date(2015, 9, 18))
    PathwayStageFactory(
        decision=decision, order=1, body="Cabinet Committee", date=date(2015, 9, 18)
    )
    PathwayStageFactory(decision=decision, order=2, body="Corporate Board", date=date(2015, 9, 28))
    PathwayStageFactory(
        decision=decision, order=3, body="Cabinet", date=date(2015, 10, 12), outcome="decided"
    )
    page = commissioner_client.get(reverse("decisions:detail", args=[decision.pk]))
    assert page.context["past_pathway"] == "N/A"
    assert page.context["future_pathway"] == (
        "Corporate Board, 28 September 2015; Cabinet, 12 October 2015"
    )


def test_the_decision_page_runs_a_fixed_number_of_queries(
    commissioner_client, kent, django_assert_max_num_queries
):
    from tests.contracts.factories import ContractFactory
    from tests.decisions.factories import (
        DecisionContractLinkFactory,
        RecommendationFactory,
        ReportSectionFactory,
    )

    decision = DecisionFactory(authority=kent)
    for _ in range(5):
        RecommendationFactory(decision=decision)
        ReportSectionFactory(decision=decision)
        PathwayStageFactory(decision=decision)
        DecisionContractLinkFactory(decision=decision, contract=ContractFactory())
    with django_assert_max_num_queries(30):
        response = commissioner_client.get(reverse("decisions:detail", args=[decision.pk]))
    assert response.status_code == 200


def test_the_list_filters_searches_sorts_and_exports(commissioner_client, kent):
    DecisionFactory(authority=kent, number="24/00056", title="Young people", is_key_decision=True)
    DecisionFactory(authority=kent, number="23/00021", title="Strategy", summary="priorities")
    url = reverse("decisions:list")
    rows = commissioner_client.get(url, {"is_key_decision": "true"}).context["table"].rows
    assert [r.record.number for r in rows] == ["24/00056"]
    rows = commissioner_client.get(url, {"q": "priorities"}).context["table"].rows
    assert [r.record.number for r in rows] == ["23/00021"]
    rows = commissioner_client.get(url, {"sort": "number"}).context["table"].rows
    assert [r.record.number for r in rows] == ["23/00021", "24/00056"]
    export = commissioner_client.get(url, {"q": "24/00056", "_export": "csv"})
    lines = export.getvalue().decode().strip().splitlines()
    assert len(lines) == 2 and "Young people" in lines[1]


@pytest.mark.parametrize(
    "params",
    [
        {"decided_from": "not-a-date"},
        {"authority": "999999"},
        {"sort": "nonsense"},
        {"page": "abc"},
        {"is_key_decision": "maybe"},
    ],
)
def test_bad_list_parameters_never_cause_an_error(commissioner_client, params):
    DecisionFactory()
    response = commissioner_client.get(reverse("decisions:list"), params)
    assert response.status_code in (200, 404)


def test_the_list_shows_short_types_and_the_export_keeps_full_labels(commissioner_client, kent):
    DecisionFactory(
        authority=kent, number="24/00056", decision_type="executive_key", is_key_decision=True
    )
    url = reverse("decisions:list")
    html = commissioner_client.get(url).content.decode()
    assert "Executive, key" in html
    export = commissioner_client.get(url, {"_export": "csv"}).getvalue().decode("utf-8-sig")
    header, row = export.strip().splitlines()
    assert "Key decision" in header.split(",")
    assert "Executive decision: key" in row and ",Yes," in row


def test_the_edit_form_shows_dates_as_clerks_type_them_in_styled_boxes(clerk_client, kent):
    from datetime import date

    decision = DecisionFactory(authority=kent, meeting_date=date(2024, 7, 2))
    html = clerk_client.get(reverse("decisions:edit", args=[decision.pk])).content.decode()
    assert 'value="02/07/2024"' in html
    assert 'class="govuk-input govuk-input--width-10"' in html.replace("  ", " ")


def test_a_taken_decision_needs_the_date_it_was_taken(clerk_client, kent):
    response = clerk_client.post(
        reverse("decisions:create"), decision_data(kent, status="taken", decision_date="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["decision_date"] == [
        "Enter the date the decision was taken"
    ]
    assert not Decision.objects.exists()
    response = clerk_client.post(
        reverse("decisions:create"),
        decision_data(kent, status="taken", decision_date="16/07/2024"),
    )
    assert response.status_code == 302
    assert Decision.objects.get().decision_date == date(2024, 7, 16)


def test_the_model_refuses_a_taken_decision_without_a_date(kent):
    decision = DecisionFactory(authority=kent, status=Decision.Status.TAKEN)
    with pytest.raises(ValidationError) as refused:
        decision.full_clean()
    assert refused.value.message_dict["decision_date"] == ["Enter the date the decision was taken"]
