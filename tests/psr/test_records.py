"""Reg 24 award records: the form (commissioners, PSR contracts only), the page, the PDF,
the list with its filters and export, and the panel on the contract's page."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from decisions.models import DecisionContractLink
from psr.models import AwardRecord
from tests.contracts.factories import AuthorityFactory, ContractFactory, ProviderFactory
from tests.decisions.factories import DecisionFactory
from tests.decisions.pdfs import pdf_text
from tests.html_forms import form_data
from tests.psr.records_factories import AwardRecordFactory

pytestmark = pytest.mark.django_db

COMPETITIVE = Contract.Route.PSR_COMPETITIVE


def _valid_data(**overrides) -> dict:
    data = {
        "provider_name": "Change Grow Live",
        "provider_address": "3rd Floor, Tower Point\nBrighton\nBN1 1YR",
        "cpv_code": "85323000-9 Community health services",
        "decision_makers": "Cabinet Member for Adult Social Care and Public Health",
        "quality_and_innovation": "Highest quality score",
        "value": "Best value within the budget",
        "integration_collaboration_sustainability": "Joint working with the NHS trust",
        "access_inequalities_choice": "Outreach in the most deprived wards",
        "social_value": "Apprenticeships",
        "basic_selection_criteria": "Met every criterion",
        "conflicts_of_interest": "",
        "conflicts_management": "",
        "intention_notice_on": "01/03/2024",
        "representations_received": "0",
        "representations_outcome": "",
        "further_decision_on": "",
        "awarded_on": "14/03/2024",
    }
    data.update(overrides)
    return data


def test_the_add_page_is_prefilled_with_the_contract_s_provider(commissioner_client):
    provider = ProviderFactory(
        name="We Are With You", address="Part 1st Floor", postcode="EC1V 9NR"
    )
    contract = ContractFactory(provider=provider, procurement_route=COMPETITIVE)
    page = commissioner_client.get(reverse("psr:awardrecord_create", args=[contract.pk]))
    assert page.status_code == 200
    data = form_data(page.content.decode())
    assert data["provider_name"] == "We Are With You"
    assert data["provider_address"] == "Part 1st Floor\nEC1V 9NR"


def test_the_add_page_starts_from_the_awarding_decision_but_not_an_exempt_one(
    commissioner_client,
):
    """Who decided and the standstill's dates are on the awarding decision already; an
    exempt one's are not shown to an uncleared commissioner."""
    contract = ContractFactory(procurement_route=COMPETITIVE)
    decision = DecisionFactory(
        decision_maker="Dan Watkins",
        decision_maker_role="Cabinet Member for Adult Social Care and Public Health",
        intention_notice_on=date(2024, 3, 1),
    )
    DecisionContractLink.objects.create(decision=decision, contract=contract, kind="award")
    url = reverse("psr:awardrecord_create", args=[contract.pk])
    data = form_data(commissioner_client.get(url).content.decode())
    assert data["decision_makers"] == "Cabinet Member for Adult Social Care and Public Health"
    assert data["intention_notice_on"] == "01/03/2024"

    decision.exempt_paragraph = 3
    decision.public_interest_reason = "Commercial."
    decision.save()
    data = form_data(commissioner_client.get(url).content.decode())
    assert data["decision_makers"] == ""
    assert data["intention_notice_on"] == ""


def test_a_commissioner_adds_the_award_record_of_a_psr_contract(commissioner_client):
    contract = ContractFactory(procurement_route=COMPETITIVE)
    response = commissioner_client.post(
        reverse("psr:awardrecord_create", args=[contract.pk]), _valid_data()
    )
    record = AwardRecord.objects.get(contract=contract)
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert record.provider_name == "Change Grow Live"
    assert record.awarded_on == date(2024, 3, 14)
    assert record.history.count() == 1


def test_a_contract_not_awarded_under_the_regime_gets_no_award_record(commissioner_client):
    contract = ContractFactory(procurement_route=Contract.Route.OPEN)
    url = reverse("psr:awardrecord_create", args=[contract.pk])
    response = commissioner_client.post(url, _valid_data(), follow=True)
    assert not AwardRecord.objects.exists()
    assert "was not awarded under the Provider Selection Regime" in response.content.decode()


def test_adding_a_second_record_goes_to_the_first(commissioner_client):
    record = AwardRecordFactory()
    response = commissioner_client.get(reverse("psr:awardrecord_create", args=[record.contract_id]))
    assert response["Location"] == reverse("psr:awardrecord_edit", args=[record.pk])


def test_auditors_and_clerks_read_records_but_cannot_change_them(auditor_client, clerk_client):
    record = AwardRecordFactory()
    for client in (auditor_client, clerk_client):
        assert client.get(record.get_absolute_url()).status_code == 200
        edit = reverse("psr:awardrecord_edit", args=[record.pk])
        assert client.post(edit, _valid_data()).status_code == 403
        add = reverse("psr:awardrecord_create", args=[record.contract_id])
        assert client.get(add).status_code == 403


def test_outsiders_read_no_record(outsider_client):
    record = AwardRecordFactory()
    assert outsider_client.get(record.get_absolute_url()).status_code == 403
    assert outsider_client.get(reverse("psr:awardrecord_list")).status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"decision_makers": ""}, "decision_makers", "Enter the decision-makers"),
        ({"social_value": ""}, "social_value", "Say how social value was applied."),
        (
            {"conflicts_of_interest": "A panel member's spouse works there"},
            "conflicts_management",
            "Say how the declared conflicts of interest were managed.",
        ),
        (
            {"representations_received": "2"},
            "representations_outcome",
            "Say what came of the representations received.",
        ),
        (
            {"further_decision_on": "28/02/2024"},
            "further_decision_on",
            "Enter a further decision date on or after the intention notice (01/03/2024).",
        ),
        (
            {"intention_notice_on": "", "further_decision_on": "28/02/2024"},
            "intention_notice_on",
            "Enter the date the intention notice was published",
        ),
        ({"awarded_on": "31/02/2024"}, "awarded_on", "Enter a real date."),
        ({"awarded_on": "01/01/2300"}, "awarded_on", "Enter a date between"),
        ({"provider_name": "Bad\x07name"}, "provider_name", "without line breaks"),
    ],
)
def test_bad_input_is_shown_again_with_its_message(commissioner_client, overrides, field, message):
    contract = ContractFactory(procurement_route=COMPETITIVE)
    response = commissioner_client.post(
        reverse("psr:awardrecord_create", args=[contract.pk]), _valid_data(**overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "Error: " in response.content.decode()
    assert not AwardRecord.objects.exists()


def test_an_edit_saved_meanwhile_by_someone_else_is_not_lost(commissioner_client):
    record = AwardRecordFactory()
    url = reverse("psr:awardrecord_edit", args=[record.pk])
    first = form_data(commissioner_client.get(url).content.decode())
    second = form_data(commissioner_client.get(url).content.decode())
    first["social_value"] = "Apprenticeships for care leavers"
    assert commissioner_client.post(url, first).status_code == 302
    second["value"] = "Cheapest compliant bid"
    response = commissioner_client.post(url, second)
    assert response.status_code == 409
    assert "Someone else saved this award record" in response.content.decode()
    record.refresh_from_db()
    assert record.social_value == "Apprenticeships for care leavers"
    assert record.value == "Within budget"


def test_the_record_page_shows_the_standstill_end_and_flags_an_early_award(
    commissioner_client,
):
    # Notice Friday 1 March 2024: the standstill ends on Wednesday 13 March.
    record = AwardRecordFactory(intention_notice_on=date(2024, 3, 1), awarded_on=date(2024, 3, 13))
    page = commissioner_client.get(record.get_absolute_url()).content.decode()
    assert "13 March 2024" in page
    assert "Before the standstill ended" in page
    assert "on or before the end of the standstill period (13/03/2024)" in page
    record.awarded_on = date(2024, 3, 14)
    record.save()
    page = commissioner_client.get(record.get_absolute_url()).content.decode()
    assert "Before the standstill ended" not in page


def test_the_record_prints_as_a_pdf_with_every_reg_24_item(auditor_client):
    record = AwardRecordFactory(
        provider_name="Forward Trust",
        conflicts_of_interest="One panel member declared a past role",
        conflicts_management="They did not score the bids",
        intention_notice_on=date(2024, 3, 1),
        awarded_on=date(2024, 3, 14),
    )
    response = auditor_client.get(reverse("psr:awardrecord_pdf", args=[record.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    for expected in [
        "regulation 24",
        record.contract.reference,
        "PSR Competitive Process",
        "Forward Trust",
        "Maidstone",
        "Cabinet Member for Adult Social Care and Public Health",
        "Quality and innovation",
        "Integration, collaboration and service sustainability",
        "Improving access, reducing health inequalities and facilitating choice",
        "Social value",
        "Basic selection criteria",
        "One panel member declared a past role",
        "They did not score the bids",
        "13 March 2024",
        "14 March 2024",
    ]:
        assert expected in text, expected


def test_the_list_filters_by_authority_and_process(auditor_client):
    kent = AuthorityFactory(name="Kent County Council")
    essex = AuthorityFactory(name="Essex County Council")
    AwardRecordFactory(
        contract=ContractFactory(
            reference="K-1", lead_authority=kent, procurement_route=COMPETITIVE
        )
    )
    AwardRecordFactory(
        contract=ContractFactory(
            reference="K-2", lead_authority=kent, procurement_route=Contract.Route.PSR_DIRECT_C
        )
    )
    AwardRecordFactory(contract=ContractFactory(reference="E-1", lead_authority=essex,
                                                procurement_route=COMPETITIVE))  # fmt: skip
    url = reverse("psr:awardrecord_list")

    def shown(query: dict) -> list[str]:
        table = auditor_client.get(url, query).context["table"]
        return sorted(row.record.contract.reference for row in table.paginated_rows)

    assert shown({}) == ["E-1", "K-1", "K-2"]
    assert shown({"authority": kent.pk}) == ["K-1", "K-2"]
    assert shown({"process": "psr_direct_c"}) == ["K-2"]
    assert shown({"authority": kent.pk, "process": "psr_competitive"}) == ["K-1"]
    assert shown({"q": "E-1"}) == ["E-1"]


def test_the_list_exports_its_rows_as_csv(auditor_client):
    AwardRecordFactory(
        contract=ContractFactory(reference="K-1", procurement_route=COMPETITIVE),
        provider_name="=HYPERLINK(evil)",
        intention_notice_on=date(2024, 3, 1),
        awarded_on=date(2024, 3, 13),
    )
    response = auditor_client.get(reverse("psr:awardrecord_list"), {"_export": "csv"})
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines()[0].startswith("Contract,Title,Authority,Process,Provider")
    assert "K-1" in text and "'=HYPERLINK(evil)" in text
    assert "PSR Competitive Process" in text and "2024-03-13" in text


def test_the_empty_list_names_the_psr_contracts_that_need_a_record(commissioner_client):
    ContractFactory(reference="PSR-1", procurement_route=COMPETITIVE)
    ContractFactory(reference="OPEN-1", procurement_route=Contract.Route.OPEN)
    page = commissioner_client.get(reverse("psr:awardrecord_list")).content.decode()
    assert "No award records match" in page
    assert "PSR-1" in page and "OPEN-1" not in page
    assert (
        reverse("psr:awardrecord_create", args=[Contract.objects.get(reference="PSR-1").pk]) in page
    )


def _list_queries(client, rows: int) -> int:
    for _ in range(rows - AwardRecord.objects.count()):
        AwardRecordFactory(intention_notice_on=date(2024, 3, 1))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("psr:awardrecord_list"), {"per_page": 100})
    assert response.status_code == 200
    return len(queries)


def test_the_list_runs_the_same_number_of_queries_for_2_or_50_records(auditor_client):
    assert _list_queries(auditor_client, 2) == _list_queries(auditor_client, 50)


def test_the_detail_page_runs_a_fixed_number_of_queries(
    auditor_client, django_assert_max_num_queries
):
    record = AwardRecordFactory()
    with django_assert_max_num_queries(14):
        assert auditor_client.get(record.get_absolute_url()).status_code == 200


def test_the_contract_page_shows_the_award_record_panel(commissioner_client):
    contract = ContractFactory(procurement_route=COMPETITIVE)
    page = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "Award record (Provider Selection Regime)" in page
    assert reverse("psr:awardrecord_create", args=[contract.pk]) in page
    record = AwardRecordFactory(
        contract=contract, intention_notice_on=date(2024, 3, 1), awarded_on=date(2024, 3, 12)
    )
    page = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert record.get_absolute_url() in page
    assert "Before the standstill ended" in page
    assert "Draft" in page


def test_a_contract_outside_the_regime_has_no_award_record_panel(commissioner_client):
    contract = ContractFactory(procurement_route=Contract.Route.OPEN)
    page = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "Award record (Provider Selection Regime)" not in page


def test_the_demo_gives_its_psr_contracts_an_award_record(settings):
    from contracts import demo as contracts_demo
    from psr import demo_records

    contracts_demo.load()
    demo_records.load()
    demo_records.load()  # twice: no second record, no empty history
    record = AwardRecord.objects.get(contract__reference=contracts_demo.KENT_YP_REFERENCE)
    assert record.awarded_on == date(2024, 11, 18)
    assert record.history.count() == 1
