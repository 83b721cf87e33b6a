"""The Local Government Transparency Code 2015 files per authority: contracts over £5,000
in force in a quarter, and VCSE grants awarded in a year. Every field the Code names
is a column; text goes through the formula guard; anyone can download them; a quarter
or year that cannot be read is a 400 page naming it."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from contracts import rules
from contracts import transparency as contracts_transparency
from grants import transparency as grants_transparency
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ProviderFactory,
    ShareFactory,
)
from tests.grants.factories import OutboundGrantFactory, OutboundProgrammeFactory

pytestmark = pytest.mark.django_db

Q3 = "2026-Q3"  # 1 July to 30 September 2026

# What the Code (part 2, "Contracts") names, in the words of our columns.
CODE_CONTRACT_FIELDS = [
    "Reference",
    "Title",
    "Department",
    "Description",
    "Supplier name",
    "Supplier registration number",
    "SME",
    "VCSE",
    "Start date",
    "End date",
    "Review date",
    "Total value",
    "Non-recoverable VAT",
]
# What it names for grants to VCSE organisations.
CODE_GRANT_FIELDS = [
    "Date awarded",
    "Start date",
    "End date",
    "Department",
    "Beneficiary",
    "Beneficiary registration number",
    "Purpose",
    "Amount",
]


def _read(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


def _contracts_url(authority, **query) -> str:
    url = reverse("public:transparency_contracts", kwargs={"authority": authority.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _grants_url(authority, **query) -> str:
    url = reverse("public:transparency_grants", kwargs={"authority": authority.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(
    ("label", "bounds"),
    [
        ("2026-Q1", (date(2026, 1, 1), date(2026, 3, 31))),
        ("2026-Q3", (date(2026, 7, 1), date(2026, 9, 30))),
        ("2024-Q4", (date(2024, 10, 1), date(2024, 12, 31))),
    ],
)
def test_a_quarter_is_a_calendar_quarter(label, bounds):
    assert rules.quarter_bounds(label) == bounds
    assert rules.quarter_of(bounds[0]) == rules.quarter_of(bounds[1]) == label


@pytest.mark.parametrize("label", ["2026-Q5", "2026-Q0", "2026Q3", "Q3-2026", "", "0000-Q1"])
def test_other_text_is_not_a_quarter(label):
    with pytest.raises(ValueError, match="2026-Q3"):
        rules.quarter_bounds(label)


def test_the_contracts_file_has_every_field_the_code_names_with_the_registers_figures(client):
    kent = AuthorityFactory(name="Kent County Council")
    provider = ProviderFactory(
        name="Forward Trust", charity_number="1001701", is_sme=True, is_vcse=True
    )
    contract = ContractFactory(
        lead_authority=kent,
        provider=provider,
        description="Young people's drug and alcohol service",
        start_date=date(2025, 2, 1),
        initial_end_date=date(2027, 1, 31),
    )
    OptionFactory(contract=contract, sequence=1, months=24, notice_deadline=date(2026, 7, 31))
    response = client.get(_contracts_url(kent, quarter=Q3))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    [row] = _read(response)
    assert set(CODE_CONTRACT_FIELDS) <= set(row)
    stored = contract.stored
    assert row["Reference"] == contract.reference
    assert row["Title"] == contract.title
    assert row["Department"] == "Public Health: Drug and alcohol"
    assert row["Description"] == "Young people's drug and alcohol service"
    assert row["Supplier name"] == "Forward Trust"
    assert row["Supplier registration number"] == "GB-CHC-1001701"
    assert (row["SME"], row["VCSE"]) == ("Yes", "Yes")
    assert row["Start date"] == "2025-02-01"
    assert row["End date"] == stored.current_end.isoformat() == "2027-01-31"
    assert row["End date if every option is taken"] == stored.maximum_end.isoformat()
    assert row["Review date"] == "2026-07-31"
    assert Decimal(row["Total value"]) == stored.whole_life_value
    assert Decimal(row["Value for this authority"]) == stored.whole_life_value
    assert row["Non-recoverable VAT"] == ""


def test_a_quarters_file_has_the_contracts_over_5000_in_force_in_it():
    kent = AuthorityFactory(name="Kent")
    in_force = ContractFactory(
        lead_authority=kent, start_date=date(2026, 1, 1), initial_end_date=date(2026, 7, 1)
    )
    starts_in_it = ContractFactory(
        lead_authority=kent, start_date=date(2026, 9, 30), initial_end_date=date(2027, 9, 29)
    )
    ContractFactory(  # ended before the quarter
        lead_authority=kent, start_date=date(2025, 1, 1), initial_end_date=date(2026, 6, 30)
    )
    ContractFactory(  # starts after it
        lead_authority=kent, start_date=date(2026, 10, 1), initial_end_date=date(2027, 9, 30)
    )
    ContractFactory(  # terminated before it
        lead_authority=kent, terminated_on=date(2026, 6, 1)
    )
    ContractFactory(  # £5,000 in all: not over the threshold
        lead_authority=kent,
        start_date=date(2026, 1, 1),
        initial_end_date=date(2026, 12, 31),
        annual_value=Decimal("5000"),
    )
    ContractFactory(lead_authority=AuthorityFactory(name="Essex"))  # another council's
    references = [c.reference for c in contracts_transparency.contracts(kent, Q3)]
    assert references == sorted([in_force.reference, starts_in_it.reference])


def test_a_shared_contract_is_in_each_councils_file_with_its_share():
    kent, medway = AuthorityFactory(name="Kent"), AuthorityFactory(name="Medway")
    contract = ContractFactory(lead_authority=kent)
    ShareFactory(contract=contract, authority=kent, percentage=Decimal("75"))
    ShareFactory(contract=contract, authority=medway, percentage=Decimal("25"))
    whole_life = contract.stored.whole_life_value
    for authority, part in ((kent, Decimal("0.75")), (medway, Decimal("0.25"))):
        header, row = list(
            contracts_transparency.rows(contracts_transparency.contracts(authority, Q3), authority)
        )
        values = dict(zip(header, row, strict=True))
        assert values["Total value"] == whole_life
        assert values["Value for this authority"] == pytest.approx(whole_life * part, abs=1)


def test_text_that_a_spreadsheet_would_run_is_quoted(client):
    kent = AuthorityFactory(name="Kent")
    ContractFactory(
        lead_authority=kent,
        title='=HYPERLINK("http://evil.example","click")',
        provider=ProviderFactory(name="@SUM(1+1)"),
    )
    OutboundGrantFactory(
        programme=OutboundProgrammeFactory(authority=kent),
        recipient_name="+cmd",
        purpose="-2+3",
        award_date=date(2026, 5, 1),
    )
    [row] = _read(client.get(_contracts_url(kent, quarter=Q3)))
    assert row["Title"].startswith("'=HYPERLINK")
    assert row["Supplier name"] == "'@SUM(1+1)"
    [grant] = _read(client.get(_grants_url(kent, year="2026")))
    assert grant["Beneficiary"] == "'+cmd"
    assert grant["Purpose"] == "'-2+3"


def test_the_grants_file_has_every_field_the_code_names_for_the_year_asked(client):
    kent = AuthorityFactory(name="Kent")
    programme = OutboundProgrammeFactory(authority=kent)
    grant = OutboundGrantFactory(
        programme=programme,
        award_date=date(2026, 5, 1),
        start_date=date(2026, 6, 1),
        end_date=date(2027, 5, 31),
        recipient_charity_number="1100001",
        amount=Decimal("15000.50"),
    )
    OutboundGrantFactory(programme=programme, award_date=date(2025, 12, 31))  # other year
    OutboundGrantFactory(  # another council's
        programme=OutboundProgrammeFactory(authority=AuthorityFactory(name="Essex")),
        award_date=date(2026, 5, 1),
    )
    response = client.get(_grants_url(kent, year="2026"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    [row] = _read(response)
    assert set(CODE_GRANT_FIELDS) <= set(row)
    assert row["Date awarded"] == "2026-05-01"
    assert (row["Start date"], row["End date"]) == ("2026-06-01", "2027-05-31")
    assert row["Department"] == "Public Health"
    assert row["Beneficiary"] == grant.recipient_name
    assert row["Beneficiary registration number"] == "GB-CHC-1100001"
    assert row["Purpose"] == grant.purpose
    assert row["Amount"] == "15000.50"
    assert row["Reference"] == grant.giving_id


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (_contracts_url, "quarter"),
        (_grants_url, "year"),
    ],
)
@pytest.mark.parametrize("value", ["2026-Q9", "twenty", "%3Cscript%3E", "99999"])
def test_a_parameter_that_cannot_be_read_is_a_400_page_naming_it(client, url, parameter, value):
    kent = AuthorityFactory(name="Kent")
    response = client.get(url(kent, **{parameter: value}))
    assert response.status_code == 400
    text = response.content.decode()
    assert f"The {parameter} is not right" in text
    assert "<script>" not in text


def test_without_a_parameter_the_files_are_for_the_current_quarter_and_year(client):
    kent = AuthorityFactory(name="Kent")
    response = client.get(_contracts_url(kent))
    assert response.status_code == 200
    assert rules.quarter_of(timezone.localdate()) in response["Content-Disposition"]
    response = client.get(_grants_url(kent))
    assert response.status_code == 200
    assert str(timezone.localdate().year) in response["Content-Disposition"]


def test_an_unknown_authority_is_a_404_page(client):
    assert client.get(reverse("public:transparency_contracts", args=[999999])).status_code == 404
    assert client.get(reverse("public:transparency_grants", args=[999999])).status_code == 404


def test_the_commands_write_the_files(tmp_path):
    kent = AuthorityFactory(name="Kent County Council", short_name="KCC")
    contract = ContractFactory(lead_authority=kent)
    grant = OutboundGrantFactory(
        programme=OutboundProgrammeFactory(authority=kent), award_date=date(2026, 5, 1)
    )
    contracts_file, grants_file = tmp_path / "contracts.csv", tmp_path / "grants.csv"
    call_command(
        "export_transparency_contracts",
        "--authority",
        "KCC",
        "--quarter",
        Q3,
        "--output",
        str(contracts_file),
    )
    call_command(
        "export_transparency_grants",
        "--authority",
        "Kent County Council",
        "--year",
        "2026",
        "--output",
        str(grants_file),
    )
    with contracts_file.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [r["Reference"] for r in rows] == [contract.reference]
    assert list(rows[0]) == list(contracts_transparency.COLUMNS)
    with grants_file.open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert [r["Reference"] for r in rows] == [grant.giving_id]
    assert list(rows[0]) == list(grants_transparency.COLUMNS)


def test_the_commands_refuse_a_bad_quarter_year_or_authority(tmp_path):
    AuthorityFactory(name="Kent County Council", short_name="KCC")
    output = str(tmp_path / "out.csv")
    with pytest.raises(CommandError, match="--quarter"):
        call_command(
            "export_transparency_contracts",
            "--authority",
            "KCC",
            "--quarter",
            "Q3",
            "--output",
            output,
        )
    with pytest.raises(CommandError, match="--year"):
        call_command(
            "export_transparency_grants", "--authority", "KCC", "--year", "26", "--output", output
        )
    with pytest.raises(CommandError, match="No authority"):
        call_command(
            "export_transparency_grants",
            "--authority",
            "Kant",
            "--year",
            "2026",
            "--output",
            output,
        )


def _contract_queries(client, authority, count: int) -> int:
    provider = ProviderFactory()
    for _ in range(count):
        contract = ContractFactory(lead_authority=authority, provider=provider)
        OptionFactory(contract=contract, sequence=1, notice_deadline=date(2026, 12, 1))
    with CaptureQueriesContext(connection) as queries:
        rows = _read(client.get(_contracts_url(authority, quarter=Q3)))
    assert len(rows) == count
    return len(queries)


def test_the_contracts_file_runs_as_many_queries_for_20_contracts_as_for_2(client):
    assert _contract_queries(client, AuthorityFactory(name="Two"), 2) == _contract_queries(
        client, AuthorityFactory(name="Twenty"), 20
    )


def _grant_queries(client, authority, count: int) -> int:
    programme = OutboundProgrammeFactory(authority=authority)
    OutboundGrantFactory.create_batch(count, programme=programme, award_date=date(2026, 5, 1))
    with CaptureQueriesContext(connection) as queries:
        rows = _read(client.get(_grants_url(authority, year="2026")))
    assert len(rows) == count
    return len(queries)


def test_the_grants_file_runs_as_many_queries_for_20_grants_as_for_2(client):
    assert _grant_queries(client, AuthorityFactory(name="Two"), 2) == _grant_queries(
        client, AuthorityFactory(name="Twenty"), 20
    )
