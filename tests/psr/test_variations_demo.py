"""The demo variation: £320,000 on the Kent young persons' contract under a decision
of its own, whose ceiling counts the £320,000 it authorised."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from contracts import demo as contracts_demo
from contracts.models import Modification
from decisions.figures import ceiling_for
from psr import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(roles):
    call_command("load_demo", "--force", verbosity=0)


def test_the_demo_variation_counts_320000_against_its_decisions_ceiling(loaded):
    variation = Modification.objects.get(contract__reference=contracts_demo.KENT_YP_REFERENCE)
    assert variation.lifetime_value_change == Decimal("320000.00")
    link = variation.decision_links.get()
    assert link.kind == "vary"
    ceiling = ceiling_for(link.decision)
    assert ceiling.total == Decimal("320000.00")
    assert not ceiling.breached


def test_loading_the_demo_variation_twice_adds_nothing(loaded):
    before = Modification.history.count()
    demo.load()
    assert Modification.history.count() == before
    assert Modification.objects.count() == 1
