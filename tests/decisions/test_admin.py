"""Every decisions model is in the admin, with a history that can be read, not restored."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.contracts.factories import ContractFactory
from tests.decisions.factories import (
    DecisionContractLinkFactory,
    DecisionFactory,
    DecisionRelationFactory,
    PathwayStageFactory,
    RecommendationFactory,
    ReportSectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    return client


def test_every_decisions_model_has_an_admin_with_its_history(admin_client):
    decision = DecisionFactory(number="24/00056")
    objects = {
        "decision": decision,
        "recommendation": RecommendationFactory(decision=decision),
        "reportsection": ReportSectionFactory(decision=decision),
        "pathwaystage": PathwayStageFactory(decision=decision),
        "decisioncontractlink": DecisionContractLinkFactory(
            decision=decision, contract=ContractFactory()
        ),
        "decisionrelation": DecisionRelationFactory(decision=decision),
    }
    for name, obj in objects.items():
        for view, args in [
            ("changelist", []),
            ("change", [obj.pk]),
            ("history", [obj.pk]),
        ]:
            url = reverse(f"admin:decisions_{name}_{view}", args=args)
            assert admin_client.get(url).status_code == 200, url


def test_a_past_version_cannot_be_restored_from_the_admin(admin_client):
    decision = DecisionFactory(title="Original")
    decision.title = "Changed"
    decision.save()
    first = decision.history.earliest()
    url = reverse("admin:decisions_decision_simple_history", args=[decision.pk, first.history_id])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"title": "Original"})
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.title == "Changed"
