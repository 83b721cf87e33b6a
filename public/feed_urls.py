"""Feeds and calendars: an authority's decisions (Atom) and forward plan (iCalendar),
and each user's own deadlines at a secret address (public.calendars). The authority's
feeds are cached as its pages are (public.cache); a user's calendar never is."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from public import calendars
from public.cache import cached_page
from public.feeds import DecisionsFeed

urlpatterns = [
    path(
        "<int:authority>/feeds/decisions.atom",
        login_not_required(cached_page(DecisionsFeed())),
        name="decisions_atom",
    ),
    path(
        "<int:authority>/feeds/forward-plan.ics",
        cached_page(calendars.forward_plan_ics),
        name="forward_plan_ics",
    ),
    # The token is secrets.token_urlsafe: letters, digits, "-" and "_" (a slug).
    path("calendar/<slug:token>.ics", calendars.my_calendar, name="my_calendar"),
]
