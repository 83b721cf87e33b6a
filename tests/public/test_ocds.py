"""Contracts in OCDS 1.1.5 (contracts.ocds): the package validates against the official
release package schema vendored in contracts/schemas/, and its dates and values are the
register's. The public link per authority serves it to anyone, cacheable."""

import json
from datetime import date
from decimal import Decimal

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from referencing import Registry
from referencing.jsonschema import DRAFT4

from contracts import ocds
from contracts.models import Contract, ExtensionOption
from contracts.tables import ContractTable
from decisions.models import Decision
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ProviderFactory,
    ShareFactory,
)
from tests.decisions.factories import DecisionContractLinkFactory, DecisionFactory
from tests.grants.factories import OutboundGrantFactory, OutboundProgrammeFactory
from tests.schema_formats import FORMATS
from ui import exports

pytestmark = pytest.mark.django_db


def _schema(name: str) -> dict:
    return json.loads((ocds.SCHEMA_DIR / name).read_text(encoding="utf-8"))


RELEASE_SCHEMA = _schema("release-schema.json")
PACKAGE_SCHEMA = _schema("release-package-schema.json")
# The package schema refers to the release schema by its published URL: resolve it to
# the vendored copy, so the tests need no network.
REGISTRY = Registry().with_resource(RELEASE_SCHEMA["id"], DRAFT4.create_resource(RELEASE_SCHEMA))


def validate_package(data: dict) -> None:
    validator = jsonschema.Draft4Validator(
        PACKAGE_SCHEMA, registry=REGISTRY, format_checker=FORMATS
    )
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def _package(authority=None) -> dict:
    chunks = ocds.package_chunks(
        ocds.contracts(authority), uri="https://example.gov.uk/ocds.json", publisher="Test"
    )
    return json.loads("".join(chunks))


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


@pytest.fixture
def demo(roles, tmp_path):
    call_command("load_demo", "--force", verbosity=0)


def test_the_validator_rejects_a_release_without_its_award_id():
    """The schema is really applied: a contract must point at its award."""
    contract = ContractFactory()
    data = _package()
    validate_package(data)
    del data["releases"][0]["contracts"][0]["awardID"]
    with pytest.raises(AssertionError, match="awardID"):
        validate_package(data)
    assert data["releases"][0]["contracts"][0]["id"] == contract.reference


def test_the_demo_package_written_by_the_command_validates(demo, tmp_path):
    output = tmp_path / "ocds.json"
    call_command("export_ocds", "--output", str(output))
    data = json.loads(output.read_text(encoding="utf-8"))
    validate_package(data)
    assert len(data["releases"]) == Contract.objects.published().count() > 0
    assert data["extensions"] == [ocds.OPTIONS_EXTENSION]


def test_the_demo_dates_and_values_equal_the_registers(demo):
    """Every demo contract: its start, current end, maximum end and whole-life value are
    the ones the register's download shows (its table's export values)."""
    table = ContractTable(Contract.objects.published().for_register())
    header, *rows = list(exports.table_rows(table))
    register = {row[header.index("Reference")]: dict(zip(header, row, strict=True)) for row in rows}
    releases = _package()["releases"]
    assert {r["contracts"][0]["id"] for r in releases} == set(register)
    for release in releases:
        item = release["contracts"][0]
        shown = register[item["id"]]
        assert _day(item["period"]["startDate"]) == shown["Start"], item["id"]
        assert _day(item["period"]["endDate"]) == shown["Current end"], item["id"]
        assert _day(item["period"]["maxExtentDate"]) == shown["Maximum end"], item["id"]
        assert Decimal(str(item["value"]["amount"])) == shown["Whole-life value"], item["id"]
        assert item["value"]["currency"] == "GBP"
        assert item["awardID"] == release["awards"][0]["id"]


def test_options_use_the_options_extension_on_the_tender():
    contract = ContractFactory()
    OptionFactory(contract=contract, sequence=1, months=24, status=ExtensionOption.Status.EXERCISED)
    OptionFactory(contract=contract, sequence=2, months=12)
    plain = ContractFactory()
    releases = {r["contracts"][0]["id"]: r for r in _package()["releases"]}
    tender = releases[contract.reference]["tender"]
    assert tender["hasOptions"] is True
    assert tender["options"]["description"] == (
        "Option 1: 24 months, exercised; option 2: 12 months, pending"
    )
    assert releases[plain.reference]["tender"]["hasOptions"] is False
    assert "options" not in releases[plain.reference]["tender"]


def test_parties_are_the_buyers_and_the_supplier_with_its_charity_or_company_number():
    kent, medway = AuthorityFactory(name="Kent County Council"), AuthorityFactory(name="Medway")
    charity = ProviderFactory(name="Forward Trust", charity_number="1001701", is_vcse=True)
    company = ProviderFactory(name="Change Ltd", charity_number="", company_number="sc123456")
    shared = ContractFactory(lead_authority=kent, provider=charity)
    ShareFactory(contract=shared, authority=kent, percentage=Decimal("60"))
    ShareFactory(contract=shared, authority=medway, percentage=Decimal("40"))
    ContractFactory(lead_authority=kent, provider=company, reference="CO-1")
    releases = {r["contracts"][0]["id"]: r for r in _package()["releases"]}

    parties = releases[shared.reference]["parties"]
    assert [(p["name"], p["roles"]) for p in parties] == [
        ("Kent County Council", ["buyer", "procuringEntity"]),
        ("Medway", ["buyer"]),
        ("Forward Trust", ["supplier"]),
    ]
    assert parties[2]["identifier"] == {
        "scheme": "GB-CHC",
        "id": "1001701",
        "legalName": "Forward Trust",
    }
    assert releases[shared.reference]["awards"][0]["suppliers"] == [
        {"id": "GB-CHC-1001701", "name": "Forward Trust"}
    ]
    supplier = releases["CO-1"]["parties"][-1]
    assert supplier["identifier"]["scheme"] == "GB-COH"
    assert supplier["id"] == "GB-COH-SC123456"


def test_an_authoritys_package_has_the_contracts_it_leads_or_shares_only():
    kent, medway, essex = (AuthorityFactory(name=n) for n in ("Kent", "Medway", "Essex"))
    led = ContractFactory(lead_authority=kent)
    shared = ContractFactory(lead_authority=medway)
    ShareFactory(contract=shared, authority=kent, percentage=Decimal("50"))
    ShareFactory(contract=shared, authority=medway, percentage=Decimal("50"))
    ContractFactory(lead_authority=essex)
    ids = [r["contracts"][0]["id"] for r in _package(kent)["releases"]]
    assert ids == sorted([led.reference, shared.reference])


def test_the_ocid_takes_the_prefix_from_settings(settings):
    settings.OCDS_PREFIX = "ocds-kcc123"
    contract = ContractFactory()
    release = _package()["releases"][0]
    assert release["ocid"] == f"ocds-kcc123-{contract.pk}"
    assert release["id"].startswith(release["ocid"])


def test_anyone_gets_an_authoritys_package_from_its_public_link(client):
    contract = ContractFactory()
    url = reverse("public:ocds", kwargs={"authority": contract.lead_authority_id})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    data = json.loads(b"".join(response.streaming_content))
    validate_package(data)
    assert data["uri"] == f"http://testserver{url}"
    assert data["publisher"]["name"] == contract.lead_authority.name
    assert [r["contracts"][0]["id"] for r in data["releases"]] == [contract.reference]


def test_an_unknown_authority_is_a_404_page(client):
    response = client.get(reverse("public:ocds", kwargs={"authority": 999999}))
    assert response.status_code == 404


def test_the_command_writes_one_authoritys_package_and_refuses_an_unknown_one(tmp_path):
    kent = AuthorityFactory(name="Kent County Council", short_name="KCC")
    ContractFactory(lead_authority=kent)
    ContractFactory()
    output = tmp_path / "kent.json"
    call_command("export_ocds", "--authority", "kcc", "--output", str(output))
    data = json.loads(output.read_text(encoding="utf-8"))
    validate_package(data)
    assert len(data["releases"]) == 1
    with pytest.raises(CommandError, match="No authority"):
        call_command("export_ocds", "--authority", "Nowhere", "--output", str(output))


def _queries(client, authority, count: int) -> int:
    provider = ProviderFactory()
    for _ in range(count):
        contract = ContractFactory(lead_authority=authority, provider=provider)
        OptionFactory(contract=contract, sequence=1)
    url = reverse("public:ocds", kwargs={"authority": authority.pk})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        releases = json.loads(b"".join(response.streaming_content))["releases"]
    assert len(releases) == count
    return len(queries)


def test_the_public_package_runs_as_many_queries_for_20_contracts_as_for_2(client):
    assert _queries(client, AuthorityFactory(name="Two"), 2) == _queries(
        client, AuthorityFactory(name="Twenty"), 20
    )


def test_a_release_id_stays_while_the_contract_is_unchanged_and_changes_with_it():
    contract = ContractFactory()
    option = OptionFactory(contract=contract, sequence=1, months=12)
    first = _package()["releases"][0]
    assert _package()["releases"][0]["id"] == first["id"]
    option.status = ExtensionOption.Status.EXERCISED
    option.save()
    changed = _package()["releases"][0]
    assert changed["ocid"] == first["ocid"]
    assert changed["id"] != first["id"]
    assert changed["contracts"][0]["period"]["endDate"] > first["contracts"][0]["period"]["endDate"]


def test_no_open_data_file_carries_an_exempt_decisions_fields(client):
    """A contract whose option an exempt decision authorised, linked to it as its award:
    no file of the authority's open data names the decision or its contents."""
    kent = AuthorityFactory(name="Kent County Council")
    contract = ContractFactory(lead_authority=kent, start_date=date(2026, 1, 1))
    decision = DecisionFactory(
        authority=kent,
        title="MARKER-EXEMPT-TITLE",
        summary="MARKER-EXEMPT-SUMMARY",
        decision_maker="MARKER-EXEMPT-MAKER",
        exempt_paragraph=3,
    )
    assert Decision.objects.filter(pk=decision.pk, exempt_paragraph=3).exists()
    OptionFactory(
        contract=contract,
        sequence=1,
        status=ExtensionOption.Status.EXERCISED,
        authorising_decision=decision,
        reason="Exercised as agreed",
    )
    DecisionContractLinkFactory(decision=decision, contract=contract)
    OutboundGrantFactory(programme=OutboundProgrammeFactory(authority=kent))
    urls = [
        reverse(name, kwargs={"authority": kent.pk})
        for name in ("public:ocds", "public:transparency_contracts", "public:giving")
    ] + [reverse("public:transparency_grants", kwargs={"authority": kent.pk}) + "?year=2016"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert contract.reference in body or "360G-" in body, url
        assert "MARKER" not in body, url


@pytest.mark.parametrize("stage", ["pipeline", "in_procurement", "standstill"])
def test_a_procurement_still_under_way_is_not_published(stage):
    """Contract.objects.published(): the one rule the register page, OCDS and the
    Transparency Code files share."""
    awarded = ContractFactory(reference="KCC-AWARDED")
    ContractFactory(reference="KCC-UNDERWAY", procurement_stage=stage)
    ids = {r["contracts"][0]["id"] for r in _package()["releases"]}
    assert ids == {awarded.reference}
