"""Routes of the psr app's variations for the smoke walk (tests/smoke_objects.py)."""

from tests.psr.variations_data import modification, salford_contract


def routes() -> dict:
    contract = salford_contract(reference="SMOKE-PSR-1")
    variation = modification(contract)
    return {
        # Variations (psr.variations).
        "psr:variation_new": ((contract.pk,), "contracts.change_contract"),
        "psr:variation_detail": ((variation.pk,), "contracts.view_modification"),
        "psr:variation_edit": ((variation.pk,), "contracts.change_contract"),
    }
