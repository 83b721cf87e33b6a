"""The reg 25 annual summary's page, CSV and PDF (psr.annual_views, psr.annual).

Any signed-in user may read it; a visitor is sent to sign in.
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Authority, Contract, Modification
from decisions.models import Decision
from psr import annual, rules
from psr.models import AwardRecord
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    ProviderFactory,
    ShareFactory,
)
from tests.decisions.factories import DecisionContractLinkFactory, DecisionFactory
from tests.decisions.pdfs import pdf_text

pytestmark = pytest.mark.django_db

Route = Contract.Route


def award_record(contract, **fields) -> AwardRecord:
    values = {
        "provider_name": contract.provider.name if contract.provider else "A provider",
        "provider_address": "1 High Street, Maidstone",
        "decision_makers": "Cabinet Committee",
        "quality_and_innovation": "Applied.",
        "value": "Applied.",
        "integration_collaboration_sustainability": "Applied.",
        "access_inequalities_choice": "Applied.",
        "social_value": "Applied.",
        "basic_selection_criteria": "Met.",
    }
    return AwardRecord.objects.create(contract=contract, **{**values, **fields})


def modification(contract, sequence, change, *, ground="authority", **fields) -> Modification:
    return Modification.objects.create(
        contract=contract,
        sequence=sequence,
        kind=Modification.Kind.VALUE,
        description="A change.",
        effective_date=fields.pop("effective_date", date(2025, 7, 1)),
        lifetime_value_change=change,
        ground=ground,
        **fields,
    )


@pytest.fixture
def kent():
    return AuthorityFactory(name="Kent County Council", short_name="KCC")


def summary_url(authority, year=2025) -> str:
    return reverse("psr:annual_summary", args=[authority.pk, year])


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# --- Choosing -----------------------------------------------------------------------------


def test_choosing_an_authority_and_year_opens_its_summary(auditor_client, kent):
    response = auditor_client.get(reverse("psr:annual"), {"authority": kent.pk, "year": 2025})
    assert response.status_code == 302
    assert response["Location"] == summary_url(kent)


def test_choosing_nothing_shows_the_form_and_a_year_not_listed_an_error(auditor_client, kent):
    assert auditor_client.get(reverse("psr:annual")).status_code == 200
    response = auditor_client.get(reverse("psr:annual"), {"authority": kent.pk, "year": 2019})
    assert response.status_code == 200
    assert "Choose one of the reporting years listed." in response.content.decode()
    assert response.content.decode().count("Error: ") == 1


def test_a_year_before_the_regime_is_not_found(auditor_client, kent):
    assert auditor_client.get(summary_url(kent, 2023)).status_code == 404
    assert auditor_client.get(summary_url(kent, 2099)).status_code == 404


def test_whoever_reads_contracts_may_read_it_a_user_with_no_role_may_not(
    outsider_client, clerk_client, kent
):
    """A user with no role reads no records (accounts.roles); a visitor signs in first."""
    assert clerk_client.get(summary_url(kent)).status_code == 200
    for url in (summary_url(kent), reverse("psr:annual")):
        assert outsider_client.get(url).status_code == 403
    assert Client().get(summary_url(kent)).status_code == 302


# --- What it counts -----------------------------------------------------------------------


def test_contracts_are_counted_by_process_in_the_year_they_were_awarded(kent):
    a = ContractFactory(lead_authority=kent, procurement_route=Route.PSR_DIRECT_A)
    c = ContractFactory(lead_authority=kent, procurement_route=Route.PSR_DIRECT_C)
    award_record(c, awarded_on=date(2025, 4, 1))
    competitive = ContractFactory(
        lead_authority=kent, procurement_route=Route.PSR_COMPETITIVE, start_date=date(2025, 6, 1)
    )
    ContractFactory(lead_authority=kent, procurement_route=Route.OPEN)  # not the regime's
    ContractFactory(  # awarded the year before
        lead_authority=kent, procurement_route=Route.PSR_DIRECT_B, start_date=date(2024, 6, 1)
    )
    ContractFactory(  # still in procurement
        lead_authority=kent,
        procurement_route=Route.PSR_MOST_SUITABLE,
        start_date=date(2025, 6, 1),
        procurement_stage=Contract.ProcurementStage.IN_PROCUREMENT,
    )
    # a's award date is its decision's (1 February 2025, in 2024's year), c's is its record's.
    decision = DecisionFactory(
        authority=kent, status=Decision.Status.TAKEN, decision_date=date(2025, 2, 1)
    )
    DecisionContractLinkFactory(decision=decision, contract=a)

    summary = annual.annual_summary(kent, 2025)

    assert [row.contract for row in summary.awards.rows] == [c, competitive]
    counts = {figure.key: figure.count for figure in summary.processes}
    assert counts == {
        rules.DIRECT_AWARD_A: 0,
        rules.DIRECT_AWARD_B: 0,
        rules.DIRECT_AWARD_C: 1,
        rules.MOST_SUITABLE: 0,
        rules.COMPETITIVE: 1,
    }
    assert summary.direct_awards.count == 1
    assert [row.date_from for row in summary.awards.rows] == [
        rules.FROM_AWARD_RECORD,
        rules.FROM_START,
    ]
    earlier = annual.annual_summary(kent, 2024)
    assert {row.contract for row in earlier.awards.rows} == {
        a,
        Contract.objects.get(start_date=date(2024, 6, 1)),
    }
    assert next(r for r in earlier.awards.rows if r.contract == a).date_from == rules.FROM_DECISION


def test_an_exempt_decisions_date_is_not_used_for_the_award(kent):
    contract = ContractFactory(lead_authority=kent, procurement_route=Route.PSR_DIRECT_A)
    decision = DecisionFactory(
        authority=kent,
        status=Decision.Status.TAKEN,
        decision_date=date(2024, 11, 1),
        exempt_paragraph=3,
    )
    DecisionContractLinkFactory(decision=decision, contract=contract)
    (row,) = annual.annual_summary(kent, 2024).awards.rows
    assert (row.awarded_on, row.date_from) == (contract.start_date, rules.FROM_START)


def test_values_are_at_award_and_now_and_a_shared_contract_counts_for_each_authority(kent):
    other = AuthorityFactory(name="Medway Council")
    contract = ContractFactory(
        lead_authority=other,
        procurement_route=Route.PSR_MOST_SUITABLE,
        start_date=date(2025, 5, 1),
        initial_end_date=date(2028, 4, 30),
        annual_value=Decimal("1000000"),
        annual_uplift_percent=Decimal("0"),
    )
    ShareFactory(contract=contract, authority=kent, percentage=Decimal("40"))
    ShareFactory(contract=contract, authority=other, percentage=Decimal("60"))
    modification(contract, 1, Decimal("250000"))

    (row,) = annual.annual_summary(kent, 2025).awards.rows
    assert row.shared
    assert row.original_value == Decimal("3000000.00")
    # The whole-life value now, which modifications change (contracts.figures).
    contract.stored.refresh_from_db()
    assert row.current_value == contract.stored.whole_life_value
    assert annual.annual_summary(other, 2025).awards.count == 1


def test_call_offs_and_urgent_awards_and_modifications_are_counted(kent):
    ContractFactory(
        lead_authority=kent, procurement_route=Route.PSR_FRAMEWORK, start_date=date(2025, 5, 1)
    )
    urgent = ContractFactory(
        lead_authority=kent, procurement_route=Route.PSR_URGENT, start_date=date(2025, 5, 1)
    )
    modification(urgent, 1, Decimal("1000"), ground="external", urgent=True)
    summary = annual.annual_summary(kent, 2025)
    assert (summary.call_offs.count, summary.urgent_awards.count) == (1, 1)
    assert summary.urgent_modifications.count == 1
    assert summary.urgent_count == 2
    assert summary.awards.count == 2


def test_modifications_are_counted_by_ground_and_those_not_permitted_flagged(kent):
    contract = ContractFactory(
        lead_authority=kent,
        procurement_route=Route.PSR_COMPETITIVE,
        start_date=date(2024, 4, 1),
        initial_end_date=date(2027, 3, 31),
        annual_value=Decimal("500000"),
        annual_uplift_percent=Decimal("0"),
    )
    # The first (2024's) counts towards the second's cumulative change: £300k + £250k,
    # neither below £500,000 nor under 25% of £1.5m.
    modification(contract, 1, Decimal("300000"), effective_date=date(2025, 1, 1))
    second = modification(
        contract, 2, Decimal("250000"), recorded_anyway_reason="Members accepted the risk."
    )
    third = modification(contract, 3, Decimal("0"), ground="provided_for")
    summary = annual.annual_summary(kent, 2025)

    assert [row.modification for row in summary.modifications.rows] == [second, third]
    by_ground = {figure.key: figure.count for figure in summary.by_ground}
    assert by_ground == {
        "ground-provided_for": 1,
        "ground-provider_identity": 0,
        "ground-external": 0,
        "ground-authority": 1,
    }
    assert [row.modification for row in summary.not_permitted.rows] == [second]
    assert annual.annual_summary(kent, 2024).not_permitted.count == 0


def test_the_reg_13_test_counts_the_change_worked_out_from_an_annual_change(kent):
    """An annual change with no lifetime figure counts its change over the rest of the
    term (contracts.figures.lifetime_change_of), as the contract's figures do."""
    contract = ContractFactory(
        lead_authority=kent,
        procurement_route=Route.PSR_COMPETITIVE,
        start_date=date(2024, 4, 1),
        initial_end_date=date(2029, 3, 31),
        annual_value=Decimal("100000"),
        annual_uplift_percent=Decimal("0"),
    )
    modification(contract, 1, None, annual_value_change=Decimal("365000"))
    (row,) = annual.annual_summary(kent, 2025).modifications.rows
    contract.refresh_from_db()
    stored = contract.stored
    assert row.change == stored.whole_life_value - stored.original_whole_life_value
    assert row.change > Decimal("1000000")  # about £1.4m from 1 July 2025 to 31 March 2029
    assert not row.assessment.permitted


def test_providers_gained_and_lost(kent):
    incumbent, newcomer, leaver = (
        ProviderFactory(name=name) for name in ("Incumbent", "Newcomer", "Leaver")
    )
    ContractFactory(
        lead_authority=kent,
        provider=incumbent,
        start_date=date(2022, 4, 1),
        initial_end_date=date(2025, 9, 30),
    )
    renewed = ContractFactory(
        lead_authority=kent,
        provider=incumbent,
        procurement_route=Route.PSR_DIRECT_C,
        start_date=date(2025, 10, 1),
        initial_end_date=date(2028, 9, 30),
    )
    new = ContractFactory(
        lead_authority=kent,
        provider=newcomer,
        procurement_route=Route.PSR_COMPETITIVE,
        start_date=date(2025, 7, 1),
    )
    last = ContractFactory(
        lead_authority=kent,
        provider=leaver,
        start_date=date(2021, 4, 1),
        initial_end_date=date(2026, 3, 31),
    )
    summary = annual.annual_summary(kent, 2025)
    assert summary.awards.count == 2 and renewed in [r.contract for r in summary.awards.rows]
    assert [(row.provider, row.contracts) for row in summary.gained.rows] == [(newcomer, [new])]
    assert [(row.provider, row.contracts) for row in summary.lost.rows] == [(leaver, [last])]


def test_representations_count_in_the_year_their_standstill_ended(kent):
    contract = ContractFactory(
        lead_authority=kent, procurement_route=Route.PSR_MOST_SUITABLE, start_date=date(2025, 6, 1)
    )
    # Notice on Friday 21 March 2025: eight working days end on 2 April 2025.
    award_record(
        contract,
        intention_notice_on=date(2025, 3, 21),
        representations_received=2,
        representations_outcome="Both on scoring; the decision stood.",
        awarded_on=date(2025, 4, 10),
    )
    summary = annual.annual_summary(kent, 2025)
    (row,) = summary.representations.rows
    assert (row.received, row.standstill_ended) == (2, date(2025, 4, 2))
    assert summary.representations.received == 2
    assert annual.annual_summary(kent, 2024).representations.received == 0


# --- Page, CSV and PDF --------------------------------------------------------------------


def _some_contracts(authority, n: int) -> None:
    routes = [Route.PSR_DIRECT_A, Route.PSR_DIRECT_C, Route.PSR_COMPETITIVE, Route.PSR_URGENT]
    for i in range(n):
        contract = ContractFactory(
            lead_authority=authority,
            procurement_route=routes[i % len(routes)],
            start_date=date(2025, 6, 1),
        )
        if i % 3 == 0:
            award_record(contract, awarded_on=date(2025, 5, 1), representations_received=1)
        if i % 2 == 0:
            modification(contract, 1, Decimal("1000"), urgent=i % 4 == 0)
        if i % 5 == 0:
            DecisionContractLinkFactory(
                decision=DecisionFactory(
                    authority=authority,
                    status=Decision.Status.TAKEN,
                    decision_date=date(2025, 5, 2),
                ),
                contract=contract,
            )


def _queries(client, authority, n: int) -> int:
    _some_contracts(authority, n)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(summary_url(authority))
    assert response.status_code == 200
    assert response.content.decode().count("/contracts/") >= n
    return len(queries)


def test_the_page_runs_as_many_queries_for_50_contracts_as_for_2(auditor_client):
    few = _queries(auditor_client, AuthorityFactory(name="Few"), 2)
    many = _queries(auditor_client, AuthorityFactory(name="Many"), 50)
    assert few == many


def test_the_page_lists_each_figures_contracts_and_links_its_numbers(auditor_client, kent):
    contract = ContractFactory(
        lead_authority=kent,
        reference="KCC-PSR-1",
        procurement_route=Route.PSR_COMPETITIVE,
        start_date=date(2025, 6, 1),
    )
    modification(contract, 1, Decimal("600000"), materially_different=True)
    page = auditor_client.get(summary_url(kent)).content.decode()
    assert "Kent County Council: 2025/26" in page
    assert 'href="#psr_competitive"' in page and 'id="psr_competitive"' in page
    assert 'href="#not-permitted"' in page and "Not permitted</strong>" in page
    assert page.count("KCC-PSR-1") >= 4  # competitive, all awards, ground (d), not permitted
    assert "(from the start date)" in page


def test_the_csv_has_every_figure_and_the_contracts_it_counts(auditor_client, kent):
    ContractFactory(
        lead_authority=kent,
        reference="KCC-PSR-2",
        procurement_route=Route.PSR_DIRECT_B,
        start_date=date(2025, 6, 1),
        annual_value=Decimal("100000"),
        annual_uplift_percent=Decimal("0"),
        initial_end_date=date(2026, 5, 31),
    )
    response = auditor_client.get(summary_url(kent), {"_export": "csv"})
    assert "psr-annual-summary-KCC-2025.csv" in response["Content-Disposition"]
    rows = csv_rows(response)
    lines = {row[1]: row for row in rows if len(row) == 5}
    assert lines["Contracts awarded by Direct Award Process A, B or C"][2:] == [
        "1",
        "100000.00",
        "100000.00",
    ]
    assert lines["Framework agreements concluded"][2] == "Not recorded"
    assert any(row[:2] == ["", "KCC-PSR-2"] for row in rows)


def test_the_pdf_reads_as_the_summary(auditor_client, kent):
    ContractFactory(
        lead_authority=kent,
        reference="KCC-PSR-3",
        procurement_route=Route.PSR_MOST_SUITABLE,
        start_date=date(2025, 6, 1),
    )
    response = auditor_client.get(reverse("psr:annual_summary_pdf", args=[kent.pk, 2025]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Provider Selection Regime annual summary" in text
    assert "Kent County Council" in text
    assert "Contracts awarded by the Most Suitable Provider Process 1" in text
    assert "KCC-PSR-3" in text
    assert "Framework agreements concluded Not recorded" in text


# --- The demo -----------------------------------------------------------------------------


def test_the_demo_summaries_add_up_to_the_contracts_listed(roles):
    call_command("load_demo", "--force", verbosity=0)
    client = Client()
    client.force_login(get_user_model().objects.get(username="auditor"))
    awarded = 0
    for authority in Authority.objects.all():
        for year in (2024, 2025, 2026):
            summary = annual.annual_summary(authority, year)
            listed = summary.awards.rows
            awarded += len(listed)
            # Each process figure is the count and sum of its contracts, and together
            # they are every contract awarded.
            parts = [*summary.processes, summary.call_offs, summary.urgent_awards]
            assert sum(f.count for f in parts) == summary.awards.count == len(listed)
            assert sum(f.original_total for f in parts) == sum(r.original_value for r in listed)
            assert sum(f.current_total for f in parts) == sum(r.current_value for r in listed)
            assert summary.direct_awards.count == sum(f.count for f in summary.processes[:3])
            assert sum(f.count for f in summary.by_ground) == summary.modifications.count
            page = client.get(summary_url(authority, year)).content.decode()
            for row in listed:
                assert row.contract.reference in page
            exported = csv_rows(client.get(summary_url(authority, year), {"_export": "csv"}))
            total = next(row for row in exported if row[1:2] == ["All contracts awarded"])
            assert total[2:] == [
                str(len(listed)),
                f"{sum((r.original_value for r in listed), Decimal(0)):.2f}",
                f"{sum((r.current_value for r in listed), Decimal(0)):.2f}",
            ]
            references = {row[1] for row in exported[1:] if row and row[0] == ""}
            assert {row.contract.reference for row in listed} <= references
    # The demo's Kent young people's service, awarded by the Competitive Process.
    assert awarded >= 1


def test_representations_count_even_before_the_award_is_recorded(kent):
    contract = ContractFactory(
        lead_authority=kent,
        procurement_route=Route.PSR_COMPETITIVE,
        start_date=date(2026, 1, 1),
        initial_end_date=date(2028, 12, 31),
        procurement_stage=Contract.ProcurementStage.STANDSTILL,
    )
    award_record(
        contract,
        intention_notice_on=date(2025, 11, 3),
        # Recorded before the notice by mistake: the notice's own standstill is used.
        further_decision_on=date(2025, 10, 1),
        representations_received=1,
    )
    summary = annual.annual_summary(kent, 2025)
    assert summary.awards.count == 0
    (row,) = summary.representations.rows
    assert row.standstill_ended == date(2025, 11, 13)
