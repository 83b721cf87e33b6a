from datetime import date
from decimal import Decimal

import factory

from grants.models import (
    AllocationShare,
    ContractFunding,
    Funder,
    GrantAllocation,
    GrantCommitment,
    GrantProgramme,
    OutboundGrant,
    OutboundGrantProgramme,
)
from tests.contracts.factories import AuthorityFactory, ContractFactory


class FunderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Funder
        django_get_or_create = ("name",)

    name = "Office for Health Improvement and Disparities"
    short_name = "OHID"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantProgramme
        django_get_or_create = ("funder", "name")

    funder = factory.SubFactory(FunderFactory)
    name = factory.Sequence(lambda n: f"Test grant programme {n}")
    short_name = factory.Sequence(lambda n: f"TGP{n}")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantAllocation

    programme = factory.SubFactory(ProgrammeFactory)
    authority = factory.SubFactory(AuthorityFactory)
    financial_year = "2024/25"
    amount = Decimal("1000000.00")
    status = GrantAllocation.Status.CONFIRMED


class AllocationShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllocationShare

    allocation = factory.SubFactory(AllocationFactory)
    authority = factory.SubFactory(AuthorityFactory)
    percentage = Decimal("100")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrantCommitment

    allocation = factory.SubFactory(AllocationFactory)
    contract = factory.SubFactory(ContractFactory)
    financial_year = factory.SelfAttribute("allocation.financial_year")
    amount = Decimal("100000.00")


class FundingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractFunding

    contract = factory.SubFactory(ContractFactory)
    financial_year = "2024/25"
    source = ContractFunding.Source.PUBLIC_HEALTH_GRANT
    amount = Decimal("100000.00")


class OutboundProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundGrantProgramme
        django_get_or_create = ("authority", "name")

    authority = factory.SubFactory(AuthorityFactory, name="Kent County Council")
    name = "Local Grants Programme"
    code = "EHPS-LGP-2016"
    budget = Decimal("1000000.00")
    financial_year = "2016/17"
    giving_prefix = "360G-kentcc"
    funder_org_id = "GB-LAE-KEN"


class OutboundGrantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboundGrant

    programme = factory.SubFactory(OutboundProgrammeFactory)
    reference = factory.Sequence(lambda n: f"LGP-{n:03d}")
    title = "Youth club sessions"
    purpose = "Weekly youth club sessions for young people at risk of disengaging."
    recipient_name = factory.Sequence(lambda n: f"Community group {n}")
    recipient_charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
    amount = Decimal("15000.00")
    award_date = date(2016, 4, 1)
    start_date = date(2016, 4, 1)
    end_date = date(2017, 3, 31)
