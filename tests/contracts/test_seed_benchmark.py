"""seed_benchmark (the benchmark's data) leaves valid records and valid history."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from audit.chain import chained_models, verify_all
from contracts.models import Contract, ContractFigures, ExtensionOption
from decisions.models import Decision, DecisionContractLink
from grants.models import GrantAllocation, GrantCommitment
from tests.contracts.factories import ProviderFactory

pytestmark = pytest.mark.django_db

CONTRACTS = 30


def seed(*extra: str) -> str:
    out = io.StringIO()
    call_command(
        "seed_benchmark", "--contracts", str(CONTRACTS), "--providers", "40", *extra, stdout=out
    )
    return out.getvalue()


def history_rows() -> int:
    return sum(m._base_manager.count() for m in chained_models())


def test_seeds_valid_contracts_decisions_grants_and_history():
    seed("--history-rows", "1500")
    contracts = list(Contract.objects.prefetch_related("options", "shares", "decision_links"))
    assert len(contracts) == CONTRACTS
    for contract in contracts:
        options = sorted(contract.options.all(), key=lambda o: o.sequence)
        shares = list(contract.shares.all())
        assert [o.sequence for o in options] == [1, 2]
        assert len(shares) == 2
        if shares[0].percentage is not None:
            assert sum(s.percentage for s in shares) == Decimal("100")
        else:
            assert sum(s.fixed_amount for s in shares) == contract.annual_value
        # Options are taken in order.
        if options[1].status == ExtensionOption.Status.EXERCISED:
            assert options[0].status == ExtensionOption.Status.EXERCISED
        assert Decimal("50000") <= contract.annual_value <= Decimal("5000000")
        assert 0 <= contract.annual_uplift_percent <= 3
        assert "award" in {link.kind for link in contract.decision_links.all()}
        assert contract.history.filter(history_type="+").count() == 1
    exercised = ExtensionOption.objects.filter(status=ExtensionOption.Status.EXERCISED)
    assert exercised.count() == 2 * CONTRACTS // 3
    for option in exercised.select_related("authorising_decision"):
        assert option.authorising_decision is not None
        assert DecisionContractLink.objects.filter(
            decision=option.authorising_decision, contract=option.contract_id, kind="extend"
        ).exists()
    assert Decision.objects.filter(is_key_decision=True).count() >= CONTRACTS // 10
    for allocation in GrantAllocation.objects.prefetch_related("commitments"):
        assert sum(c.amount for c in allocation.commitments.all()) <= allocation.amount
    assert GrantCommitment.objects.exists()

    # The edits brought the history to the number asked, on a chain that verifies.
    assert 1500 <= history_rows() < 1500 + 10
    assert verify_all() == []
    out = io.StringIO()
    call_command("verify_history", stdout=out)  # exits 1 on any finding
    assert "History intact" in out.getvalue()

    # audit.bulk stored every contract's figures as it wrote them.
    out = io.StringIO()
    call_command("refresh_figures", "--check", stdout=out)  # CommandError when stale
    assert "agree" in out.getvalue()
    assert ContractFigures.objects.count() == CONTRACTS


def test_the_same_seed_gives_the_same_records():
    def snapshot():
        return list(
            Contract.objects.order_by(
                "reference", "options__sequence", "shares__authority__name"
            ).values_list(
                "reference", "title", "start_date", "initial_end_date", "annual_value",
                "options__months", "options__status", "shares__percentage", "provider__name",
            )
        )  # fmt: skip

    snapshots = []
    for _ in range(2):
        with transaction.atomic():
            seed()
            snapshots.append(snapshot())
            transaction.set_rollback(True)
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]


def test_refuses_a_database_that_already_holds_records():
    ProviderFactory()
    with pytest.raises(CommandError, match="already holds providers"):
        seed()
    assert not Contract.objects.exists()
