"""Routes of the grants app for the smoke walk (tests/smoke_objects.py)."""

from tests.grants.factories import (
    AllocationFactory,
    CommitmentFactory,
    FundingFactory,
    OutboundGrantFactory,
)


def routes() -> dict:
    allocation = AllocationFactory(financial_year="2024/25")
    commitment = CommitmentFactory(allocation=allocation)
    funding = FundingFactory(contract=commitment.contract)
    grant = OutboundGrantFactory()
    view, add, change, delete = (
        f"grants.{a}_grantallocation" for a in ("view", "add", "change", "delete")
    )
    return {
        "grants:list": ((), view),
        "grants:allocation_create": ((), add),
        "grants:programme_create": ((), "grants.add_grantprogramme"),
        "grants:programme_edit": ((allocation.programme_id,), "grants.change_grantprogramme"),
        "grants:allocation_detail": ((allocation.pk,), view),
        "grants:allocation_edit": ((allocation.pk,), change),
        "grants:allocation_delete": ((allocation.pk,), delete),
        "grants:commitment_add": ((allocation.pk,), "grants.add_grantcommitment"),
        "grants:commitment_list": ((), "grants.view_grantcommitment"),
        "grants:funding_list": ((), "grants.view_contractfunding"),
        "grants:commitment_edit": ((commitment.pk,), "grants.change_grantcommitment"),
        "grants:commitment_delete": ((commitment.pk,), "grants.delete_grantcommitment"),
        "grants:contract_funding": ((commitment.contract_id,), "grants.view_contractfunding"),
        "grants:funding_add": ((commitment.contract_id,), "grants.add_contractfunding"),
        "grants:funding_edit": ((funding.pk,), "grants.change_contractfunding"),
        "grants:funding_delete": ((funding.pk,), "grants.delete_contractfunding"),
        "grants:summary_contracts": ((), "grants.view_contractfunding"),
        "grants:summary_grants": ((), view),
        "grants:summary_funders": ((), view),
        "grants:summary_service_areas": ((), "grants.view_contractfunding"),
        "grants:outbound_list": ((), "grants.view_outboundgrant"),
        "grants:outbound_create": ((), "grants.add_outboundgrant"),
        "grants:outbound_detail": ((grant.pk,), "grants.view_outboundgrant"),
        "grants:outbound_edit": ((grant.pk,), "grants.change_outboundgrant"),
        "grants:outbound_delete": ((grant.pk,), "grants.delete_outboundgrant"),
        "grants:giving_json": ((), "grants.view_outboundgrant"),
        "grants:giving_csv": ((), "grants.view_outboundgrant"),
        "grants:funder_list": ((), "grants.view_funder"),
        "grants:funder_detail": ((allocation.programme.funder_id,), "grants.view_funder"),
        "grants:import": ((), add),
        "grants:export": ((), view),
    }
