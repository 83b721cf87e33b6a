from django.urls import path

from psr import annual_views, variations, views

app_name = "psr"

urlpatterns: list = [
    # Award records (reg 24) and their notices (Schedule 3; reg 13).
    path("award-records/", views.AwardRecordList.as_view(), name="awardrecord_list"),
    path(
        "contracts/<int:contract_pk>/award-record/add/",
        views.awardrecord_create,
        name="awardrecord_create",
    ),
    path("award-records/<int:pk>/", views.awardrecord_detail, name="awardrecord_detail"),
    path("award-records/<int:pk>/edit/", views.awardrecord_edit, name="awardrecord_edit"),
    path("award-records/<int:pk>/pdf/", views.awardrecord_pdf, name="awardrecord_pdf"),
    path(
        "award-records/<int:pk>/notices/<slug:kind>/",
        views.notice_detail,
        name="notice_detail",
    ),
    path(
        "award-records/<int:pk>/notices/<slug:kind>/pdf/",
        views.notice_pdf,
        name="notice_pdf",
    ),
    path(
        "award-records/<int:pk>/notices/<slug:kind>/published/",
        views.notice_published,
        name="notice_published",
    ),
    path("modifications/<int:pk>/notice/", views.modification_notice, name="modification_notice"),
    path(
        "modifications/<int:pk>/notice/pdf/",
        views.modification_notice_pdf,
        name="modification_notice_pdf",
    ),
    path(
        "modifications/<int:pk>/notice/published/",
        views.modification_notice_published,
        name="modification_notice_published",
    ),
    # The reg 25 annual summary.
    path("annual/", annual_views.annual, name="annual"),
    path(
        "annual/<int:authority_pk>/<int:year>/",
        annual_views.annual_summary_page,
        name="annual_summary",
    ),
    path(
        "annual/<int:authority_pk>/<int:year>/pdf/",
        annual_views.annual_summary_pdf,
        name="annual_summary_pdf",
    ),
    # Variations of a contract (psr.variations).
    path("contracts/<int:pk>/variations/new/", variations.variation_new, name="variation_new"),
    path("variations/<int:pk>/", variations.variation_detail, name="variation_detail"),
    path("variations/<int:pk>/edit/", variations.variation_edit, name="variation_edit"),
]
