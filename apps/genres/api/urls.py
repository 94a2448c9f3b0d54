"""Genre suggestion and experiment API, mounted under /api/movies/ beside the catalog API."""

from django.urls import path

from apps.genres.api import views

app_name = "genres-api"
urlpatterns = [
    path("movies/<int:pk>/genre-suggestions/", views.MovieGenreSuggestionsApi.as_view(), name="genre_suggestions"),
    path(
        "genre-suggestions/<int:pk>/decide/", views.GenreSuggestionDecideApi.as_view(), name="genre_suggestion_decide"
    ),
    path("genre-experiments/", views.ExperimentListApi.as_view(), name="genre_experiment_list"),
    path("genre-experiments/<int:pk>/", views.ExperimentDetailApi.as_view(), name="genre_experiment_detail"),
]
