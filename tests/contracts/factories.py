from datetime import date
from decimal import Decimal

import factory

from contracts.models import Authority, Contract, CostShare, ExtensionOption, Provider


def _letters(n: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "BA": a different run of letters for each number."""
    letters = ""
    while True:
        n, digit = divmod(n, 26)
        letters = chr(ord("A") + digit) + letters
        if not n:
            return letters


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Authority {n} Council")
    short_name = factory.Sequence(lambda n: f"A{n}")
    # Letters only (a prefix may not end with a digit), different for every authority.
    decision_number_prefix = factory.Sequence(lambda n: f"A{_letters(n)} ")
    key_decision_threshold = Decimal("1000000.00")
    call_in_working_days = 5


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Provider {n}")
    provider_type = Provider.Type.VCSE
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    reference = factory.Sequence(lambda n: f"TEST-{n:04d}")
    title = factory.Sequence(lambda n: f"Test service {n}")
    provider = factory.SubFactory(ProviderFactory)
    lead_authority = factory.SubFactory(AuthorityFactory)
    start_date = date(2025, 2, 1)
    initial_end_date = date(2027, 1, 31)
    annual_value = Decimal("803671.80")
    annual_uplift_percent = Decimal("1")
    uplift_from_year = 2
    procurement_route = Contract.Route.OPEN


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtensionOption

    contract = factory.SubFactory(ContractFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    months = 12


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CostShare

    contract = factory.SubFactory(ContractFactory)
    authority = factory.SubFactory(AuthorityFactory)
    percentage = Decimal("100")


def kent_contract(**kwargs) -> Contract:
    """The Kent seed check contract (docs/domain.md): 24 months + options of 24 and 12."""
    contract = ContractFactory(
        reference=kwargs.pop("reference", "KCC-TEST-YP"),
        stated_whole_life_value="£4,099,533.88",
        **kwargs,
    )
    OptionFactory(contract=contract, sequence=1, months=24)
    OptionFactory(contract=contract, sequence=2, months=12)
    return contract
