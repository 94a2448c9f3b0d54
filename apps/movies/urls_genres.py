"""Genre research and suggestion pages (included by ``apps/movies/urls.py``; names in ``movies:``)."""
from django.urls import path, re_path

from apps.movies.views import genres

urlpatterns = [
    path("genres/research/", genres.research, name="genres_research"),
    path("genres/experiments/new/", genres.experiment_create, name="genres_experiment_create"),
    path("genres/experiments/<int:pk>/", genres.experiment_detail, name="genres_experiment"),
    path("genres/experiments/<int:pk>/deploy/", genres.experiment_deploy, name="genres_experiment_deploy"),
    path("<int:pk>/genres/", genres.genre_panel, name="genres_panel"),
    path("<int:pk>/genres/suggest/", genres.genre_suggest, name="genres_suggest"),
    re_path(r"^genres/suggestions/(?P<pk>[0-9]+)/(?P<decision>accept|reject)/$", genres.suggestion_decide, name="genres_suggestion_decide"),
]
