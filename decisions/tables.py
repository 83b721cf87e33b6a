"""Decision registers. Exempt decisions show only their number, title and paragraph to
users not cleared for exempt information, on screen and in every export."""

import django_tables2 as tables
from django.utils.html import format_html

from decisions.models import Decision
from ui.tables import Table
from ui.templatetags.ui import uk_date

HIDDEN = "–"

# The register's Type column is narrow; the full label is on the decision page and in
# the exports.
SHORT_TYPES = {
    Decision.Type.EXECUTIVE_KEY: "Executive",
    Decision.Type.EXECUTIVE_NON_KEY: "Executive",
    Decision.Type.OFFICER: "Officer",
    Decision.Type.BOARD: "Board",
    Decision.Type.COUNCIL: "Council",
}


def _guarded(formatter=str):
    """A render_/value_ pair that hides the cell of an exempt decision from uncleared users."""

    def render(self, value, record):
        if record.is_hidden_from(self.user):
            return HIDDEN
        return formatter(value)

    return render


class DecisionTable(Table):
    number = tables.Column(linkify=True, attrs={"td": {"class": "app-nowrap"}})
    title = tables.Column(verbose_name="Subject", linkify=True)
    authority = tables.Column(accessor="authority__short_name", verbose_name="Authority")
    decision_maker = tables.Column(verbose_name="Decision maker")
    decision_date = tables.Column(verbose_name="Date", attrs={"td": {"class": "app-nowrap"}})
    decision_type = tables.Column(verbose_name="Type")
    # Shown on screen within Type ("Executive, key"); its own column in the exports.
    is_key_decision = tables.Column(verbose_name="Key decision", visible=False)
    classification = tables.Column(
        accessor="exempt_paragraph", verbose_name="Classification", default="Unrestricted"
    )
    status = tables.Column()

    class Meta:
        model = Decision
        fields = ()
        sequence = (
            "number",
            "title",
            "authority",
            "decision_maker",
            "decision_date",
            "decision_type",
            "is_key_decision",
            "classification",
            "status",
        )
        attrs = {"class": "govuk-table"}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    render_decision_maker = value_decision_maker = _guarded()
    render_decision_date = _guarded(uk_date)
    value_decision_date = _guarded(lambda d: d.isoformat())
    # Columns of choice fields already receive the label.
    value_decision_type = _guarded()

    def render_decision_type(self, value, record):
        if record.is_hidden_from(self.user):
            return HIDDEN
        short = SHORT_TYPES.get(record.decision_type, value)
        return f"{short}, key" if record.is_key_decision else short

    render_is_key_decision = value_is_key_decision = _guarded(lambda v: "Yes" if v else "No")
    render_status = value_status = _guarded()

    def render_classification(self, value, record):
        return record.exempt_short_label

    def value_classification(self, value, record):
        return record.exempt_short_label


class ForwardPlanTable(DecisionTable):
    notice = tables.Column(accessor="pk", verbose_name="Notice", orderable=False)

    class Meta(DecisionTable.Meta):
        sequence = (
            "decision_date",
            "number",
            "title",
            "authority",
            "decision_maker",
            "notice",
            "classification",
        )
        exclude = ("decision_type", "is_key_decision", "status")

    def __init__(self, *args, deadlines, **kwargs):
        self.deadlines = deadlines
        super().__init__(*args, **kwargs)

    def _notice(self, record) -> str:
        return self.deadlines[record.pk].notice_label

    def render_notice(self, value, record):
        if record.is_hidden_from(self.user):
            return HIDDEN
        label = self._notice(record)
        if self.deadlines[record.pk].late_notice:
            return format_html('<strong class="app-flag app-flag--warning">{}</strong>', label)
        return label

    def value_notice(self, value, record):
        return HIDDEN if record.is_hidden_from(self.user) else self._notice(record)
