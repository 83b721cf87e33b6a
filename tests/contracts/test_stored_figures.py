"""Stored figures (contracts.figures): every path that writes a contract, an option or a
share stores the contract's figures in the same transaction, and what is stored is
exactly figures_for's output. (The suite also checks stale_figures() after every
database test: tests/conftest.py.)"""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.bulk import bulk_create_with_history, bulk_update_with_history
from contracts import csv_format, figures, rules
from contracts.figures import deferred, figures_for, stale_figures, store_figures
from contracts.models import (
    Contract,
    ContractFigures,
    CostShare,
    ExtensionOption,
    ShareFigures,
    YearFigures,
)
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ShareFactory,
    kent_contract,
)
from tests.contracts.forms_data import contract_post
from tests.test_bounds import _admin_post

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


def _stored(contract) -> dict:
    """The three tables' rows for ``contract``, as plain values."""
    main = ContractFigures.objects.get(contract_id=contract.pk)
    return {
        "current_end": main.current_end,
        "maximum_end": main.maximum_end,
        "whole_life_value": main.whole_life_value,
        "value_to_current_end": main.value_to_current_end,
        "reconciliation": main.reconciliation_label,
        "shares": [
            (s.authority.name, s.label, s.annual, s.whole_life)
            for s in ShareFigures.objects.filter(contract_id=contract.pk).order_by("position")
        ],
        "years": {
            y.financial_year: y.amount
            for y in YearFigures.objects.filter(contract_id=contract.pk).order_by("financial_year")
        },
    }


def _computed(contract) -> dict:
    computed = figures_for(Contract.objects.with_related().get(pk=contract.pk))
    return {
        "current_end": computed.current_end,
        "maximum_end": computed.maximum_end,
        "whole_life_value": computed.whole_life_value,
        "value_to_current_end": computed.value_to_current_end,
        "reconciliation": computed.reconciliation.label if computed.reconciliation else "",
        "shares": [(s.authority.name, s.label, s.annual, s.whole_life) for s in computed.shares],
        "years": computed.financial_years,
    }


def _agrees(contract) -> dict:
    stored = _stored(contract)
    assert stored == _computed(contract)
    return stored


# --- What is stored ----------------------------------------------------------------------


def test_the_kent_seed_contract_is_stored_as_figures_for_computes_it():
    contract = kent_contract()
    stored = _agrees(contract)
    assert stored["whole_life_value"] == Decimal("4099533.88")
    assert stored["reconciliation"] == "ok"
    assert stored["current_end"] == date(2027, 1, 31)
    assert stored["maximum_end"] == date(2030, 1, 31)
    # No shares recorded: the lead authority's 100%.
    assert stored["shares"] == [
        (contract.lead_authority.name, "100%", Decimal("803671.80"), Decimal("4099533.88"))
    ]
    assert sum(stored["years"].values()) == Decimal("4099533.88")


def test_shares_mismatches_and_fixed_amounts_are_stored_in_order():
    north = AuthorityFactory(name="North Northamptonshire Council")
    west = AuthorityFactory(name="West Northamptonshire Council")
    contract = ContractFactory(
        lead_authority=west, annual_value=Decimal("1000.00"), stated_whole_life_value="£4.1m"
    )
    ShareFactory(contract=contract, authority=west, percentage=None, fixed_amount=Decimal("600"))
    ShareFactory(contract=contract, authority=north, percentage=None, fixed_amount=Decimal("400"))
    stored = _agrees(contract)
    assert stored["reconciliation"].startswith("mismatch: stated 4100000.00, computed ")
    assert [s[:3] for s in stored["shares"]] == [
        ("North Northamptonshire Council", "£400.00 a year", Decimal("400.00")),
        ("West Northamptonshire Council", "£600.00 a year", Decimal("600.00")),
    ]


def test_stale_figures_finds_missing_and_differing_rows():
    first, second, third = ContractFactory(), ContractFactory(), ContractFactory()
    assert stale_figures() == []
    ContractFigures.objects.filter(contract=first).update(whole_life_value=Decimal("1.00"))
    ShareFigures.objects.filter(contract=second).update(label="99%")
    YearFigures.objects.filter(contract=third).delete()
    assert stale_figures() == [first.pk, second.pk, third.pk]
    assert stale_figures([second.pk]) == [second.pk]
    ContractFigures.objects.filter(contract=second).delete()
    assert stale_figures([second.pk]) == [second.pk]
    store_figures([first.pk, second.pk, third.pk])
    assert stale_figures() == []


def test_store_figures_runs_a_fixed_number_of_queries_whatever_the_number_of_contracts():
    def queries_to_store(ids) -> int:
        with CaptureQueriesContext(connection) as queries:
            store_figures(ids)
        return len(queries)

    contracts = [kent_contract(reference=f"K-{n}") for n in range(3)]
    few = queries_to_store([c.pk for c in contracts])
    contracts += [kent_contract(reference=f"K-{n}") for n in range(3, 20)]
    for contract in contracts[3:]:
        ShareFactory(contract=contract, authority=contract.lead_authority)
    assert queries_to_store([c.pk for c in contracts]) == few


def test_store_figures_skips_contracts_that_no_longer_exist():
    contract = ContractFactory()
    assert store_figures([contract.pk, contract.pk + 1000]) == 1


# --- Same transaction ------------------------------------------------------------------------


def test_a_write_whose_figures_cannot_be_stored_is_rolled_back():
    contract = ContractFactory(title="Before")
    contract.title = "After"
    with (
        mock.patch.object(figures, "store_figures", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
        transaction.atomic(),  # as a request's, or a command's
    ):
        contract.save()
    contract.refresh_from_db()
    assert contract.title == "Before"


def test_deferred_stores_once_at_the_end_of_the_block():
    contract = ContractFactory()
    with mock.patch.object(figures, "store_figures", wraps=store_figures) as store:
        with deferred():
            OptionFactory(contract=contract, sequence=1, months=12)
            OptionFactory(contract=contract, sequence=2, months=6)
            with deferred():  # nested: still one store, at the outer end
                ShareFactory(contract=contract, authority=contract.lead_authority)
            assert store.call_count == 0
        assert store.call_count == 1
        assert set(store.call_args.args[0]) == {contract.pk}
    _agrees(contract)


def test_deferred_rolls_back_its_block_on_an_error_and_stores_nothing():
    contract = ContractFactory()
    with pytest.raises(ZeroDivisionError), deferred():
        OptionFactory(contract=contract, sequence=1, months=12)
        1 / 0  # noqa: B018
    assert not contract.options.exists()
    _agrees(contract)


def test_a_save_of_fields_that_feed_no_figure_stores_nothing():
    contract = ContractFactory()
    contract.title = "Renamed"
    with mock.patch.object(figures, "store_figures") as store:
        contract.save(update_fields=["title", "version", "updated_at"])
    store.assert_not_called()


# --- Every path --------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_the_contract_form_stores_the_figures_of_a_new_and_an_edited_contract(
    commissioner_client,
):
    AuthorityFactory(name="Kent County Council")
    AuthorityFactory(name="Medway Council")
    response = commissioner_client.post(
        reverse("contracts:create"),
        contract_post(options=[(24, "", ""), (12, "", "")], stated_whole_life_value="£4.1m"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    contract = Contract.objects.get(reference="KCC-PH-0123")
    assert _agrees(contract)["maximum_end"] == date(2030, 1, 31)
    first, second = contract.options.order_by("sequence")
    response = commissioner_client.post(
        reverse("contracts:edit", args=[contract.pk]),
        contract_post(
            annual_value="£900,000",
            version=str(contract.version),
            existing_options=[(first.pk, 24, "", "", False), (second.pk, 12, "", "", True)],
            shares=[("Kent County Council", "60", ""), ("Medway Council", "40", "")],
            reason="New prices",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = _agrees(contract)
    assert stored["maximum_end"] == date(2029, 1, 31)
    assert [s[:2] for s in stored["shares"]] == [
        ("Kent County Council", "60%"),
        ("Medway Council", "40%"),
    ]


@time_machine.travel(TODAY, tick=False)
def test_deciding_an_option_stores_the_new_current_end(commissioner_client):
    contract = kent_contract()
    first = contract.options.get(sequence=1)
    response = commissioner_client.post(
        reverse("contracts:option_decide", args=[contract.pk]),
        {
            "option": str(first.pk),
            "outcome": "exercise",
            "decided_on": "15/05/2026",
            "reason": "Good performance",
            "authorising_decision": "",
        },
    )
    assert response.status_code == 302
    assert _agrees(contract)["current_end"] == date(2029, 1, 31)
    second = contract.options.get(sequence=2)
    response = commissioner_client.post(
        reverse("contracts:option_decide", args=[contract.pk]),
        {
            "option": str(second.pk),
            "outcome": "decline",
            "decided_on": "16/05/2026",
            "reason": "Recommissioning",
            "authorising_decision": "",
        },
    )
    assert response.status_code == 302
    assert _agrees(contract)["maximum_end"] == date(2029, 1, 31)


def test_the_admin_stores_figures_on_add_and_change_with_inlines(admin_client):
    kent = AuthorityFactory(name="Kent County Council")
    medway = AuthorityFactory(name="Medway Council")
    add = reverse("admin:contracts_contract_add")
    response = _admin_post(
        admin_client,
        add,
        reference="ADM-1",
        title="Added in the admin",
        lead_authority=str(kent.pk),
        start_date="2025-02-01",
        initial_end_date="2027-01-31",
        annual_value="1000.00",
        annual_uplift_percent="0",
        uplift_from_year="2",
        **{
            "options-TOTAL_FORMS": "1",
            "options-INITIAL_FORMS": "0",
            "options-0-sequence": "1",
            "options-0-months": "12",
            "options-0-status": "exercised",
            "shares-TOTAL_FORMS": "2",
            "shares-INITIAL_FORMS": "0",
            "shares-0-authority": str(kent.pk),
            "shares-0-percentage": "75",
            "shares-1-authority": str(medway.pk),
            "shares-1-percentage": "25",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contract = Contract.objects.get(reference="ADM-1")
    stored = _agrees(contract)
    assert stored["current_end"] == date(2028, 1, 31)
    assert [s[:2] for s in stored["shares"]] == [
        ("Kent County Council", "75%"),
        ("Medway Council", "25%"),
    ]
    change = reverse("admin:contracts_contract_change", args=[contract.pk])
    response = _admin_post(
        admin_client,
        change,
        annual_value="2000.00",
        **{"options-0-months": "6", "shares-1-DELETE": "on", "shares-0-percentage": "100"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = _agrees(contract)
    assert stored["current_end"] == date(2027, 7, 31)
    assert [s[:3] for s in stored["shares"]] == [
        ("Kent County Council", "100%", Decimal("2000.00"))
    ]


def test_the_admin_refuses_a_stated_value_it_cannot_reconcile(admin_client):
    contract = ContractFactory()
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    response = _admin_post(admin_client, url, stated_whole_life_value="about four million")
    assert response.status_code == 200
    assert "Enter the stated whole-life value as the report wrote it" in (response.content.decode())


def test_the_csv_import_stores_figures_once_for_each_contract():
    header = ",".join(csv_format.COLUMNS)
    text = "\n".join(
        [
            header,
            "KCC-YP,Young people,,drug_alcohol,,Kent County Council,,2025-02-01,2027-01-31,"
            '24+12,1,£803671.80,1,2,psr_competitive,"£4,099,533.88"',
            "NWN-1,Adult treatment,,drug_alcohol,,West Northamptonshire Council,"
            '"North Northamptonshire Council=48.6%;West Northamptonshire Council=51.4%",'
            '01/04/2018,31/03/2024,24,1,"£5,394,000",0,2,open,',
        ]
    )
    with mock.patch.object(figures, "store_figures", wraps=store_figures) as store:
        counts = csv_format.apply(csv_format.parse(text + "\n"), reason="import")
    assert counts["added"] == 2
    assert store.call_count == 1
    kent = Contract.objects.get(reference="KCC-YP")
    assert _agrees(kent)["current_end"] == date(2029, 1, 31)
    northants = Contract.objects.get(reference="NWN-1")
    assert [s[1] for s in _agrees(northants)["shares"]] == ["48.6%", "51.4%"]
    # Re-importing a change updates the stored figures too.
    csv_format.apply(csv_format.parse((text + "\n").replace("24+12,1", "24+12,2")), reason="2")
    assert _agrees(kent)["current_end"] == date(2030, 1, 31)


def test_the_import_command_stores_figures(tmp_path):
    path = tmp_path / "contracts.csv"
    path.write_text(
        ",".join(csv_format.COLUMNS)
        + "\nCMD-1,By command,,drug_alcohol,,Kent County Council,,2025-02-01,2027-01-31,"
        "12,0,£1000,0,2,open,\n",
        encoding="utf-8",
    )
    call_command("import_contracts", str(path))
    _agrees(Contract.objects.get(reference="CMD-1"))


def test_audit_bulk_writes_store_the_figures():
    kent = AuthorityFactory(name="Kent County Council")
    contracts = bulk_create_with_history(
        [
            Contract(
                reference=f"BULK-{n}",
                title="Bulk",
                lead_authority=kent,
                start_date=date(2025, 4, 1),
                initial_end_date=date(2026, 3, 31),
                annual_value=Decimal("1200.00"),
            )
            for n in range(3)
        ]
    )
    for contract in contracts:
        assert _agrees(contract)["whole_life_value"] == Decimal("1200.00")
    options = bulk_create_with_history(
        [ExtensionOption(contract=c, sequence=1, months=12) for c in contracts]
    )
    assert _agrees(contracts[0])["maximum_end"] == date(2027, 3, 31)
    for option in options:
        option.status = ExtensionOption.Status.EXERCISED
    bulk_update_with_history(options, ["status"])
    assert _agrees(contracts[1])["current_end"] == date(2027, 3, 31)
    bulk_create_with_history(
        [CostShare(contract=contracts[2], authority=kent, percentage=Decimal("100"))]
    )
    assert _agrees(contracts[2])["shares"][0][1] == "100%"
    for contract in contracts:
        contract.annual_value = Decimal("2400.00")
    bulk_update_with_history(contracts, ["annual_value"])
    assert _agrees(contracts[0])["whole_life_value"] == Decimal("4800.00")


def test_deleting_an_option_or_a_share_stores_the_figures():
    contract = kent_contract()
    medway = AuthorityFactory(name="Medway Council")
    share = ShareFactory(
        contract=contract, authority=contract.lead_authority, percentage=Decimal("50")
    )
    ShareFactory(contract=contract, authority=medway, percentage=Decimal("50"))
    assert len(_agrees(contract)["shares"]) == 2
    contract.options.get(sequence=2).delete()
    assert _agrees(contract)["maximum_end"] == date(2029, 1, 31)
    share.delete()
    _agrees(contract)  # 50% of it all: the stored split follows the rule
    # A queryset delete sends post_delete for each row too.
    ExtensionOption.objects.filter(contract=contract).delete()
    CostShare.objects.filter(contract=contract).delete()
    stored = _agrees(contract)
    assert stored["maximum_end"] == date(2027, 1, 31)
    assert stored["shares"][0][1] == "100%"


def test_deleting_contracts_takes_their_stored_figures():
    one, two, three = (
        kent_contract(reference="A"),
        kent_contract(reference="B"),
        kent_contract(reference="C"),
    )
    ShareFactory(contract=two, authority=two.lead_authority)
    one.delete()
    Contract.objects.filter(pk=two.pk).delete()
    assert set(ContractFigures.objects.values_list("contract_id", flat=True)) == {three.pk}
    assert set(ShareFigures.objects.values_list("contract_id", flat=True)) == {three.pk}
    assert set(YearFigures.objects.values_list("contract_id", flat=True)) == {three.pk}


def test_load_demo_stores_every_contracts_figures(roles, settings):
    settings.DEBUG = True
    with mock.patch.object(figures, "store_figures", wraps=store_figures) as store:
        call_command("load_demo")
    assert store.call_count == 1  # one store, at the end
    assert Contract.objects.count() > 5
    assert ContractFigures.objects.count() == Contract.objects.count()
    assert stale_figures() == []


# --- refresh_figures ---------------------------------------------------------------------


@pytest.mark.stale_figures_allowed
def test_refresh_figures_check_lists_stale_contracts_and_exits_1(capsys):
    good, bad, missing = (kent_contract(reference=r) for r in ("GOOD", "BAD", "MISSING"))
    call_command("refresh_figures", "--check")
    assert "agree" in capsys.readouterr().out
    ContractFigures.objects.filter(contract=bad).update(current_end=date(2099, 1, 1))
    ContractFigures.objects.filter(contract=missing).delete()
    with pytest.raises(CommandError, match="2 contract") as error:
        call_command("refresh_figures", "--check")
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert "stale: BAD" in out and "stale: MISSING" in out and "GOOD" not in out
    assert stale_figures() == [bad.pk, missing.pk]


@pytest.mark.stale_figures_allowed
def test_refresh_figures_rebuilds_everything(capsys):
    contracts = [kent_contract(reference=f"R-{n}") for n in range(3)]
    ContractFigures.objects.all().delete()
    ShareFigures.objects.all().delete()
    YearFigures.objects.filter(contract=contracts[0]).update(amount=Decimal("0"))
    assert len(stale_figures()) == 3
    call_command("refresh_figures")
    assert "3 contract" in capsys.readouterr().out
    assert stale_figures() == []
    call_command("refresh_figures", "--check")


def test_a_save_that_skips_validation_with_an_unreadable_stated_value_saves_nothing():
    """Forms and the admin refuse it at the field; a save from code that skips them
    cannot store a contract whose figures cannot be worked out."""
    contract = ContractFactory(annual_value=Decimal("1000.00"), stated_whole_life_value="£4.1m")
    contract.refresh_from_db()
    contract.stated_whole_life_value = "r2e9"
    with pytest.raises(rules.MoneyError), transaction.atomic():  # as code in autocommit
        contract.save()
    contract.refresh_from_db()
    assert contract.stated_whole_life_value == "£4.1m"
    assert stale_figures() == []
