"""The contracts panel on the home page: what ends soon and which options are due."""

from django.utils import timezone

from contracts.figures import rows_for
from contracts.models import Contract

ENDING_WITHIN_DAYS = 180
OPTION_NOTICE_WITHIN_DAYS = 180


def home_panel(user) -> dict | None:
    if not user.has_perm("contracts.view_contract"):
        return None
    today = timezone.localdate()
    ending = rows_for(
        Contract.objects.ending_within(days=ENDING_WITHIN_DAYS, today=today).with_related(),
        today=today,
    )
    ending.sort(key=lambda row: row.figures.current_end)
    due = rows_for(
        Contract.objects.with_option_notice_within(
            days=OPTION_NOTICE_WITHIN_DAYS, today=today
        ).with_related(),
        today=today,
    )
    due = [row for row in due if row.figures.next_option_deadline]
    due.sort(key=lambda row: row.figures.next_option_deadline.deadline)
    return {
        "template": "contracts/includes/home_panel.html",
        "title": "Contracts",
        "ending": ending,
        "due": due,
        "days": ENDING_WITHIN_DAYS,
        "notice_days": OPTION_NOTICE_WITHIN_DAYS,
    }
