"""Routes of the contracts register for the smoke walk (tests/smoke_objects.py)."""

from tests.attachments.factories import attach
from tests.contracts.factories import kent_contract


def routes() -> dict:
    contract = kent_contract(reference="SMOKE-1")
    attachment = attach(contract)
    pk = (contract.pk,)
    return {
        "contracts:list": ((), "contracts.view_contract"),
        "contracts:create": ((), "contracts.add_contract"),
        "contracts:import": ((), "contracts.add_contract"),
        "contracts:export": ((), "contracts.view_contract"),
        "contracts:detail": (pk, "contracts.view_contract"),
        "contracts:edit": (pk, "contracts.change_contract"),
        "contracts:option_decide": (pk, "contracts.change_contract"),
        "contracts:delete": (pk, "contracts.delete_contract"),
        "contracts:attachment_add": (pk, "contracts.add_contractattachment"),
        "contracts:attachment_download": (
            (contract.pk, attachment.pk),
            "contracts.view_contractattachment",
        ),
        "contracts:attachment_withdraw": (
            (contract.pk, attachment.pk),
            "contracts.change_contractattachment",
        ),
    }
