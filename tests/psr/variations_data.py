"""Contracts and modifications the variation and ceiling tests share."""

from datetime import date
from decimal import Decimal

from contracts.figures import deferred
from contracts.models import Contract, CostShare, Modification
from tests.contracts.factories import AuthorityFactory, ContractFactory, OptionFactory

# The case: Salford's three-way drug and alcohol contract, five years and two
# options of a year at £7,278,800 a year: £50,951,600 over its whole life.
SALFORD_WHOLE_LIFE = Decimal("50951600.00")
SALFORD_SPLIT = (
    ("Bury Council", Decimal("1517000")),
    ("Salford City Council", Decimal("4000000")),
    ("Trafford Council", Decimal("1761800")),
)


def salford_contract(**fields) -> Contract:
    authorities = {name: AuthorityFactory(name=name) for name, _ in SALFORD_SPLIT}
    with deferred():
        contract = ContractFactory(
            lead_authority=authorities["Salford City Council"],
            start_date=date(2026, 4, 1),
            initial_end_date=date(2031, 3, 31),
            annual_value=Decimal("7278800"),
            annual_uplift_percent=Decimal("0"),
            **fields,
        )
        OptionFactory(contract=contract, sequence=1, months=12)
        OptionFactory(contract=contract, sequence=2, months=12)
        for name, amount in SALFORD_SPLIT:
            CostShare.objects.create(
                contract=contract, authority=authorities[name], fixed_amount=amount
            )
    contract.refresh_from_db()
    return contract


def modification(contract: Contract, **fields) -> Modification:
    last = contract.modifications.order_by("-sequence").values_list("sequence", flat=True)
    values = {
        "sequence": (last.first() or 0) + 1,
        "kind": Modification.Kind.VALUE,
        "description": "More treatment places.",
        "effective_date": date(2027, 4, 1),
        "lifetime_value_change": Decimal("320000.00"),
        "ground": Modification.Ground.AUTHORITY,
        **fields,
    }
    return Modification.objects.create(contract=contract, **values)
