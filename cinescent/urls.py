from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from apps.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("movies/", include("apps.movies.urls")),
    path("scents/", include("apps.scents.urls")),
    path("adstudio/", include("apps.adstudio.urls")),
    path("admin/", admin.site.urls),
    path("ops/rq/", include("django_rq.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/core/", include("apps.core.api.urls")),
    path("api/accounts/", include("apps.accounts.api.urls")),
    path("api/movies/", include("apps.movies.api.urls")),
    path("api/scents/", include("apps.scents.api.urls")),
    path("api/adstudio/", include("apps.adstudio.api.urls")),
]

if settings.SERVE_MEDIA:
    # Dev only: production serves media from the storage backend / a web server.
    urlpatterns += [
        re_path(r"^%s(?P<path>.*)$" % settings.MEDIA_URL.lstrip("/"), core_views.media_serve),
    ]

handler404 = "apps.core.views.page_not_found"

admin.site.site_header = "CineScent administration"
admin.site.site_title = "CineScent admin"
