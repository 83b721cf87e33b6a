from django.urls import path

from psr import variations

app_name = "psr"

urlpatterns: list = [
    # Variations of a contract (psr.variations).
    path("contracts/<int:pk>/variations/new/", variations.variation_new, name="variation_new"),
    path("variations/<int:pk>/", variations.variation_detail, name="variation_detail"),
    path("variations/<int:pk>/edit/", variations.variation_edit, name="variation_edit"),
]
