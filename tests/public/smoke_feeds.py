"""Routes of the feeds and calendars (public.feed_urls, accounts:calendar) for the smoke walk."""

from contracts.models import Authority


def routes() -> dict:
    authority = Authority.objects.first()
    return {
        "public:decisions_atom": ((authority.pk,), None),
        "public:forward_plan_ics": ((authority.pk,), None),
        # A token nobody holds: the walk has no address to read (tests/accounts/test_calendar.py).
        "public:my_calendar": (("not-a-token",), None),
        "accounts:calendar": ((), None),
    }
