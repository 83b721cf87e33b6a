from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from audit.admin import HistoryAdmin
from decisions import visibility
from decisions.models import (
    Decision,
    DecisionAttachment,
    DecisionContractLink,
    DecisionRelation,
    IssuedDocument,
    PathwayStage,
    Recommendation,
    ReportSection,
)
from ui.attachments import attachment_admin_base

# Uncleared staff see no exempt decision in the admin, nor any part of one: each admin's
# queryset asks decisions.visibility (``readable_by``), so the changelist, its search,
# filters and sorting, the change and delete forms and the inlines cannot show one, and
# HistoryAdmin refuses their history (the list and each version).
#
# Each part has its own admin as well as an inline, so that its read-only history
# (who changed a recommendation or a pathway stage, and why) can be read in the admin.
# DecisionNumberCounter is bookkeeping without history and is left out: editing it by
# hand could reissue or skip numbers.


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class ReportSectionInline(admin.StackedInline):
    model = ReportSection
    extra = 0


class PathwayStageInline(admin.TabularInline):
    model = PathwayStage
    extra = 0


class ContractLinkInline(admin.TabularInline):
    model = DecisionContractLink
    extra = 0
    raw_id_fields = ("contract",)


class RelationInline(admin.TabularInline):
    model = DecisionRelation
    fk_name = "decision"
    extra = 0
    raw_id_fields = ("earlier",)


class ReadableDecisionsAdmin(HistoryAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).readable_by(request.user)


@admin.register(Decision)
class DecisionAdmin(ReadableDecisionsAdmin):
    list_display = (
        "number",
        "title",
        "authority",
        "decision_type",
        "decision_date",
        "is_key_decision",
        "exempt_paragraph",
        "status",
    )
    list_filter = ("authority", "decision_type", "status", "is_key_decision", "exempt_paragraph")
    search_fields = ("number", "title", "decision_maker")
    date_hierarchy = "decision_date"
    # A <select> of every council would grow without bound; no <select> lists more
    # than 200 options (ui/lookup.py).
    autocomplete_fields = ("authority", "joint_authorities")
    filter_horizontal = ("strategic_priorities",)
    inlines = [
        RecommendationInline,
        ReportSectionInline,
        PathwayStageInline,
        ContractLinkInline,
        RelationInline,
    ]


@admin.register(Recommendation)
class RecommendationAdmin(ReadableDecisionsAdmin):
    list_display = ("decision", "order", "verb")
    search_fields = ("decision__number", "verb", "text")
    raw_id_fields = ("decision",)


@admin.register(ReportSection)
class ReportSectionAdmin(ReadableDecisionsAdmin):
    list_display = ("decision", "order", "heading")
    search_fields = ("decision__number", "heading")
    raw_id_fields = ("decision",)


@admin.register(PathwayStage)
class PathwayStageAdmin(ReadableDecisionsAdmin):
    list_display = ("decision", "order", "body", "date", "purpose", "outcome")
    list_filter = ("purpose", "outcome")
    search_fields = ("decision__number", "body")
    raw_id_fields = ("decision",)


@admin.register(DecisionContractLink)
class DecisionContractLinkAdmin(ReadableDecisionsAdmin):
    list_display = ("decision", "kind", "contract")
    list_filter = ("kind",)
    search_fields = ("decision__number", "contract__reference")
    raw_id_fields = ("decision", "contract")


@admin.register(DecisionRelation)
class DecisionRelationAdmin(ReadableDecisionsAdmin):
    list_display = ("decision", "kind", "earlier")
    list_filter = ("kind",)
    search_fields = ("decision__number", "earlier__number")
    raw_id_fields = ("decision", "earlier")


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(HistoryAdmin):
    """Read only: documents are issued from the decision page (decisions.issuing) and
    are never changed or deleted, by anyone, superusers included. The files are not
    linked from MEDIA_ROOT: the download goes through the permission-checked view."""

    list_display = ("__str__", "kind", "issued_at", "issued_by", "short_sha256")
    list_filter = ("kind",)
    search_fields = ("decision__number", "sha256")
    fields = (
        "kind",
        "decision",
        "authority",
        "period_from",
        "period_to",
        "version",
        "sha256",
        "public_sha256",
        "issued_by",
        "issued_at",
        "as_of",
        "reason",
        "exempt_paragraph",
        "download",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("decision", "authority")
        if visibility.is_cleared(request.user):
            return queryset
        # As for the decisions' admins: nothing of an exempt decision for uncleared staff.
        return queryset.filter(exempt_paragraph__isnull=True).filter(
            Q(decision__isnull=True) | Q(decision__exempt_paragraph__isnull=True)
        )

    @admin.display(description="File")
    def download(self, obj) -> str:
        return format_html(
            '<a href="{}">Download (PDF)</a>', reverse("decisions:issued_download", args=[obj.pk])
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DecisionAttachment)
class DecisionAttachmentAdmin(attachment_admin_base()):
    list_display = ("title", "decision", "kind", "exempt_paragraph", "uploaded_at", "withdrawn_at")
    search_fields = ("title", "original_filename", "decision__number")
    raw_id_fields = ("decision",)
