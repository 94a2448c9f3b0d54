from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from csp.decorators import csp_update
from django_rq.urls import get_admin_urlpatterns, get_api_urlpatterns
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from apps.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links; send them to the static file.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.ico"), permanent=True)),
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("movies/", include("apps.movies.urls")),
    path("movies/", include("apps.genres.urls")),  # genre pages live beside the catalog's
    path("scents/", include("apps.scents.urls")),
    path("adstudio/", include("apps.adstudio.urls")),
    path("admin/", admin.site.urls),
    path(
        "ops/rq/",
        include(
            (get_api_urlpatterns() + get_admin_urlpatterns(view_wrapper=core_views.rq_dashboard_view), "django_rq")
        ),
    ),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves its start-up script from a URL (no inline script); the hash admits the
    # one inline <style> of drf-spectacular's template (tests/browser/test_csp.py notices a change).
    path(
        "api/docs/",
        csp_update({"style-src-elem": "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("api/core/", include("apps.core.api.urls")),
    path("api/accounts/", include("apps.accounts.api.urls")),
    path("api/movies/", include("apps.movies.api.urls")),
    path("api/movies/", include("apps.genres.api.urls")),
    path("api/scents/", include("apps.scents.api.urls")),
    path("api/adstudio/", include("apps.adstudio.api.urls")),
]

if settings.SERVE_MEDIA:
    # Public media only (MEDIA_PUBLIC_PREFIXES); production serves those from nginx instead.
    urlpatterns += [
        re_path(r"^%s(?P<path>.*)$" % settings.MEDIA_URL.lstrip("/"), core_views.media_serve),
    ]

handler404 = "apps.core.views.page_not_found"

admin.site.site_header = "CineScent administration"
admin.site.site_title = "CineScent admin"
