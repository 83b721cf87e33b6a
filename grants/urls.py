from django.urls import path

from grants import views

app_name = "grants"

urlpatterns = [
    path("", views.AllocationList.as_view(), name="list"),
    path("allocations/new/", views.allocation_create, name="allocation_create"),
    path("programmes/new/", views.programme_create, name="programme_create"),
    path("programmes/<int:pk>/edit/", views.programme_edit, name="programme_edit"),
    path("allocations/<int:pk>/", views.allocation_detail, name="allocation_detail"),
    path("allocations/<int:pk>/edit/", views.allocation_edit, name="allocation_edit"),
    path("allocations/<int:pk>/delete/", views.allocation_delete, name="allocation_delete"),
    path("allocations/<int:pk>/commit/", views.commitment_add, name="commitment_add"),
    path("commitments/", views.CommitmentList.as_view(), name="commitment_list"),
    path("commitments/<int:pk>/edit/", views.commitment_edit, name="commitment_edit"),
    path("commitments/<int:pk>/delete/", views.commitment_delete, name="commitment_delete"),
    path("contracts/<int:pk>/", views.contract_funding, name="contract_funding"),
    path("contracts/<int:pk>/funding/new/", views.funding_add, name="funding_add"),
    path("funding/", views.FundingList.as_view(), name="funding_list"),
    path("funding/<int:pk>/edit/", views.funding_edit, name="funding_edit"),
    path("funding/<int:pk>/delete/", views.funding_delete, name="funding_delete"),
    path("summaries/contracts/", views.summary_contracts, name="summary_contracts"),
    path("summaries/grants/", views.summary_grants, name="summary_grants"),
    path("summaries/funders/", views.summary_funders, name="summary_funders"),
    path("summaries/service-areas/", views.summary_service_areas, name="summary_service_areas"),
    path("awarded/", views.OutboundGrantList.as_view(), name="outbound_list"),
    path("awarded/new/", views.outbound_create, name="outbound_create"),
    path("awarded/<int:pk>/", views.outbound_detail, name="outbound_detail"),
    path("awarded/<int:pk>/edit/", views.outbound_edit, name="outbound_edit"),
    path("awarded/<int:pk>/delete/", views.outbound_delete, name="outbound_delete"),
    path("awarded/360giving.json", views.giving_json, name="giving_json"),
    path("awarded/360giving.csv", views.giving_csv, name="giving_csv"),
    path("funders/", views.FunderList.as_view(), name="funder_list"),
    path("funders/<int:pk>/", views.funder_detail, name="funder_detail"),
    path("import/", views.import_allocations, name="import"),
    path("export/", views.export_allocations, name="export"),
]
