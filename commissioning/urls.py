from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.forms import PasswordResetForm, SetPasswordForm, SignInForm
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
    # Forgotten passwords, and the link an invitation sends (accounts.services).
    path(
        "accounts/password-reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("users/", include("accounts.urls")),
    path("", include("contracts.urls")),
    path("decisions/", include("decisions.urls")),
    path("grants/", include("grants.urls")),
    path("psr/", include("psr.urls")),
    path("history/", include("audit.urls")),
    path("public/", include("public.urls")),
    path("imports/<uuid:pk>/", imports.job_detail, name="import_job"),
    path("admin/", admin.site.urls),
]

handler403 = "ui.views.error_403"
handler404 = "ui.views.error_404"
handler500 = "ui.views.error_500"
