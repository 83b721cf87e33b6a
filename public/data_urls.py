"""Open-data files per authority (public.open_data): no sign-in."""

from django.urls import path

from public import open_data

urlpatterns = [
    path("<int:authority>/open-data/ocds.json", open_data.ocds_package, name="ocds"),
    path(
        "<int:authority>/open-data/transparency-contracts.csv",
        open_data.transparency_contracts,
        name="transparency_contracts",
    ),
    path(
        "<int:authority>/open-data/transparency-vcse-grants.csv",
        open_data.transparency_grants,
        name="transparency_grants",
    ),
    path("<int:authority>/open-data/360giving.json", open_data.giving_package, name="giving"),
]
