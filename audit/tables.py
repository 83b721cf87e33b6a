import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from audit.feed import ACTIONS, record_url
from audit.history import NO_USER, REDACTED, redact_for
from ui.tables import Table

# A change lists its first few fields here and all of them on the record's page.
FEED_CHANGES_SHOWN = 4


class ChangesTable(Table):
    # Sorted by date only, newest or oldest first: the history_date indexes serve both,
    # whereas sorting a million changes by record or action would read them all.
    history_date = tables.DateTimeColumn(
        verbose_name="When", format="j M Y, H:i", order_by=("history_date", "history_id")
    )
    record_type = tables.Column(verbose_name="Record type", orderable=False)
    # The label worked out now (audit.history.readable_history), not the one written.
    record_label = tables.Column(accessor="label_now", verbose_name="Record", orderable=False)
    history_type = tables.Column(verbose_name="Action", orderable=False)
    # The name written with each change, so it stays when the user's account is gone.
    history_user_name = tables.Column(verbose_name="Changed by", orderable=False, default=NO_USER)
    changes = tables.Column(verbose_name="Changes (old → new)", orderable=False)
    history_change_reason = tables.Column(verbose_name="Reason", orderable=False)

    class Meta:
        attrs = {"class": "govuk-table app-table--changes app-table--stack"}
        empty_text = "No changes match these filters."
        order_by = ("-history_date",)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def render_record_type(self, value):
        from django.apps import apps

        return str(apps.get_model(value)._meta.verbose_name).capitalize()

    def render_record_label(self, value, record):
        url = record_url(record["record_type"], record["record_id"])
        if url and record["history_type"] != "-":
            return format_html('<a class="govuk-link" href="{}">{}</a>', url, value)
        return value

    def render_history_type(self, value):
        return ACTIONS.get(value, value)

    def render_changes(self, value, record):
        if redact_for(self.user, record):
            return REDACTED
        if not value:
            return "—"
        if record["history_type"] == "+":
            # A new record "changes" every field from blank: a list of them says little
            # in a feed, so give the count and leave the values to the record's page.
            return format_html(
                '<p class="govuk-body-s">{} fields set (see the record\'s history)</p>', len(value)
            )
        items = list(value.items())
        shown = items[:FEED_CHANGES_SHOWN]
        more = len(items) - len(shown)
        return format_html(
            '<ul class="govuk-list govuk-body-s">{}{}</ul>',
            format_html_join(
                "",
                "<li><strong>{}</strong>: {} → {}</li>",
                ((label, old or "blank", new or "blank") for label, (old, new) in shown),
            ),
            format_html("<li>and {} more (see the record's history)</li>", more) if more else "",
        )

    def render_history_change_reason(self, value, record):
        return "" if redact_for(self.user, record) else value

    def value_history_date(self, value):
        return value  # a date and time in XLSX, ISO 8601 in CSV

    def value_changes(self, value, record):
        if redact_for(self.user, record):
            return REDACTED
        return "; ".join(f"{k}: {o or ''} -> {n or ''}" for k, (o, n) in (value or {}).items())

    def value_record_label(self, value, record):
        return value
