from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from audit.history import readable_history, redact_for


class HistoryAdmin(SimpleHistoryAdmin):
    """Admin with a read-only history: past versions can be seen, never restored.

    Restoring ("revert") would write an old version back without a reason or a
    decision behind it; a change goes through the record's own form instead.

    A record's history (the list and each version) is refused to a user who may not
    read some of it (an exempt decision's, for users not cleared), worked out at read
    time by audit.history.readable_history, as on the history pages.
    """

    def _refuse_restricted_history(self, request, object_id) -> None:
        history = self.model.history.filter(**{self.model._meta.pk.attname: object_id})
        rows = readable_history(history).values("restricted_now")
        if any(redact_for(request.user, row) for row in rows):
            raise PermissionDenied("Exempt information: you are not cleared to read it.")

    def history_view(self, request, object_id, extra_context=None):
        self._refuse_restricted_history(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("History is read-only.")
        self._refuse_restricted_history(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
