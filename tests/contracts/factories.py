from decimal import Decimal

import factory

from contracts.models import Authority, Provider


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Authority {n} Council")
    short_name = factory.Sequence(lambda n: f"A{n}")
    key_decision_threshold = Decimal("1000000.00")
    call_in_working_days = 5


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Provider {n}")
    provider_type = Provider.Type.VCSE
    charity_number = factory.Sequence(lambda n: f"{1100000 + n}")
