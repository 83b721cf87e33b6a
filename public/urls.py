"""The public transparency site, under /public/: no sign-in.

Every view here is ``login_not_required`` and shows only what the core rules let the
public see (``Decision.objects.published()`` and ``decisions.visibility`` for an
anonymous reader). The pages, the open-data files and the feeds have a URL module each.
"""

from django.urls import include, path

app_name = "public"

urlpatterns = [
    path("", include("public.data_urls")),
    path("", include("public.feed_urls")),
]
