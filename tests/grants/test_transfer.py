"""CSV import and export of allocations (docs/grants-csv.md): commands and the page."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from grants import transfer
from grants.models import AllocationShare, Funder, GrantAllocation, GrantProgramme
from tests.contracts.factories import AuthorityFactory
from tests.grants.factories import AllocationFactory, CommitmentFactory

pytestmark = pytest.mark.django_db

HEADER = "funder,programme,recipient_authority,financial_year,amount,status,shares,conditions"
TABLE_2_CSV = f"""{HEADER}
OHID,Supplemental Substance Misuse Treatment and Recovery Grant,West Northamptonshire Council,2023/24,"£1,366,000",confirmed,NNC=48.6%;WNC=51.4%,
OHID,Supplemental Substance Misuse Treatment and Recovery Grant,WNC,2024/25,£2.243m,indicative,NNC=48.6%;WNC=51.4%,
OHID,Rough Sleeping Drug and Alcohol Treatment Grant,WNC,2023/24,£811k,Confirmed,,
Office for Health Improvement and Disparities,Drug and alcohol treatment grants,Kent County Council,2022/23 to 2024/25,"11,424,253",confirmed,,"Maintain Public Health Grant investment at or above the 2020-21 level."
"""  # noqa: E501


@pytest.fixture
def councils():
    return {
        "north": AuthorityFactory(name="North Northamptonshire Council", short_name="NNC"),
        "west": AuthorityFactory(name="West Northamptonshire Council", short_name="WNC"),
        "kent": AuthorityFactory(name="Kent County Council", short_name="KCC"),
    }


@pytest.fixture
def ohid():
    return Funder.objects.create(
        name="Office for Health Improvement and Disparities", short_name="OHID"
    )


def _write(tmp_path, text: str, name: str = "grants.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_command_imports_every_row_with_shares_and_periods(tmp_path, councils, ohid, capsys):
    call_command("import_grants", str(_write(tmp_path, TABLE_2_CSV)))
    assert "Imported: 4 added, 0 updated, 0 unchanged." in capsys.readouterr().out
    ssmtrg = GrantAllocation.objects.get(programme__short_name="", financial_year="2023/24",
                                         programme__name__startswith="Supplemental")  # fmt: skip
    assert ssmtrg.amount == Decimal("1366000.00")
    assert ssmtrg.status == "confirmed"
    assert {s.authority.short_name: s.percentage for s in ssmtrg.shares.all()} == {
        "NNC": Decimal("48.6"),
        "WNC": Decimal("51.4"),
    }
    assert GrantAllocation.objects.get(financial_year="2024/25").amount == Decimal("2243000.00")
    kent = GrantAllocation.objects.get(authority=councils["kent"])
    assert (kent.financial_year, kent.last_financial_year) == ("2022/23", "2024/25")
    assert kent.amount == Decimal("11424253.00")
    # "OHID" is found by its short name: one funder, not two.
    assert Funder.objects.count() == 1
    assert kent.history.latest().history_change_reason == "Imported from grants.csv"


def test_a_dry_run_reports_and_saves_nothing(tmp_path, councils, ohid, capsys):
    call_command("import_grants", str(_write(tmp_path, TABLE_2_CSV)), "--dry-run")
    assert "Dry run, nothing saved: 4 to add, 0 to update, 0 unchanged." in capsys.readouterr().out
    assert not GrantAllocation.objects.exists()
    assert not GrantProgramme.objects.exists()


BAD_ROWS = [
    ("OHID,SSMTRG,WNC,2023-24,1000,confirmed,,", "line 3: enter a financial year like 2024/25"),
    (
        'OHID,SSMTRG,WNC,2023/24,"£35,368,00",confirmed,,',
        'line 3: cannot read "£35,368,00" as an amount of money: the commas do not mark',
    ),
    (
        'OHID,SSMTRG,WNC,2023/24,"£2,45M",confirmed,,',
        'line 3: cannot read "£2,45M" as an amount of money',
    ),
    ("OHID,SSMTRG,WNC,2023/24,-5,confirmed,,", "an allocation cannot be negative"),
    ("OHID,SSMTRG,WNC,2023/24,1000,maybe,,", 'line 3: status "maybe" must be indicative'),
    ("OHID,SSMTRG,WNC,2023/24,1000,confirmed,NNC=48.6%;WNC=50%,", "line 3: the shares add up"),
    ("OHID,SSMTRG,WNC,2023/24,1000,confirmed,NNC=48.6;WNC=51.4%,", "line 3: cannot read the share"),
    (
        "OHID,SSMTRG,Nowhere\x07 Council,2023/24,1000,confirmed,,",
        "line 3: recipient_authority name: enter this on one line",
    ),
    ("OHID,,WNC,2023/24,1000,confirmed,,", "line 3: programme is empty"),
    ("OHID,SSMTRG,WNC,2023/24,1000,confirmed,,", "line 3: repeats the allocation on line 2"),
]


@pytest.mark.parametrize(("row", "message"), BAD_ROWS)
def test_a_bad_row_is_named_by_line_and_nothing_is_imported(
    tmp_path, councils, ohid, row, message, capsys
):
    text = f"{HEADER}\nOHID,SSMTRG,WNC,2023/24,1000,confirmed,,\n{row}\n"
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_grants", str(_write(tmp_path, text)))
    assert message.lower() in capsys.readouterr().err.lower()
    # All or nothing: the good row on line 2 is not saved either.
    assert not GrantAllocation.objects.exists()


def test_authorities_not_recorded_are_added_as_the_contracts_import_adds_them(
    tmp_path, councils, ohid, commissioner, capsys
):
    from contracts.models import Authority

    text = (
        f"{HEADER}\nOHID,SSMTRG,Nowhere Council,2023/24,1000,confirmed,NNC=40%;Elsewhere=60%,\n"
        "OHID,HSG,nowhere council,2023/24,500,confirmed,,\n"
    )
    plan = transfer.plan_import(text)
    assert plan.errors == [] and plan.counts() == {"added": 2, "updated": 0, "unchanged": 0}
    assert not Authority.objects.filter(name__in=["Nowhere Council", "Elsewhere"]).exists()
    transfer.apply_import(plan, reason="Imported from new.csv", user=commissioner)
    nowhere = Authority.objects.get(name="Nowhere Council")  # once, whatever the case
    assert nowhere.history.get().history_change_reason == "Imported from new.csv"
    assert nowhere.history.get().history_user == commissioner
    allocation = GrantAllocation.objects.get(authority=nowhere, programme__name="SSMTRG")
    assert {s.authority.name: s.percentage for s in allocation.shares.all()} == {
        "North Northamptonshire Council": Decimal("40"),
        "Elsewhere": Decimal("60"),
    }
    assert allocation.history.get().history_user == commissioner


def test_a_wrong_header_is_refused_naming_the_missing_columns(councils):
    plan = transfer.plan_import("funder,programme,amount\nOHID,SSMTRG,1000\n")
    assert plan.errors == [
        f"line 1: the header must be {HEADER} (missing: recipient_authority, financial_year, "
        "status, shares, conditions)"
    ]


def test_an_import_cannot_cut_an_allocation_below_its_commitments(councils, ohid):
    allocation = AllocationFactory(
        programme=GrantProgramme.objects.create(funder=ohid, name="SSMTRG"),
        authority=councils["west"],
        financial_year="2023/24",
        amount=Decimal("1000.00"),
    )
    CommitmentFactory(allocation=allocation, amount=Decimal("800.00"))
    plan = transfer.plan_import(f"{HEADER}\nOHID,SSMTRG,WNC,2023/24,700,confirmed,,\n")
    assert plan.errors == [
        "line 2: £800.00 of this allocation is already committed. "
        "Enter an amount at least that large, or reduce the commitments first."
    ]


def test_export_then_import_round_trips_unchanged(tmp_path, councils, ohid, capsys):
    call_command("import_grants", str(_write(tmp_path, TABLE_2_CSV)))
    out = tmp_path / "export.csv"
    call_command("export_grants", "--output", str(out))
    exported = out.read_text(encoding="utf-8")
    assert exported.splitlines()[0] == HEADER
    assert len(exported.splitlines()) == 5
    before = sorted(
        (a.programme.name, a.authority.name, a.period_label, a.amount, a.status, a.conditions)
        for a in GrantAllocation.objects.with_related()
    )
    shares_before = sorted(AllocationShare.objects.values_list("authority", "percentage"))
    plan = transfer.plan_import(exported)
    assert plan.errors == []
    assert [row.action for row in plan.rows] == ["unchanged"] * 4
    call_command("import_grants", str(out))
    assert "0 added, 0 updated, 4 unchanged" in capsys.readouterr().out
    after = sorted(
        (a.programme.name, a.authority.name, a.period_label, a.amount, a.status, a.conditions)
        for a in GrantAllocation.objects.with_related()
    )
    assert after == before
    assert sorted(AllocationShare.objects.values_list("authority", "percentage")) == shares_before
    # Export again: byte for byte the same file.
    call_command("export_grants", "--output", str(out))
    assert out.read_text(encoding="utf-8") == exported


def test_a_changed_amount_is_an_update(tmp_path, councils, ohid, capsys):
    call_command("import_grants", str(_write(tmp_path, TABLE_2_CSV)))
    changed = TABLE_2_CSV.replace("£811k", "£812k")
    plan = transfer.plan_import(changed)
    assert [row.action for row in plan.rows].count("update") == 1
    call_command("import_grants", str(_write(tmp_path, changed)))
    assert "0 added, 1 updated, 3 unchanged" in capsys.readouterr().out


def _upload(text: str, name: str = "grants.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_page_previews_then_imports_on_confirm(commissioner_client, councils, ohid):
    url = reverse("grants:import")
    assert HEADER in commissioner_client.get(url).content.decode()
    preview = commissioner_client.post(url, {"file": _upload(TABLE_2_CSV)})
    page = preview.content.decode()
    assert "4 rows checked: 4 to add, 0 to update, 0 unchanged." in page
    assert "Nothing is saved until you confirm." in page
    assert not GrantAllocation.objects.exists()
    response = commissioner_client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert response.status_code == 302 and response["Location"] == reverse("grants:list")
    assert GrantAllocation.objects.count() == 4


def test_the_page_shows_every_bad_row_and_offers_no_confirm(commissioner_client, councils, ohid):
    text = f"{HEADER}\n{BAD_ROWS[0][0]}\n{BAD_ROWS[4][0]}\nOHID,SSMTRG,WNC,2023/24,1,confirmed,,\n"
    response = commissioner_client.post(reverse("grants:import"), {"file": _upload(text)})
    page = response.content.decode()
    assert "The file was not imported: 2 problems" in page
    assert "line 2: enter a financial year like 2024/25" in page
    assert 'line 3: status "maybe" must be indicative' in page.replace("&quot;", '"')
    assert "Import these allocations" not in page
    # Confirming without a checked file imports nothing.
    response = commissioner_client.post(reverse("grants:import"), {"confirm": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("grants:import")
    assert not GrantAllocation.objects.exists()


def test_a_windows_file_is_read_and_one_that_is_not_text_is_refused(
    commissioner_client, councils, ohid
):
    windows = f"{HEADER}\nOHID,SSMTRG,WNC,2023/24,£1000,confirmed,,Café\n".encode("cp1252")
    upload = SimpleUploadedFile("grants.csv", windows, content_type="text/csv")
    response = commissioner_client.post(reverse("grants:import"), {"file": upload})
    assert response.context["plan"].rows[0].conditions == "Café"
    junk = SimpleUploadedFile("grants.csv", b"\x81\x8d\x8f\x90\x9d", content_type="text/csv")
    response = commissioner_client.post(reverse("grants:import"), {"file": junk})
    assert response.status_code == 200
    assert "saved as text" in response.context["form"].errors["file"][0]


def test_only_commissioners_import(clerk_client):
    response = clerk_client.post(reverse("grants:import"), {"file": _upload(TABLE_2_CSV)})
    assert response.status_code == 403


def test_the_export_page_writes_the_import_format(commissioner_client, councils, ohid):
    transfer.apply_import(transfer.plan_import(TABLE_2_CSV))
    response = commissioner_client.get(reverse("grants:export"))
    lines = response.getvalue().decode().splitlines()
    assert lines[0] == HEADER
    assert (
        "Office for Health Improvement and Disparities,"
        "Supplemental Substance Misuse Treatment and Recovery Grant,"
        "West Northamptonshire Council,2023/24,1366000.00,confirmed,NNC=48.6%;WNC=51.4%,"
    ) in lines


def test_the_documented_example_imports(councils, ohid):
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "grants-csv.md").read_text()
    example = doc.split("```csv\n", 1)[1].split("```", 1)[0]
    plan = transfer.plan_import(example)
    assert plan.errors == []
    assert plan.counts()["added"] == 5
    transfer.apply_import(plan)
    kent = GrantAllocation.objects.get(authority=councils["kent"])
    assert kent.amount == Decimal("11424253.00")
    assert "2020-21 level" in kent.conditions
