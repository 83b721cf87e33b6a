"""Reference tables edited by administrators. Allocations, commitments and funding are
edited in the service itself, where the over-commitment guard applies."""

from django.contrib import admin

from audit.admin import HistoryAdmin
from grants.models import Funder, GrantProgramme, OutboundGrantProgramme


@admin.register(Funder)
class FunderAdmin(HistoryAdmin):
    list_display = ("name", "short_name", "kind")
    search_fields = ("name", "short_name")


@admin.register(GrantProgramme)
class GrantProgrammeAdmin(HistoryAdmin):
    list_display = ("name", "short_name", "funder")
    search_fields = ("name", "short_name")
    list_filter = ("funder",)
    autocomplete_fields = ("funder",)


@admin.register(OutboundGrantProgramme)
class OutboundGrantProgrammeAdmin(HistoryAdmin):
    list_display = ("name", "authority", "financial_year", "budget", "giving_prefix")
    search_fields = ("name", "code")
    autocomplete_fields = ("authority",)
