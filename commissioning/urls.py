from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import SignInForm
from ui import imports
from ui import views as ui_views

urlpatterns = [
    path("", ui_views.home, name="home"),
    path("lookup/<slug:kind>/", ui_views.lookup_suggestions, name="lookup_suggestions"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=SignInForm
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("contracts.urls")),
    path("decisions/", include("decisions.urls")),
    path("grants/", include("grants.urls")),
    path("history/", include("audit.urls")),
    path("imports/<uuid:pk>/", imports.job_detail, name="import_job"),
    path("admin/", admin.site.urls),
]

handler403 = "ui.views.error_403"
handler404 = "ui.views.error_404"
handler500 = "ui.views.error_500"
