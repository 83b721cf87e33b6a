"""Modifications feed the stored figures (contracts.figures, docs/domain.md "Rules:
Modifications"): every path that writes one stores its contract's figures, the
whole-life value and ends reflect it, the original value does not, the contract page
shows both, and a contract as it stood on a date has the modifications it had then.
(The suite also checks stale_figures() after every database test: tests/conftest.py.)
"""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.bulk import bulk_create_with_history
from contracts import figures
from contracts.asof import contract_as_of
from contracts.figures import figures_for, lifetime_change_of, stale_figures
from contracts.models import Contract, ContractFigures, Modification, YearFigures
from contracts.timeline import bars_for
from tests.contracts.factories import (
    AuthorityFactory,
    ContractFactory,
    OptionFactory,
    ShareFactory,
)
from tests.test_bounds import _admin_post

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def _salford():
    """Issue 14's £50,951,600 contract: £7,278,800 a year from 1 April 2026 for five
    years, then two options of a year, shared by three councils in fixed amounts."""
    with figures.deferred():
        contract = ContractFactory(
            reference="GM-ADULTS",
            lead_authority=AuthorityFactory(name="Salford City Council"),
            start_date=date(2026, 4, 1),
            initial_end_date=date(2031, 3, 31),
            annual_value=Decimal("7278800"),
            annual_uplift_percent=Decimal("0"),
        )
        OptionFactory(contract=contract, sequence=1, months=12)
        OptionFactory(contract=contract, sequence=2, months=12)
        for name, amount in [
            ("Salford City Council", "4000000"),
            ("Stockport Council", "1517000"),
            ("Trafford Council", "1761800"),
        ]:
            ShareFactory(
                contract=contract,
                authority=AuthorityFactory(name=name),
                percentage=None,
                fixed_amount=Decimal(amount),
            )
    return contract


def _modification(contract, sequence=1, **fields) -> Modification:
    values = {
        "kind": Modification.Kind.VALUE,
        "description": "More treatment places",
        "effective_date": date(2027, 6, 15),
        "ground": Modification.Ground.AUTHORITY,
        **fields,
    }
    return Modification.objects.create(contract=contract, sequence=sequence, **values)


def _stored(contract) -> ContractFigures:
    return ContractFigures.objects.get(contract_id=contract.pk)


def _year_total(contract) -> Decimal:
    return sum(YearFigures.objects.filter(contract=contract).values_list("amount", flat=True))


def test_a_320000_variation_on_50951600_stores_51271600_and_the_original():
    contract = _salford()
    assert _stored(contract).whole_life_value == Decimal("50951600.00")
    _modification(contract, lifetime_value_change=Decimal("320000"))
    stored = _stored(contract)
    assert stored.whole_life_value == Decimal("51271600.00")
    assert stored.original_whole_life_value == Decimal("50951600.00")
    assert _year_total(contract) == Decimal("51271600.00")
    computed = figures_for(Contract.objects.with_related().get(pk=contract.pk))
    assert sum(row.amount for row in computed.years) == Decimal("51271600.00")
    assert sum(share.whole_life for share in computed.shares) == Decimal("51271600.00")
    assert stale_figures() == []


def test_an_annual_change_moves_the_value_to_the_current_end_and_the_shares():
    contract = _salford()
    _modification(contract, effective_date=date(2030, 4, 1), annual_value_change=Decimal("365000"))
    stored = _stored(contract)
    # A full year in the core term (to 31 March 2031) and the two option years.
    assert stored.value_to_current_end == Decimal("36394000.00") + Decimal("365000.00")
    assert stored.whole_life_value == Decimal("50951600.00") + 3 * Decimal("365000.00")
    computed = figures_for(Contract.objects.with_related().get(pk=contract.pk))
    assert sum(share.annual for share in computed.shares) == Decimal("7643800.00")


def test_a_term_change_moves_the_stored_ends():
    contract = _salford()
    _modification(
        contract,
        kind=Modification.Kind.TERM,
        effective_date=date(2031, 1, 1),
        new_end_date=date(2031, 9, 30),
    )
    stored = _stored(contract)
    assert (stored.current_end, stored.maximum_end) == (date(2031, 9, 30), date(2033, 9, 30))
    assert stored.whole_life_value == Decimal("50951600.00") + Decimal("3639400.00")
    assert stored.original_whole_life_value == Decimal("50951600.00")


def test_changing_and_deleting_a_modification_store_the_figures_again():
    contract = _salford()
    modification = _modification(contract, lifetime_value_change=Decimal("320000"))
    modification.lifetime_value_change = Decimal("-100000")
    modification.save()
    assert _stored(contract).whole_life_value == Decimal("50851600.00")
    modification.delete()
    assert _stored(contract).whole_life_value == Decimal("50951600.00")
    assert stale_figures() == []


def test_a_queryset_delete_of_modifications_stores_the_figures_again():
    contract = _salford()
    _modification(contract, lifetime_value_change=Decimal("320000"))
    _modification(contract, sequence=2, lifetime_value_change=Decimal("1000"))
    Modification.objects.filter(contract=contract).delete()
    assert _stored(contract).whole_life_value == Decimal("50951600.00")
    assert stale_figures() == []


def test_deleting_a_contract_with_modifications_leaves_nothing_stale():
    contract = _salford()
    _modification(contract, lifetime_value_change=Decimal("320000"))
    contract.delete()
    assert stale_figures() == []


def test_bulk_written_modifications_store_the_figures():
    contract = _salford()
    bulk_create_with_history(
        [
            Modification(
                contract=contract,
                sequence=1,
                kind=Modification.Kind.VALUE,
                description="Bulk",
                effective_date=date(2027, 6, 15),
                lifetime_value_change=Decimal("320000"),
                ground=Modification.Ground.AUTHORITY,
            )
        ],
        reason="bulk",
    )
    assert _stored(contract).whole_life_value == Decimal("51271600.00")
    assert stale_figures() == []


def test_the_admin_stores_figures_for_a_modification_made_in_its_inline(admin_client):
    contract = _salford()
    url = reverse("admin:contracts_contract_change", args=[contract.pk])
    response = _admin_post(
        admin_client,
        url,
        **{
            "modifications-TOTAL_FORMS": "1",
            "modifications-0-sequence": "1",
            "modifications-0-kind": "value",
            "modifications-0-description": "More treatment places",
            "modifications-0-effective_date": "2027-06-15",
            "modifications-0-lifetime_value_change": "320000",
            "modifications-0-ground": "authority",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert contract.modifications.get().history.count() == 1
    stored = _stored(contract)
    assert stored.whole_life_value == Decimal("51271600.00")
    assert stored.original_whole_life_value == Decimal("50951600.00")
    assert stale_figures() == []


def test_refresh_figures_check_passes_with_modifications():
    contract = _salford()
    _modification(contract, lifetime_value_change=Decimal("320000"))
    _modification(
        contract, sequence=2, effective_date=date(2031, 1, 1), new_end_date=date(2031, 6, 30)
    )
    call_command("refresh_figures", "--check")


def test_lifetime_change_of_gives_an_unsaved_modification_its_change():
    contract = _salford()
    _modification(contract, lifetime_value_change=Decimal("320000"))
    new = Modification(
        contract=contract,
        sequence=2,
        effective_date=date(2032, 4, 1),
        annual_value_change=Decimal("365000"),
    )
    contract = Contract.objects.with_related().get(pk=contract.pk)
    assert lifetime_change_of(contract, new) == Decimal("365000.00")
    new.sequence = None  # not numbered yet: after the others
    assert lifetime_change_of(contract, new) == Decimal("365000.00")


# --- The contract page ----------------------------------------------------------------


def _summary(html: str, key: str) -> str:
    after = html.split(f'<dt class="govuk-summary-list__key">{key}</dt>', 1)[1]
    return after.split("</dd>", 1)[0].rsplit(">", 1)[1]


def test_the_contract_page_shows_the_original_and_current_value_with_modifications(
    commissioner_client,
):
    contract = _salford()
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert "Original whole-life value" not in html
    assert _summary(html, "Whole-life value (to the maximum end)") == "£50,951,600.00"

    _modification(contract, lifetime_value_change=Decimal("320000"))
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert _summary(html, "Original whole-life value (at award)") == "£50,951,600.00"
    assert _summary(html, "Current whole-life value (to the maximum end)") == "£51,271,600.00"
    assert _summary(html, "Change by variations") == "£320,000.00"
    assert "Modification 1" in html  # its rows in the value by contract year


def test_a_reduction_shows_as_a_negative_change(commissioner_client):
    contract = _salford()
    _modification(contract, lifetime_value_change=Decimal("-25000"))
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert _summary(html, "Change by variations") == "\u2212£25,000.00"


def _page_queries(client, contract) -> int:
    client.get(contract.get_absolute_url())  # the first request after sign-in saves the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(contract.get_absolute_url())
    assert response.status_code == 200
    return len(queries.captured_queries)


@time_machine.travel(date(2026, 6, 1), tick=False)
def test_the_contract_page_runs_as_many_queries_with_50_modifications_as_with_2(
    commissioner_client,
):
    counts = []
    for n in (2, 50):
        contract = ContractFactory(reference=f"MODS-{n}", initial_end_date=date(2035, 1, 31))
        with figures.deferred():
            for sequence in range(1, n + 1):
                _modification(
                    contract,
                    sequence=sequence,
                    effective_date=date(2026, 1, sequence % 28 + 1),
                    lifetime_value_change=Decimal("100"),
                )
        counts.append(_page_queries(commissioner_client, contract))
    assert counts[0] == counts[1]


# --- As it stood ------------------------------------------------------------------------


def _on(day: date):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False
    )


def test_a_contract_as_it_stood_has_the_modifications_recorded_or_effective_by_then():
    with _on(date(2026, 3, 1)):
        contract = _salford()
    with _on(date(2026, 9, 1)):
        # Recorded on 1 September 2026, effective later: agreed by then.
        _modification(
            contract, effective_date=date(2027, 6, 15), lifetime_value_change=Decimal("320000")
        )
    with _on(date(2027, 9, 1)):
        # Recorded on 1 September 2027 for a change effective on 1 January 2027.
        _modification(
            contract,
            sequence=2,
            effective_date=date(2027, 1, 1),
            lifetime_value_change=Decimal("1000"),
        )

    def value_on(day):
        return figures_for(contract_as_of(contract, day), today=day).whole_life_value

    assert value_on(date(2026, 6, 1)) == Decimal("50951600.00")
    assert value_on(date(2026, 12, 1)) == Decimal("51271600.00")
    assert value_on(date(2027, 2, 1)) == Decimal("51272600.00")
    stood = figures_for(contract_as_of(contract, date(2026, 12, 1)))
    assert stood.original_whole_life_value == Decimal("50951600.00")


def test_a_modification_deleted_by_then_is_not_in_the_contract_as_it_stood():
    with _on(date(2026, 3, 1)):
        contract = _salford()
        modification = _modification(contract, lifetime_value_change=Decimal("320000"))
    with _on(date(2026, 5, 1)):
        modification.delete()
    stood = contract_as_of(contract, date(2026, 4, 1))
    assert figures_for(stood).whole_life_value == Decimal("51271600.00")
    stood = contract_as_of(contract, date(2026, 6, 1))
    assert figures_for(stood).whole_life_value == Decimal("50951600.00")


def test_the_contract_page_shows_the_ends_a_term_change_makes(commissioner_client):
    contract = _salford()
    _modification(
        contract,
        kind=Modification.Kind.TERM,
        effective_date=date(2031, 1, 1),
        new_end_date=date(2031, 9, 30),
    )
    html = commissioner_client.get(contract.get_absolute_url()).content.decode()
    assert _summary(html, "Current end") == "30 September 2031"
    assert _summary(html, "Maximum end (all options)") == "30 September 2033"
    assert _summary(html, "Change by variations") == "£3,639,400.00"


def test_the_timeline_draws_the_term_as_a_term_change_moved_it():
    """The initial term ends where the change put it, and the options follow on."""
    contract = _salford()
    _modification(
        contract,
        kind=Modification.Kind.TERM,
        effective_date=date(2031, 1, 1),
        new_end_date=date(2031, 9, 30),
    )
    contract = Contract.objects.with_related().get(pk=contract.pk)
    bars = bars_for(contract)
    assert [(bar.start, bar.end) for bar in bars] == [
        (date(2026, 4, 1), date(2031, 9, 30)),
        (date(2031, 10, 1), date(2032, 9, 30)),
        (date(2032, 10, 1), date(2033, 9, 30)),
    ]


@pytest.mark.parametrize(
    ("changes", "route", "permitted"),
    [
        # Past £500,000 together, but under a quarter of the original (£12.7m).
        (
            [("400000", "authority"), ("400000", "authority")],
            "open",
            [True, True],
        ),
        # Past a quarter, refused; a reduction then nets it off.
        (
            [("13000000", "authority"), ("-12900000", "authority")],
            "open",
            [False, True],
        ),
        # Provided for: permitted whatever the size, and it still counts for the next.
        (
            [("13000000", "provided_for"), ("1", "authority")],
            "open",
            [True, False],
        ),
        # Direct Award A: permitted when not materially different, whatever the size.
        ([("13000000", "authority")], "psr_direct_a", [True]),
    ],
)
def test_a_contracts_modifications_are_tested_in_order_against_the_ones_before(
    changes, route, permitted
):
    """figures.assessed_modifications: each change against the original lifetime value
    (£50,951,600, options included) and the changes before it (reg 13(1)(d))."""
    contract = _salford()
    contract.procurement_route = route
    contract.save()
    for sequence, (change, ground) in enumerate(changes, start=1):
        _modification(
            contract, sequence=sequence, lifetime_value_change=Decimal(change), ground=ground
        )
    contract = Contract.objects.with_related().select_related("stored").get(pk=contract.pk)
    rows = figures.assessed_modifications(contract)
    assert [row.assessment.permitted for row in rows] == permitted
    assert [row.change for row in rows] == [Decimal(change) for change, _ in changes]
    assert all(
        row.assessment.permitted or "new procurement" in row.assessment.reason for row in rows
    )


def test_a_variation_leaves_the_stated_whole_life_value_agreeing_with_the_value_at_award():
    """The stated whole-life value is the award report's: a later variation changes the
    contract's value, not whether the report was right."""
    contract = _salford()
    contract.stated_whole_life_value = "£50,951,600"
    contract.save()
    assert _stored(contract).reconciliation_state == ContractFigures.Reconciliation.OK
    _modification(contract, lifetime_value_change=Decimal("320000"))
    stored = _stored(contract)
    assert stored.reconciliation_state == ContractFigures.Reconciliation.OK
    assert stored.reconciliation_stated == Decimal("50951600.00")
    assert stale_figures() == []
