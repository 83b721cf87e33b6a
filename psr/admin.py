from django.contrib import admin

from audit.admin import HistoryAdmin
from psr.models import AwardRecord, Notice


@admin.register(AwardRecord)
class AwardRecordAdmin(HistoryAdmin):
    list_display = ("contract", "provider_name", "decision_makers", "awarded_on")
    search_fields = ("contract__reference", "provider_name")
    autocomplete_fields = ("contract",)


@admin.register(Notice)
class NoticeAdmin(HistoryAdmin):
    list_display = ("contract", "kind", "published_on")
    list_filter = ("kind",)
    search_fields = ("contract__reference",)
    autocomplete_fields = ("contract",)
