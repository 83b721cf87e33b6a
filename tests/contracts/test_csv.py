"""The contracts CSV format (docs/contracts-csv.md): import, export, commands, upload."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from contracts import csv_format
from contracts.models import Authority, Contract, CostShare, ExtensionOption, Provider
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ShareFactory,
    kent_contract,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
HEADER = ",".join(csv_format.COLUMNS)
KENT_ROW = (
    "KCC-YP,Young people's service,,drug_alcohol,,Kent County Council,,2025-02-01,"
    '2027-01-31,24+12,0,£803671.80,1,2,psr_competitive,"£4,099,533.88"'
)
NORTHANTS_ROW = (
    "NWN-1,Adult treatment,,drug_alcohol,Change Grow Live,West Northamptonshire Council,"
    '"North Northamptonshire Council=48.6%;West Northamptonshire Council=51.4%",'
    '01/04/2018,31/03/2024,24,1,"£5,394,000",0,2,open,'
)


def _csv(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Contract, ExtensionOption, CostShare, Authority, Provider)
    )


def test_a_good_file_adds_contracts_with_options_shares_and_new_authorities():
    counts = csv_format.apply(csv_format.parse(_csv(KENT_ROW, NORTHANTS_ROW)), reason="test")
    assert counts == {"added": 2, "updated": 0, "unchanged": 0}
    kent = Contract.objects.get(reference="KCC-YP")
    assert kent.annual_value == Decimal("803671.80")
    assert kent.provider is None
    assert [(o.months, o.status) for o in kent.options.order_by("sequence")] == [
        (24, "pending"),
        (12, "pending"),
    ]
    northants = Contract.objects.get(reference="NWN-1")
    assert northants.provider.name == "Change Grow Live"  # created
    assert northants.start_date == date(2018, 4, 1)
    assert northants.options.get().status == "exercised"
    assert sorted((s.authority.name, s.percentage) for s in northants.shares.all()) == [
        ("North Northamptonshire Council", Decimal("48.6")),
        ("West Northamptonshire Council", Decimal("51.4")),
    ]
    assert kent.history.latest().history_change_reason == "test"


def test_a_malformed_file_writes_nothing_and_names_every_bad_line():
    AuthorityFactory(name="Kent County Council")
    before = _counts()
    text = _csv(
        KENT_ROW,  # line 2: good
        KENT_ROW.replace("KCC-YP", "BAD-MONEY").replace("£803671.80", '"£35,368,00"'),
        KENT_ROW.replace("KCC-YP", "BAD-DATE").replace("2025-02-01", "31/02/2025"),
        KENT_ROW.replace("KCC-YP", "BAD-END").replace("2027-01-31", "2024-01-31"),
        KENT_ROW.replace("KCC-YP", "BAD-OPT").replace("24+12", "24+0"),
        KENT_ROW.replace("KCC-YP", "BAD-EXER").replace("24+12,0", "24+12,3"),
        KENT_ROW.replace("KCC-YP", "BAD-ROUTE").replace("psr_competitive", "handshake"),
        KENT_ROW.replace("KCC-YP", "BAD-STATED").replace("£4,099,533.88", "£2,45M"),
        KENT_ROW.replace(",,Kent County Council,,", ',,Kent County Council,"A=60%;B=30%",'),
        KENT_ROW,  # line 10: the same reference as line 2
        KENT_ROW.replace("KCC-YP", "BAD-UPLIFT").replace(",1,2,psr", ",-1,2,psr"),
    )
    with pytest.raises(csv_format.ImportErrors) as raised:
        csv_format.apply(csv_format.parse(text), reason="test")
    errors = raised.value.errors
    assert [e.split(":")[0] for e in errors] == [f"line {n}" for n in range(3, 13)]
    assert '"£35,368,00"' in errors[0] and "annual_value" in errors[0]
    assert 'start_date "31/02/2025" is not a date' in errors[1]
    assert "is before start_date" in errors[2]
    assert "at least 1 month" in errors[3]
    assert 'extensions_exercised "3"' in errors[4]
    assert 'procurement_route "handshake"' in errors[5]
    assert '"£2,45M"' in errors[6] and "stated_whole_life_value" in errors[6]
    assert "add up to 90%" in errors[7]
    assert 'reference "KCC-YP" is also on line 2' in errors[8]
    assert "annual_uplift_percent" in errors[9]
    assert _counts() == before


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "line 1: the file is empty"),
        (HEADER.replace("title,", ""), 'line 1: the column "title" is missing'),
        (HEADER + ",colour", 'line 1: unknown column "colour"'),
    ],
)
def test_a_bad_header_is_reported_on_line_1(header, message):
    with pytest.raises(csv_format.ImportErrors) as raised:
        csv_format.parse(header + "\n" + KENT_ROW + "\n" if header else "")
    assert message in raised.value.errors[0]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("£1,234,567.89", Decimal("1234567.89")),
        ("1234567.89", Decimal("1234567.89")),
        ("£1.2m", Decimal("1200000.00")),
        ("£800k", Decimal("800000.00")),
    ],
)
def test_money_is_read_in_the_forms_councils_write(written, expected):
    row = KENT_ROW.replace("£803671.80", f'"{written}"')
    assert csv_format.parse(_csv(row))[0].annual_value == expected


def test_fixed_amount_shares_must_total_the_annual_value():
    row = KENT_ROW.replace(
        ",,Kent County Council,,", ',,Kent County Council,"Kent County Council=800000;B=3671.80",'
    )
    shares = csv_format.parse(_csv(row))[0].shares
    assert [(s.authority, s.fixed_amount) for s in shares] == [
        ("Kent County Council", Decimal("800000.00")),
        ("B", Decimal("3671.80")),
    ]
    with pytest.raises(csv_format.ImportErrors) as raised:
        csv_format.parse(_csv(row.replace("B=3671.80", "B=3671.81")))
    assert "must add up to the annual value of £803,671.80" in raised.value.errors[0]


def test_the_computed_columns_are_ignored_on_import():
    text = _csv(KENT_ROW).replace(HEADER, HEADER + ",whole_life_value,reconciliation")
    text = text.replace('"£4,099,533.88"', '"£4,099,533.88",1.00,nonsense')
    assert csv_format.parse(text)[0].reference == "KCC-YP"


@time_machine.travel(TODAY, tick=False)
def test_export_then_import_round_trips_exactly():
    north = AuthorityFactory(name="North Northamptonshire Council")
    west = AuthorityFactory(name="West Northamptonshire Council")
    kent = kent_contract(reference="KCC-YP", description='Line one, with "quotes"\nline two')
    kent_option = kent.options.get(sequence=1)
    kent_option.status = "declined"
    kent_option.save()
    second = kent.options.get(sequence=2)
    second.status = "exercised"
    second.save()
    shared = ContractFactory(
        reference="NWN-1",
        lead_authority=west,
        annual_value=Decimal("5394000.00"),
        annual_uplift_percent=Decimal("0"),
        uplift_from_year=3,
        procurement_route="waiver",
    )
    OptionFactory(contract=shared, sequence=1, months=24, price=Decimal("680353.00"))
    ShareFactory(contract=shared, authority=north, percentage=None, fixed_amount=Decimal("2621484"))
    ShareFactory(contract=shared, authority=west, percentage=None, fixed_amount=Decimal("2772516"))
    first = csv_format.export(Contract.objects.with_related())
    history_before = Contract.history.count() + ExtensionOption.history.count()

    counts = csv_format.apply(csv_format.parse(first), reason="round trip")

    assert counts == {"added": 0, "updated": 0, "unchanged": 2}
    assert Contract.history.count() + ExtensionOption.history.count() == history_before
    assert csv_format.export(Contract.objects.with_related()) == first
    assert [o.status for o in kent.options.order_by("sequence")] == ["declined", "exercised"]
    rows = list(csv.DictReader(io.StringIO(first)))
    assert rows[0]["extension_options"] == "24+12" and rows[0]["extensions_exercised"] == "1"
    assert rows[1]["extension_options"] == "24:680353.00"
    assert rows[1]["cost_shares"] == (
        "North Northamptonshire Council=2621484.00;West Northamptonshire Council=2772516.00"
    )


@time_machine.travel(TODAY, tick=False)
def test_the_export_has_the_documented_columns_and_computed_figures():
    kent_contract(reference="KCC-YP")
    bad = kent_contract(reference="KCC-BAD")
    bad.stated_whole_life_value = "£4.2m"
    bad.save()
    rows = list(csv.DictReader(io.StringIO(csv_format.export(Contract.objects.with_related()))))
    assert list(rows[0]) == list(csv_format.COLUMNS + csv_format.COMPUTED_COLUMNS)
    good = {r["reference"]: r for r in rows}["KCC-YP"]
    assert good["start_date"] == "2025-02-01"
    assert good["annual_value"] == "803671.80"
    assert good["current_end_date"] == "2027-01-31"
    assert good["max_end_date"] == "2030-01-31"
    assert good["whole_life_value"] == "4099533.88"
    assert good["value_to_current_end"] == "1615380.32"
    assert good["reconciliation"] == "ok"
    assert {r["reference"]: r for r in rows}["KCC-BAD"]["reconciliation"] == (
        "mismatch: stated 4200000.00, computed 4099533.88"
    )


def test_reimporting_updates_by_reference_and_history_says_so():
    csv_format.apply(csv_format.parse(_csv(KENT_ROW)), reason="first")
    changed = KENT_ROW.replace("24+12,0", "24+12,1").replace("£803671.80", "£810000")
    counts = csv_format.apply(csv_format.parse(_csv(changed)), reason="Imported from v2.csv")
    assert counts == {"added": 0, "updated": 1, "unchanged": 0}
    contract = Contract.objects.get(reference="KCC-YP")
    assert contract.annual_value == Decimal("810000.00")
    assert contract.version == 2
    assert contract.history.latest().history_change_reason == "Imported from v2.csv"
    assert contract.options.get(sequence=1).status == "exercised"


def test_the_commands_export_and_import_with_a_dry_run(tmp_path, capsys):
    kent_contract(reference="KCC-YP")
    out = tmp_path / "contracts.csv"
    call_command("export_contracts", "--output", str(out))
    text = out.read_text()
    assert text.splitlines()[0].startswith(HEADER)
    Contract.objects.get(reference="KCC-YP").delete()

    call_command("import_contracts", str(out), "--dry-run")
    assert "line 2: add: KCC-YP (whole-life value 4099533.88)" in capsys.readouterr().out
    assert not Contract.objects.filter(reference="KCC-YP").exists()

    call_command("import_contracts", str(out))
    assert "1 added" in capsys.readouterr().out
    assert Contract.objects.filter(reference="KCC-YP").exists()


def test_the_import_command_refuses_a_bad_file_and_lists_the_lines(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(_csv(KENT_ROW.replace("2025-02-01", "tomorrow"), KENT_ROW.replace("24+12", "x")))
    with pytest.raises(CommandError) as raised:
        call_command("import_contracts", str(bad))
    assert "nothing was written" in str(raised.value)
    assert "line 2:" in str(raised.value) and "line 3:" in str(raised.value)
    assert not Contract.objects.exists()


def _upload(client, text: str, name: str = "contracts.csv"):
    return client.post(
        reverse("contracts:import"),
        {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")},
    )


@time_machine.travel(TODAY, tick=False)
def test_the_register_uploads_previews_then_imports_on_confirmation(commissioner_client):
    preview = _upload(commissioner_client, _csv(KENT_ROW, NORTHANTS_ROW))
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Check the import of contracts.csv" in html
    assert "£4,099,533.88" in html and "Agrees" in html
    assert [r.action for r in preview.context["rows"]] == ["add", "add"]
    assert preview.context["counts"] == {"added": 2, "updated": 0, "unchanged": 0}
    assert not Contract.objects.exists()  # nothing until confirmed

    response = commissioner_client.post(
        reverse("contracts:import"), {"confirm": "1", "token": preview.context["token"]}
    )
    assert response.status_code == 302
    assert Contract.objects.count() == 2
    page = commissioner_client.get(response.url).content.decode()
    assert "Imported contracts.csv: 2 added, 0 updated, 0 unchanged." in page


def test_an_uploaded_file_with_bad_lines_lists_them_and_saves_nothing(commissioner_client):
    text = _csv(KENT_ROW, KENT_ROW.replace("KCC-YP", "X").replace("£803671.80", '"£2,45M"'))
    response = _upload(commissioner_client, text)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The file was not imported: 1 problem" in html
    assert "line 3: annual_value" in html
    assert not Contract.objects.exists()


def test_a_stale_or_forged_confirmation_imports_nothing(commissioner_client):
    _upload(commissioner_client, _csv(KENT_ROW))
    response = commissioner_client.post(
        reverse("contracts:import"), {"confirm": "1", "token": "forged"}
    )
    assert response.status_code == 302
    assert not Contract.objects.exists()


def test_a_file_that_is_not_text_is_refused(commissioner_client):
    response = commissioner_client.post(
        reverse("contracts:import"),
        {"file": SimpleUploadedFile("x.csv", b"\x81\x8d\x8f\x90\x9d", content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_only_commissioners_may_import(auditor_client):
    assert auditor_client.get(reverse("contracts:import")).status_code == 403
    response = _upload(auditor_client, _csv(KENT_ROW))
    assert response.status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_the_register_download_in_the_import_format_keeps_the_filters(auditor_client):
    kent_contract(reference="KCC-YP")
    ContractFactory(reference="OTHER-1", title="Sexual health", service_area="sexual_health")
    response = auditor_client.get(reverse("contracts:export"), {"service_area": "sexual_health"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert [r["reference"] for r in rows] == ["OTHER-1"]
    assert response["Content-Disposition"] == 'attachment; filename="contracts.csv"'


def test_the_documented_example_imports_and_the_kent_line_reconciles():
    from pathlib import Path

    doc = Path(__file__).resolve().parents[2] / "docs" / "contracts-csv.md"
    example = doc.read_text().split("```csv\n")[1].split("```")[0]
    assert example.splitlines()[0] == HEADER
    kent, northants = csv_format.parse(example)
    assert (kent.annual_value, [o.months for o in kent.options]) == (
        Decimal("803671.80"),
        [24, 12],
    )
    assert (northants.annual_value, northants.exercised) == (Decimal("5394000.00"), 1)
    csv_format.apply([kent, northants], reason="docs")
    rows = list(csv.DictReader(io.StringIO(csv_format.export(Contract.objects.with_related()))))
    assert {r["reference"]: r["reconciliation"] for r in rows}["KCC-PH-YPDA-2025"] == "ok"
    assert {r["reference"]: r["max_end_date"] for r in rows}["KCC-PH-YPDA-2025"] == "2030-01-31"
