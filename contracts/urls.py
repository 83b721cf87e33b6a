from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("contracts/", views.ContractList.as_view(), name="list"),
    path("contracts/new/", views.contract_create, name="create"),
    path("contracts/import/", views.contract_import, name="import"),
    path("contracts/export.csv", views.contract_export, name="export"),
    path("contracts/<int:pk>/", views.contract_detail, name="detail"),
    path("contracts/<int:pk>/edit/", views.contract_edit, name="edit"),
    path("contracts/<int:pk>/option/", views.option_decide, name="option_decide"),
    path("contracts/<int:pk>/delete/", views.contract_delete, name="delete"),
    path("contracts/<int:pk>/attachments/add/", views.attachment_add, name="attachment_add"),
    path(
        "contracts/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "contracts/<int:pk>/attachments/<int:attachment_pk>/withdraw/",
        views.attachment_withdraw,
        name="attachment_withdraw",
    ),
    path("authorities/", views.AuthorityList.as_view(), name="authority_list"),
    path("authorities/new/", views.authority_create, name="authority_create"),
    path("authorities/<int:pk>/", views.authority_detail, name="authority_detail"),
    path("authorities/<int:pk>/edit/", views.authority_edit, name="authority_edit"),
    path("providers/", views.ProviderList.as_view(), name="provider_list"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<int:pk>/", views.provider_detail, name="provider_detail"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider_edit"),
]
