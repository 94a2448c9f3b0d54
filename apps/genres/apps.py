from django.apps import AppConfig


class GenresConfig(AppConfig):
    """Genre research and suggestions, built on the movies catalog (which never imports it)."""

    name = "apps.genres"
    label = "genres"
    verbose_name = "Genre research & suggestions"
    # The movie page shows these when this app is installed (apps.movies.templatetags.movie_page).
    movie_page_templates = {"links": "genres/_movie_link.html", "panels": "genres/_movie_panel.html"}

    def ready(self):
        from apps.genres.admin import movie_admin_extend

        movie_admin_extend()
