"""Factories for award records and notices (psr.models)."""

from datetime import date
from decimal import Decimal

import factory

from contracts.models import Contract, Modification
from psr.models import AwardRecord, Notice
from tests.contracts.factories import ContractFactory


class AwardRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardRecord

    contract = factory.SubFactory(ContractFactory, procurement_route=Contract.Route.PSR_COMPETITIVE)
    provider_name = factory.LazyAttribute(lambda o: o.contract.provider.name)
    provider_address = "1 High Street\nMaidstone\nME14 1XX"
    cpv_code = "85323000-9 Community health services"
    decision_makers = "Cabinet Member for Adult Social Care and Public Health"
    quality_and_innovation = "Strongest service model"
    value = "Within budget"
    integration_collaboration_sustainability = "Works with schools"
    access_inequalities_choice = "County-wide outreach"
    social_value = "Local jobs"
    basic_selection_criteria = "All met"
    conflicts_of_interest = ""
    conflicts_management = ""


class NoticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notice

    contract = factory.SubFactory(ContractFactory, procurement_route=Contract.Route.PSR_COMPETITIVE)
    kind = Notice.Kind.INTENTION


class ModificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Modification

    contract = factory.SubFactory(ContractFactory, procurement_route=Contract.Route.PSR_COMPETITIVE)
    sequence = factory.Sequence(lambda n: n + 1)
    kind = Modification.Kind.VALUE
    description = "More places for young people"
    effective_date = date(2025, 6, 1)
    annual_value_change = Decimal("300000")
    lifetime_value_change = Decimal("600000")
    ground = Modification.Ground.PROVIDED_FOR
