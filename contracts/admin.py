from django.contrib import admin
from audit.admin import HistoryAdmin

from contracts.models import Authority, Provider


@admin.register(Authority)
class AuthorityAdmin(HistoryAdmin):
    list_display = ("name", "short_name", "key_decision_threshold", "call_in_working_days")
    search_fields = ("name", "short_name")


@admin.register(Provider)
class ProviderAdmin(HistoryAdmin):
    list_display = ("name", "provider_type", "charity_number", "company_number")
    search_fields = ("name", "charity_number", "company_number")
    list_filter = ("provider_type", "is_sme", "is_vcse")
