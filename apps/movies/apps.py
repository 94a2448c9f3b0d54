from django.apps import AppConfig


class MoviesConfig(AppConfig):
    name = "apps.movies"
    label = "movies"
    verbose_name = "Movies & reviews"
