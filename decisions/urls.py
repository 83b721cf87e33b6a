from django.urls import path

from decisions import views

app_name = "decisions"


def _part_urls(kind: str, slug: str) -> list:
    return [
        path(f"<int:pk>/{slug}/add/", views.part_edit, {"kind": kind}, name=f"{kind}_add"),
        path(
            f"<int:pk>/{slug}/<int:part_pk>/edit/",
            views.part_edit,
            {"kind": kind},
            name=f"{kind}_edit",
        ),
        path(
            f"<int:pk>/{slug}/<int:part_pk>/delete/",
            views.part_delete,
            {"kind": kind},
            name=f"{kind}_delete",
        ),
    ]


urlpatterns = [
    path("", views.DecisionList.as_view(), name="list"),
    path("new/", views.decision_create, name="create"),
    path("forward-plan/", views.ForwardPlan.as_view(), name="forward_plan"),
    path("forward-plan.pdf", views.forward_plan_pdf, name="forward_plan_pdf"),
    path("forward-plan/issue/", views.forward_plan_issue, name="forward_plan_issue"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/edit/", views.decision_edit, name="edit"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/record.pdf", views.record_pdf, name="record_pdf"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:pk>/issue/<str:kind>/", views.issue, name="issue"),
    path(
        "<int:pk>/issue/<str:kind>/<int:version>/",
        views.issue_progress,
        name="issue_progress",
    ),
    path("issued/<int:pk>.pdf", views.issued_download, name="issued_download"),
    path("<int:pk>/attachments/add/", views.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/withdraw/",
        views.attachment_withdraw,
        name="attachment_withdraw",
    ),
    *_part_urls("recommendation", "recommendations"),
    *_part_urls("section", "sections"),
    *_part_urls("stage", "pathway"),
    *_part_urls("contract_link", "contracts"),
    *_part_urls("relation", "earlier-decisions"),
]
