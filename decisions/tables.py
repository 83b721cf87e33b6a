"""Decision registers. Exempt decisions show only their number, title and paragraph to
users not cleared for exempt information, on screen and in every export."""

import django_tables2 as tables
from django.utils.html import format_html

from decisions import visibility
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


def _guarded(field: str, formatter=str):
    """A render_/value_ method that hides a withheld cell of an exempt decision."""

    def render(self, value, record):
        if not visibility.shows(record, self.user, field, self.public_fields):
            return HIDDEN
        return formatter(value)

    return render


def _ordered(field: str):
    """An order_ method: sorting by a withheld field places exempt rows by number only."""

    def order(self, queryset, is_descending):
        key = f"-{field}" if is_descending else field
        return visibility.ordered(queryset, self.user, key, public=self.public_fields), True

    return order


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

    # What an uncleared user sees of an exempt row (decisions.visibility).
    public_fields = visibility.PUBLIC_FIELDS

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    render_decision_maker = value_decision_maker = _guarded("decision_maker")
    render_decision_date = _guarded("decision_date", uk_date)
    value_decision_date = _guarded("decision_date", lambda d: d.isoformat())
    # Columns of choice fields already receive the label.
    value_decision_type = _guarded("decision_type")

    def render_decision_type(self, value, record):
        if not visibility.shows(record, self.user, "decision_type", self.public_fields):
            return HIDDEN
        short = SHORT_TYPES.get(record.decision_type, value)
        return f"{short}, key" if record.is_key_decision else short

    render_is_key_decision = value_is_key_decision = _guarded(
        "is_key_decision", lambda v: "Yes" if v else "No"
    )
    render_status = value_status = _guarded("status")

    order_decision_maker = _ordered("decision_maker")
    order_decision_date = _ordered("decision_date")
    order_decision_type = _ordered("decision_type")
    order_is_key_decision = _ordered("is_key_decision")
    order_status = _ordered("status")

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

    # Regulation 9: the forward plan publishes every key decision's matter, decision
    # maker and date, and that it will be taken in private; the notice it was given on
    # the plan is the plan's own record, not the report's content.
    public_fields = visibility.FORWARD_PLAN_FIELDS

    def __init__(self, *args, deadlines, **kwargs):
        self.deadlines = deadlines
        super().__init__(*args, **kwargs)

    def _notice(self, record) -> str:
        return self.deadlines[record.pk].notice_label

    def render_notice(self, value, record):
        label = self._notice(record)
        if self.deadlines[record.pk].late_notice:
            return format_html('<strong class="app-flag app-flag--warning">{}</strong>', label)
        return label

    def value_notice(self, value, record):
        return self._notice(record)
