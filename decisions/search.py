"""Search decisions by number, title and text.

PostgreSQL uses full-text search (stemmed English, GIN-indexed: see migration
0003); other databases fall back to case-insensitive substring matching. Either
way, the text of an exempt decision is searched only for users cleared to read
it: anyone else finds an exempt decision by its number or title alone.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q

from decisions import visibility
from decisions.models import Recommendation, ReportSection

# The GIN indexes in migration 0003 are built on exactly these expressions, so the
# planner can use them; change both together.
DECISION_TEXT_FIELDS = ("title", "summary", "reasons", "options_rejected")
SECTION_TEXT_FIELDS = ("heading", "body")
RECOMMENDATION_TEXT_FIELDS = ("verb", "text")
SEARCH_CONFIG = "english"


def decision_vector() -> SearchVector:
    return SearchVector(*DECISION_TEXT_FIELDS, config=SEARCH_CONFIG)


def section_vector() -> SearchVector:
    return SearchVector(*SECTION_TEXT_FIELDS, config=SEARCH_CONFIG)


def recommendation_vector() -> SearchVector:
    return SearchVector(*RECOMMENDATION_TEXT_FIELDS, config=SEARCH_CONFIG)


def _text_match(queryset, text: str):
    """The queryset (annotated if need be) and the condition its text must meet."""
    if connection.vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        in_sections = ReportSection.objects.annotate(document=section_vector()).filter(
            decision=OuterRef("pk"), document=query
        )
        in_recommendations = Recommendation.objects.annotate(
            document=recommendation_vector()
        ).filter(decision=OuterRef("pk"), document=query)
        queryset = queryset.annotate(search_document=decision_vector())
        return queryset, (
            Q(search_document=query) | Q(Exists(in_sections)) | Q(Exists(in_recommendations))
        )
    match = Q()
    for name in DECISION_TEXT_FIELDS:
        match |= Q(**{f"{name}__icontains": text})
    in_sections = ReportSection.objects.filter(decision=OuterRef("pk")).filter(
        Q(heading__icontains=text) | Q(body__icontains=text)
    )
    in_recommendations = Recommendation.objects.filter(
        decision=OuterRef("pk"), text__icontains=text
    )
    return queryset, match | Q(Exists(in_sections)) | Q(Exists(in_recommendations))


def search_decisions(queryset, text: str, user):
    """The decisions in ``queryset`` matching ``text`` that ``user`` may find."""
    text = (text or "").strip()
    if not text:
        return queryset
    by_name = Q(number__icontains=text) | Q(title__icontains=text)
    queryset, by_text = _text_match(queryset, text)
    if not visibility.is_cleared(user):
        by_text &= Q(exempt_paragraph__isnull=True)
    return queryset.filter(by_name | by_text)
