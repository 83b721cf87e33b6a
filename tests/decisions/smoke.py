"""Routes of the decisions app for the smoke walk, with a sample of each object."""

from contracts.models import Authority
from tests.accounts.factories import UserFactory
from tests.attachments.factories import attach
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import (
    DecisionContractLinkFactory,
    DecisionFactory,
    DecisionRelationFactory,
    PathwayStageFactory,
    RecommendationFactory,
    ReportSectionFactory,
)
from tests.decisions.issued import stored_document

VIEW = "decisions.view_decision"
CHANGE = "decisions.change_decision"


def routes() -> dict:
    authority = Authority.objects.first()
    decision = DecisionFactory(authority=authority, number="24/00056")
    earlier = DecisionFactory(authority=authority, number="22/00041")
    recommendation = RecommendationFactory(decision=decision)
    section = ReportSectionFactory(decision=decision)
    stage = PathwayStageFactory(decision=decision)
    link = DecisionContractLinkFactory(
        decision=decision, contract=ContractFactory(lead_authority=authority)
    )
    relation = DecisionRelationFactory(decision=decision, earlier=earlier)
    issued = stored_document(decision, user=UserFactory(username="smoke-issuer"))
    attachment = attach(decision)
    d = decision.pk
    routes = {
        "decisions:list": ((), VIEW),
        "decisions:create": ((), "decisions.add_decision"),
        "decisions:forward_plan": ((), VIEW),
        "decisions:forward_plan_pdf": ((), VIEW),
        "decisions:forward_plan_issue": ((), CHANGE),
        "decisions:detail": ((d,), VIEW),
        "decisions:edit": ((d,), CHANGE),
        "decisions:report_pdf": ((d,), VIEW),
        "decisions:record_pdf": ((d,), VIEW),
        "decisions:notice_pdf": ((d,), VIEW),
        "decisions:issue": ((d, "report"), CHANGE),
        "decisions:issue_progress": ((d, "report", 1), VIEW),
        "decisions:issued_download": ((issued.pk,), VIEW),
        "decisions:attachment_add": ((d,), "decisions.add_decisionattachment"),
        "decisions:attachment_download": ((d, attachment.pk), "decisions.view_decisionattachment"),
        "decisions:attachment_withdraw": (
            (d, attachment.pk),
            "decisions.change_decisionattachment",
        ),
    }
    for kind, part in (
        ("recommendation", recommendation),
        ("section", section),
        ("stage", stage),
        ("contract_link", link),
        ("relation", relation),
    ):
        routes[f"decisions:{kind}_add"] = ((d,), CHANGE)
        routes[f"decisions:{kind}_edit"] = ((d, part.pk), CHANGE)
        routes[f"decisions:{kind}_delete"] = ((d, part.pk), CHANGE)
    return routes
