"""Calendars (iCalendar, RFC 5545) that Outlook and Google Calendar can subscribe to.

- ``public:forward_plan_ics``: an authority's published upcoming key decisions on their
  decision dates, and the meetings that consider published decisions. What the public
  may know of is ``Decision.objects.published()``; what it sees of an exempt decision is
  asked of ``decisions.visibility`` (the forward plan's fields, regulation 9).
- ``public:my_calendar``: a signed-in user's own deadlines, behind a secret address
  (accounts.models.User.calendar_token_hash), as calendar apps never sign in. Each date
  comes from the rule the home page uses (contracts.dashboard, decisions.figures), and
  a decision's dates are shown only where ``visibility.shows`` lets that user see them.

Every event is all-day, with a UID that names the record and the date it stands for,
so a re-fetched calendar updates its events in place instead of duplicating them.
"""

import hashlib
from collections import defaultdict
from datetime import date, timedelta

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.models import User, calendar_token_hash
from contracts.dashboard import ending_within
from contracts.models import Authority, ExtensionOption
from decisions import figures, visibility
from decisions.models import Decision
from ui import exports

# The public reads as a visitor who never signed in.
PUBLIC = AnonymousUser()
# How often calendar apps should fetch again (RFC 7986 REFRESH-INTERVAL).
REFRESH_HOURS = 6
# A user's calendar: deadlines from this many days ago (so a deadline just missed is
# still there) to this many days ahead.
PAST_DAYS = 30
AHEAD_DAYS = 400
# How far back a decision's publication or intention notice can start a call-in
# period or standstill still running PAST_DAYS ago: the longest call-in (30 working
# days, contracts.models.Authority) and standstill (8 + 5 working days, reg 12 of the
# PSR) run about 6 weeks, with bank holidays; 70 days covers them.
DEADLINE_START_DAYS = 70


def _calendar(name: str, description: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Commissioning Tracker//Calendars//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add(
        "refresh-interval", timedelta(hours=REFRESH_HOURS), parameters={"VALUE": "DURATION"}
    )
    calendar.add("x-published-ttl", f"PT{REFRESH_HOURS}H")
    return calendar


def _event(uid: str, day: date, summary: str, *, stamp, url: str = "", description: str = ""):
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    # All-day: DTEND is the day after (exclusive), as RFC 5545 3.6.1 has it.
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def _response(calendar: Calendar, filename: str):
    return exports.download(
        calendar.to_ical(), filename, "text/calendar; charset=utf-8", inline=True
    )


def _host(request) -> str:
    return request.get_host().split(":")[0]


# --- The public forward plan -----------------------------------------------------------


def _public_decision_url(request, authority, decision) -> str:
    """The decision's page on ``authority``'s public site (a joint committee's decision
    is on each of its authorities')."""
    url = reverse("public:decision", kwargs={"authority": authority.pk, "pk": decision.pk})
    return request.build_absolute_uri(url)


def _meeting_uid(authority_pk: int, body: str, day: date, host: str) -> str:
    body_key = hashlib.sha256(body.strip().lower().encode()).hexdigest()[:12]
    return f"meeting-{authority_pk}-{day:%Y%m%d}-{body_key}@{host}"


@login_not_required
def forward_plan_ics(request, authority: int):
    """The authority's forward plan as a calendar: each published upcoming key decision
    on its date, and each meeting that considers published decisions."""
    authority = get_object_or_404(Authority, pk=authority)
    today = timezone.localdate()
    host = _host(request)
    stamp = timezone.now()
    calendar = _calendar(
        f"{authority.name}: forward plan",
        f"Key decisions {authority.name} plans to take, and the meetings that consider them.",
    )
    published = Decision.objects.published(today).for_authority(authority).with_related()

    plan = published.key().upcoming(today).filter(decision_date__isnull=False)
    for decision in plan.order_by("decision_date", "number"):
        # The date of every key decision is public, exempt or not (regulation 9).
        if not visibility.shows(decision, PUBLIC, "decision_date", visibility.FORWARD_PLAN_FIELDS):
            continue
        summary = f"{decision.number} {decision.title}"
        if visibility.withheld(decision, PUBLIC):
            summary += f" (exempt under paragraph {decision.exempt_paragraph})"
        elif decision.decision_maker:
            summary += f": decision by {decision.decision_maker}"
        calendar.add_component(
            _event(
                f"decision-{decision.pk}-date@{host}",
                decision.decision_date,
                summary,
                stamp=stamp,
                url=_public_decision_url(request, authority, decision),
            )
        )

    # Meetings: a meeting's date is not among what the forward plan publishes of an
    # exempt decision, so an exempt decision adds no meeting and is not named in one.
    meetings: dict[tuple[str, date], list[Decision]] = defaultdict(list)
    for decision in published.planned().filter(meeting_date__gte=today).exclude(report_to=""):
        if visibility.shows(decision, PUBLIC, "meeting_date", visibility.FORWARD_PLAN_FIELDS):
            meetings[(decision.report_to.strip(), decision.meeting_date)].append(decision)
    for (body, day), decisions in sorted(meetings.items(), key=lambda m: (m[0][1], m[0][0])):
        decisions.sort(key=lambda d: d.number)
        calendar.add_component(
            _event(
                _meeting_uid(authority.pk, body, day, host),
                day,
                body,
                stamp=stamp,
                description="To consider:\n"
                + "\n".join(f"{d.number} {d.title}" for d in decisions),
            )
        )
    return _response(calendar, f"forward-plan-{authority.pk}.ics")


# --- A user's own deadlines ------------------------------------------------------------


def user_for_token(token: str) -> User:
    """The active user whose calendar address holds ``token``, else 404."""
    if not token:
        raise Http404("No such calendar.")
    user = User.objects.filter(
        calendar_token_hash=calendar_token_hash(token), is_active=True
    ).first()
    if user is None:
        raise Http404("No such calendar.")
    return user


def _option_events(request, user, today: date, host: str, stamp):
    if not user.has_perm("contracts.view_contract"):
        return
    # Pending options whose notice deadline is in the window: the condition of
    # ContractQuerySet.with_option_notice_within, one event per option.
    options = (
        ExtensionOption.objects.filter(
            status=ExtensionOption.Status.PENDING,
            notice_deadline__gte=today - timedelta(days=PAST_DAYS),
            notice_deadline__lte=today + timedelta(days=AHEAD_DAYS),
        )
        .select_related("contract")
        .order_by("notice_deadline", "contract__reference", "sequence")
    )
    for option in options:
        contract = option.contract
        yield _event(
            f"option-{option.pk}-notice@{host}",
            option.notice_deadline,
            f"Notice deadline, option {option.sequence} ({option.months} months): "
            f"{contract.reference} {contract.title}",
            stamp=stamp,
            url=request.build_absolute_uri(contract.get_absolute_url()),
        )


def _contract_end_events(request, user, today: date, host: str, stamp):
    if not user.has_perm("contracts.view_contract"):
        return
    start = today - timedelta(days=PAST_DAYS)
    # The home page's "ending soon" (contracts.dashboard.ending_within), from PAST_DAYS ago.
    contracts = ending_within(PAST_DAYS + AHEAD_DAYS, start).select_related("stored")
    for contract in contracts:
        yield _event(
            f"contract-{contract.pk}-end@{host}",
            contract.stored.current_end,
            f"Contract ends: {contract.reference} {contract.title}",
            stamp=stamp,
            url=request.build_absolute_uri(contract.get_absolute_url()),
        )


def _decision_events(request, user, today: date, host: str, stamp):
    if not user.has_perm("decisions.view_decision"):
        return
    since = today - timedelta(days=DEADLINE_START_DAYS)
    decisions = (
        Decision.objects.with_related()
        .filter(Q(published_on__gte=since) | Q(intention_notice_on__gte=since))
        .order_by("number")
    )
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS)
    for decision in decisions:
        deadlines = figures.deadlines_for(decision)
        url = request.build_absolute_uri(decision.get_absolute_url())
        label = f"{decision.number} {decision.title}"
        # Each date is worked out from fields an uncleared user may not see of an
        # exempt decision: shown only where the core says they may.
        call_in = deadlines.call_in_deadline
        if (
            call_in
            and first <= call_in <= last
            and visibility.shows(decision, user, "published_on")
        ):
            yield _event(
                f"decision-{decision.pk}-call-in@{host}",
                call_in,
                f"Call-in period ends: {label}",
                stamp=stamp,
                url=url,
            )
        standstill = deadlines.standstill_end
        if (
            standstill
            and first <= standstill <= last
            and visibility.shows(decision, user, "intention_notice_on")
        ):
            yield _event(
                f"decision-{decision.pk}-standstill@{host}",
                standstill,
                f"Standstill ends: {label}",
                stamp=stamp,
                url=url,
            )


@login_not_required
def my_calendar(request, token: str):
    """A user's deadlines: option notice deadlines, contract ends, call-in and
    standstill ends, of the records that user may see, at the secret address."""
    user = user_for_token(token)
    today = timezone.localdate()
    host = _host(request)
    stamp = timezone.now()
    calendar = _calendar(
        "Commissioning Tracker: my deadlines",
        f"Option notice deadlines, contract ends, call-in and standstill ends "
        f"for {user.get_full_name() or user.username}.",
    )
    for events in (
        _option_events(request, user, today, host, stamp),
        _contract_end_events(request, user, today, host, stamp),
        _decision_events(request, user, today, host, stamp),
    ):
        for event in events:
            calendar.add_component(event)
    response = _response(calendar, "my-deadlines.ics")
    # A secret address: never kept by shared caches, never sent on as a referrer.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
