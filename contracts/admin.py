from django.contrib import admin

from audit.admin import HistoryAdmin
from contracts.figures import deferred
from contracts.models import (
    Authority,
    Contract,
    ContractAttachment,
    CostShare,
    ExtensionOption,
    Modification,
    Provider,
    StrategicPriority,
)
from ui.attachments import attachment_admin_base


@admin.register(Authority)
class AuthorityAdmin(HistoryAdmin):
    list_display = ("name", "short_name", "key_decision_threshold", "call_in_working_days")
    search_fields = ("name", "short_name")


@admin.register(Provider)
class ProviderAdmin(HistoryAdmin):
    list_display = ("name", "provider_type", "charity_number", "company_number")
    search_fields = ("name", "charity_number", "company_number")
    list_filter = ("provider_type", "is_sme", "is_vcse")


@admin.register(StrategicPriority)
class StrategicPriorityAdmin(HistoryAdmin):
    list_display = ("strategy", "area", "number", "name")
    search_fields = ("name", "strategy")


class OptionInline(admin.TabularInline):
    model = ExtensionOption
    extra = 0
    raw_id_fields = ("authorising_decision",)


class ShareInline(admin.TabularInline):
    model = CostShare
    extra = 0
    autocomplete_fields = ("authority",)


class ModificationInline(admin.StackedInline):
    # Saved through the model, so its history and the contract's stored figures are
    # written as on every other path (contracts.models).
    model = Modification
    extra = 0
    raw_id_fields = ("new_provider",)


@admin.register(Contract)
class ContractAdmin(HistoryAdmin):
    list_display = ("reference", "title", "provider", "lead_authority", "start_date")
    search_fields = ("reference", "title", "provider__name")
    list_filter = ("service_area", "procurement_route")
    raw_id_fields = ("provider", "lead_authority", "subcontractors")
    inlines = [OptionInline, ShareInline, ModificationInline]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The contract and its inlines are saved one by one; their stored figures are
        # written once, at the end (each save would store them anyway).
        with deferred():
            return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(ContractAttachment)
class ContractAttachmentAdmin(attachment_admin_base()):
    list_display = ("title", "contract", "kind", "exempt_paragraph", "uploaded_at", "withdrawn_at")
    search_fields = ("title", "original_filename", "contract__reference")
    raw_id_fields = ("contract",)
