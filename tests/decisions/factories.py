from datetime import date

import factory

from decisions.models import (
    Decision,
    DecisionContractLink,
    DecisionRelation,
    PathwayStage,
    Recommendation,
    ReportSection,
)
from tests.contracts.factories import AuthorityFactory


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    authority = factory.SubFactory(AuthorityFactory)
    number = factory.Sequence(lambda n: f"24/{n + 1:05d}")
    title = factory.Sequence(lambda n: f"Decision {n}")
    decision_type = Decision.Type.EXECUTIVE_NON_KEY
    decision_maker = "Dan Watkins"
    decision_maker_role = "Cabinet Member for Adult Social Care and Public Health"
    report_to = "Health Reform and Public Health Cabinet Committee"
    summary = "A summary of the report."


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    decision = factory.SubFactory(DecisionFactory)
    order = factory.Sequence(lambda n: n + 1)
    verb = "APPROVE"
    text = "the procurement"


class ReportSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportSection

    decision = factory.SubFactory(DecisionFactory)
    order = factory.Sequence(lambda n: n + 1)
    heading = "Introduction"
    body = "First paragraph.\n\nSecond paragraph."


class PathwayStageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PathwayStage

    decision = factory.SubFactory(DecisionFactory)
    order = factory.Sequence(lambda n: n + 1)
    body = "Health Reform and Public Health Cabinet Committee"
    date = date(2024, 7, 2)
    purpose = PathwayStage.Purpose.CONSIDER
    outcome = PathwayStage.Outcome.ENDORSED


class DecisionContractLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionContractLink

    decision = factory.SubFactory(DecisionFactory)
    kind = DecisionContractLink.Kind.AWARD


class DecisionRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DecisionRelation

    decision = factory.SubFactory(DecisionFactory)
    earlier = factory.SubFactory(DecisionFactory)
    kind = DecisionRelation.Kind.RELIES_ON
