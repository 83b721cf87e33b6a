"""The public transparency site, under /public/: no sign-in.

Every view here is ``login_not_required`` and shows only what the core rules let the
public see (``Decision.objects.published()`` and ``decisions.visibility`` for an
anonymous reader). The pages, the open-data files and the feeds have a URL module each.

Every per-authority URL, in all three modules, takes the authority as
``<int:authority>``: its pk (reverse("public:...", kwargs={"authority": pk})).
"""

from django.urls import include, path

from public import views

app_name = "public"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:authority>/", views.authority_home, name="authority"),
    path("<int:authority>/forward-plan/", views.forward_plan, name="forward_plan"),
    path("<int:authority>/decisions/", views.decision_list, name="decisions"),
    path("<int:authority>/decisions/<int:pk>/", views.decision_detail, name="decision"),
    path(
        "<int:authority>/decisions/<int:pk>/files/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
    path("<int:authority>/documents/<int:pk>.pdf", views.document, name="document"),
    path("<int:authority>/contracts/", views.contract_list, name="contracts"),
    path("<int:authority>/grants/", views.grant_list, name="grants"),
    path("", include("public.data_urls")),
    path("", include("public.feed_urls")),
]
