from django.urls import path  # noqa: F401 (the helpers' routes go here)

app_name = "psr"

urlpatterns: list = []
