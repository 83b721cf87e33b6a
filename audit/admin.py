from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """Admin with a read-only history: past versions can be seen, never restored.

    Restoring ("revert") would write an old version back without a reason or a
    decision behind it; a change goes through the record's own form instead.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("History is read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)
