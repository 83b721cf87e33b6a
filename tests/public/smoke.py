"""Routes of the public site for the smoke walk (tests/smoke_objects.py): every reader,
signed in or not, gets each page. A public route taking only the authority that this
module does not name (open data, feeds) is walked with the authority's pk."""

from datetime import timedelta

from django.urls import get_resolver
from django.utils import timezone

from grants.models import OutboundGrant
from tests.attachments.factories import attach
from tests.decisions.factories import DecisionFactory
from tests.decisions.issued import stored_document, tiny_pdf
from tests.grants.factories import OutboundGrantFactory
from tests.smoke_objects import PUBLIC, _sample_user
from tests.test_smoke import _walk


def routes() -> dict:
    # An authority with a grant awarded, so that its 360Giving file exists.
    grant = (
        OutboundGrant.objects.select_related("programme__authority").first()
        or OutboundGrantFactory()
    )
    authority = grant.programme.authority
    decision = DecisionFactory(
        authority=authority,
        is_key_decision=True,
        forward_plan_published_on=timezone.localdate(),
        decision_date=timezone.localdate() + timedelta(days=30),
    )
    document = stored_document(decision, user=_sample_user())
    # A PDF that reads as one: the exempt-leak walk reads every PDF it downloads.
    file = attach(decision, title="Public appendix", name="appendix.pdf", data=tiny_pdf())
    a = authority.pk
    named = {
        "public:index": ((), PUBLIC),
        "public:authority": ((a,), PUBLIC),
        "public:forward_plan": ((a,), PUBLIC),
        "public:decisions": ((a,), PUBLIC),
        "public:decision": ((a, decision.pk), PUBLIC),
        "public:attachment": ((a, decision.pk, file.pk), PUBLIC),
        "public:document": ((a, document.pk), PUBLIC),
        "public:contracts": ((a,), PUBLIC),
        "public:grants": ((a,), PUBLIC),
    }
    for name, route in _walk(get_resolver().url_patterns):
        takes_only_the_authority = route.count("<") == 1 and "<int:authority>" in route
        if name and name.startswith("public:") and name not in named and takes_only_the_authority:
            named[name] = ((a,), PUBLIC)
    return named
