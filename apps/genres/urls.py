"""Genre research and suggestion pages, mounted under /movies/ beside the catalog (names in ``genres:``)."""

from django.urls import path, re_path

from apps.genres import views

app_name = "genres"

urlpatterns = [
    path("genres/research/", views.research, name="research"),
    path("genres/experiments/new/", views.experiment_create, name="experiment_create"),
    path("genres/experiments/<int:pk>/", views.experiment_detail, name="experiment"),
    path("genres/experiments/<int:pk>/deploy/", views.experiment_deploy, name="experiment_deploy"),
    path("<int:pk>/genres/", views.genre_panel, name="panel"),
    path("<int:pk>/genres/suggest/", views.genre_suggest, name="suggest"),
    re_path(
        r"^genres/suggestions/(?P<pk>[0-9]+)/(?P<decision>accept|reject)/$",
        views.suggestion_decide,
        name="suggestion_decide",
    ),
]
