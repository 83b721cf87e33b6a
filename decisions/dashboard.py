"""The decisions panel on the home page: what clerks must act on next."""

from datetime import timedelta

from django.utils import timezone

from decisions import figures, visibility
from decisions.models import Decision

UPCOMING_DAYS = 60
PANEL_ROWS = 8


def home_panel(user) -> dict | None:
    """Upcoming key decisions, and those late for the forward plan.

    The forward plan's rows and order, so the panel shows no more of an exempt
    decision than the published forward plan does (decisions.visibility).
    """
    if not user.has_perm("decisions.view_decision"):
        return None
    today = timezone.localdate()
    upcoming = list(
        Decision.objects.forward_plan(user, today).filter(
            decision_date__lte=today + timedelta(days=UPCOMING_DAYS)
        )
    )
    rows = []
    for decision in upcoming:
        deadlines = figures.deadlines_for(decision)
        # Whether late-notice reasons were given is the report's content, not the plan's.
        reasons_shown = visibility.shows(
            decision, user, "late_notice_reason", visibility.FORWARD_PLAN_FIELDS
        )
        missing_reasons = (
            reasons_shown and deadlines.late_notice and not decision.late_notice_reason
        )
        rows.append(
            {
                "decision": decision,
                "deadlines": deadlines,
                "late": missing_reasons or deadlines.overdue_for_forward_plan,
            }
        )
    return {
        "template": "decisions/includes/home_panel.html",
        "title": "Key decisions",
        "rows": rows[:PANEL_ROWS],
        "late": [r for r in rows if r["late"]],
        "days": UPCOMING_DAYS,
    }
