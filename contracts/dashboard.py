"""The contracts panel on the home page: what ends soon and which options are due.

Both lists are chosen, ordered and counted by the database from the stored figures
(``ContractFigures.current_end``) and the options' notice deadlines; figures are worked
out only for the few rows shown, so the panel costs the same at 100 or 100,000
contracts.
"""

from datetime import timedelta

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from contracts.figures import rows_for
from contracts.models import Contract, ExtensionOption

ENDING_WITHIN_DAYS = 180
OPTION_NOTICE_WITHIN_DAYS = 180
# Rows of each list on the home page; the rest are counted and linked.
PANEL_ROWS = 10


def ending_within(days: int, today):
    """Contracts not terminated whose current end (after exercised options) falls in
    the next ``days`` days, soonest first."""
    return (
        Contract.objects.not_terminated()
        .filter(
            stored__current_end__gte=today,
            stored__current_end__lte=today + timedelta(days=days),
        )
        .order_by("stored__current_end", "reference")
    )


def option_notice_within(days: int, today):
    """Contracts whose next notice deadline (of a pending option, on or after today:
    contracts.rules.next_option_deadline) falls in the next ``days`` days, soonest first."""
    pending = ExtensionOption.objects.filter(
        contract=OuterRef("pk"),
        status=ExtensionOption.Status.PENDING,
        notice_deadline__gte=today,
    ).order_by("notice_deadline", "sequence")
    return (
        Contract.objects.alias(next_notice=Subquery(pending.values("notice_deadline")[:1]))
        .filter(next_notice__lte=today + timedelta(days=days))
        .order_by("next_notice", "reference")
    )


def home_panel(user) -> dict | None:
    if not user.has_perm("contracts.view_contract"):
        return None
    today = timezone.localdate()
    ending = ending_within(ENDING_WITHIN_DAYS, today)
    due = option_notice_within(OPTION_NOTICE_WITHIN_DAYS, today)
    register = reverse("contracts:list")
    ends_to = today + timedelta(days=ENDING_WITHIN_DAYS)
    return {
        "template": "contracts/includes/home_panel.html",
        "title": "Contracts",
        "ending": rows_for(ending.with_related()[:PANEL_ROWS], today=today),
        "ending_count": ending.count(),
        "ending_url": f"{register}?{urlencode({'ends_from': today, 'ends_to': ends_to})}",
        "due": rows_for(due.with_related()[:PANEL_ROWS], today=today),
        "due_count": due.count(),
        "days": ENDING_WITHIN_DAYS,
        "notice_days": OPTION_NOTICE_WITHIN_DAYS,
    }
