"""Routes of the psr app's award records and notices for the smoke walk
(tests/smoke_objects.py)."""

from contracts.models import Contract
from tests.contracts.factories import ContractFactory
from tests.psr.records_factories import AwardRecordFactory, ModificationFactory


def routes() -> dict:
    record = AwardRecordFactory()
    modification = ModificationFactory(contract=record.contract, sequence=1)
    without_record = ContractFactory(procurement_route=Contract.Route.PSR_DIRECT_C)
    view, add, change = (f"psr.{a}_awardrecord" for a in ("view", "add", "change"))
    return {
        "psr:awardrecord_list": ((), view),
        "psr:awardrecord_create": ((without_record.pk,), add),
        "psr:awardrecord_detail": ((record.pk,), view),
        "psr:awardrecord_edit": ((record.pk,), change),
        "psr:awardrecord_pdf": ((record.pk,), view),
        "psr:notice_detail": ((record.pk, "intention"), "psr.view_notice"),
        "psr:notice_pdf": ((record.pk, "intention"), "psr.view_notice"),
        "psr:notice_published": ((record.pk, "award"), "psr.change_notice"),
        "psr:modification_notice": ((modification.pk,), "psr.view_notice"),
        "psr:modification_notice_pdf": ((modification.pk,), "psr.view_notice"),
        "psr:modification_notice_published": ((modification.pk,), "psr.change_notice"),
    }
