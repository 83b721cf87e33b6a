from django.urls import path

from psr import annual_views

app_name = "psr"

urlpatterns: list = [
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
]
