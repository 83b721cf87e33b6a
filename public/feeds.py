"""The Atom feed of an authority's newly published decisions (``public:decisions_atom``).

What the public may know of is ``Decision.objects.published()``; what it sees of an
exempt decision is asked of ``decisions.visibility`` for an anonymous reader. An item
carries only what the forward plan publishes (regulation 9 of SI 2012/2089: the matter,
the decision maker, the date) and which documents were issued, never a report's text:
a decision is on the plan before its report is issued, and a draft is not published.
"""

from datetime import datetime, time

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import DateTimeField, Max, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from contracts.models import Authority
from decisions import rules, visibility
from decisions.models import Decision, IssuedDocument

FEED_ITEMS = 50
# The public reads as a visitor who never signed in.
PUBLIC = AnonymousUser()


def published_decisions(authority, today=None):
    """The authority's published decisions, newest publication first, each annotated
    with ``published_at``: when the public last learnt of it, the later of its latest
    issued document and its entry on the forward plan (at the start of that day)."""
    last_issued = Subquery(
        IssuedDocument.objects.filter(decision=OuterRef("pk"))
        .order_by()
        .values("decision")
        .annotate(last=Max("issued_at"))
        .values("last")[:1],
        output_field=DateTimeField(),
    )
    on_plan = Cast("forward_plan_published_on", DateTimeField())
    return (
        Decision.objects.published(today)
        .for_authority(authority)
        .with_related()
        .annotate(last_issued=last_issued)
        # Greatest is NULL on SQLite when either is NULL: each side falls back on the other.
        .annotate(
            published_at=Greatest(
                Coalesce("last_issued", on_plan), Coalesce(on_plan, "last_issued")
            )
        )
        .order_by("-published_at", "-number")
    )


def _aware(value) -> datetime:
    """A datetime for the feed, from the annotation (a date on some databases)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


class DecisionsFeed(Feed):
    """Served ``login_not_required`` (public.feed_urls): a Feed is an instance."""

    feed_type = Atom1Feed

    def get_object(self, request, authority: int):
        authority = get_object_or_404(Authority, pk=authority)
        # Entry ids are tag URIs naming this site (RFC 4151); a Feed serves every
        # request from one instance, so the host travels with the request's objects.
        authority.feed_host = request.get_host().split(":")[0]
        return authority

    def title(self, authority) -> str:
        return f"{authority.name}: published decisions"

    def subtitle(self, authority) -> str:
        return (
            f"Decisions of {authority.name} as they are entered on the forward plan "
            "and as their reports and records of decision are issued."
        )

    def link(self, authority) -> str:
        return reverse("public:decisions", kwargs={"authority": authority.pk})

    def feed_url(self, authority) -> str:
        return reverse("public:decisions_atom", kwargs={"authority": authority.pk})

    def author_name(self, authority) -> str:
        return authority.name

    def items(self, authority):
        decisions = list(published_decisions(authority)[:FEED_ITEMS])
        for decision in decisions:
            decision.feed_host = authority.feed_host
            # A joint committee's decision links to this authority's page of it.
            decision.feed_authority_id = authority.pk
        return decisions

    def item_title(self, decision) -> str:
        return f"{decision.number} {decision.title}"

    def item_description(self, decision) -> str:
        if visibility.withheld(decision, PUBLIC):
            return f"Exempt under paragraph {decision.exempt_paragraph} of Schedule 12A"
        # What the forward plan publishes of it (visibility.FORWARD_PLAN_FIELDS).
        lines = []
        if decision.decision_maker:
            maker = decision.decision_maker
            if decision.decision_maker_role:
                maker += f", {decision.decision_maker_role}"
            lines.append(f"Decision maker: {maker}")
        if decision.decision_date:
            lines.append(f"Date of decision: {decision.decision_date:%-d %B %Y}")
        lines.append("Key decision" if decision.is_key_decision else "Not a key decision")
        return ". ".join(lines) + "."

    def item_link(self, decision) -> str:
        return reverse(
            "public:decision", kwargs={"authority": decision.feed_authority_id, "pk": decision.pk}
        )

    def item_guid(self, decision) -> str:
        # Stable whatever page the link points to: the decision, not its address.
        return f"tag:{decision.feed_host},2024:decision-{decision.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, decision) -> datetime:
        return _aware(decision.published_at)

    def item_categories(self, decision):
        if visibility.withheld(decision, PUBLIC):
            return [rules.exempt_label(decision.exempt_paragraph)]
        return ["Key decision"] if decision.is_key_decision else []
