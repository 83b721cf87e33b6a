from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export.views import ExportMixin

from accounts.roles import AUDITOR, CAN_DO, administrators, role_of
from ui import exports


class RegisterView(PermissionRequiredMixin, ExportMixin, SingleTableMixin, FilterView):
    """A sortable, filterable, paginated list with CSV and XLSX export of the filtered rows."""

    template_name = "includes/register.html"
    # Only the table pages (25 rows, or ?per_page=). ListView would page the queryset
    # again by its own size and answer 404 for ?per_page=10&page=3 on a short list.
    paginate_by = None
    table_pagination = {"per_page": 25}
    export_formats = exports.FORMATS
    title = ""
    create_url_name: str | None = None
    create_permission: str | None = None
    empty_text = "No records match."
    filter_hint = ""

    def render_to_response(self, context, **kwargs):
        # Only the formats offered: tablib's others (yaml, xls, ods...) are not installed
        # or not neutralised, so ?_export=yaml shows the page like any unknown parameter.
        export_format = exports.requested_format(self.request, self.export_formats)
        if export_format:
            return self.create_export(export_format)
        return super(ExportMixin, self).render_to_response(context, **kwargs)

    def create_export(self, export_format):
        table = self.get_table(**self.get_table_kwargs())
        rows = exports.table_rows(table, exclude_columns=self.exclude_columns)
        return exports.response(rows, export_format, self.export_name, title=self.title)

    def get_table_kwargs(self):
        return {"empty_text": self.empty_text}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        if self.create_url_name and self.request.user.has_perm(self.create_permission):
            context["create_url_name"] = self.create_url_name
        context["filter_hint"] = self.filter_hint
        query = self.request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        return context


def home(request):
    """Each role lands on the work it does most."""
    if role_of(request.user) == AUDITOR:
        from audit.views import changes

        return changes(request)
    from ui.dashboard import dashboard_context

    return render(request, "ui/home.html", dashboard_context(request.user))


def lookup_suggestions(request, kind: str):
    """Suggestions for a look-up box as one types (ui/lookup.py, static/js/lookup.js)."""
    from ui.lookup import suggestions

    found = suggestions(kind, request.GET.get("q", ""), request.user)
    if found is None:
        raise PermissionDenied
    return JsonResponse({"results": found})


def error_403(request, exception=None):
    """Says what the user's role allows and whom to ask (administrators by name)."""
    role = role_of(request.user)
    return render(
        request,
        "403.html",
        {
            "can_do": CAN_DO.get(role, ""),
            "administrators": administrators() if request.user.is_authenticated else [],
        },
        status=403,
    )


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
