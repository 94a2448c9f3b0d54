from django.apps import AppConfig
from django.db.models.signals import post_delete


class GenresConfig(AppConfig):
    """Genre research and suggestions, built on the movies catalog (which never imports it)."""

    name = "apps.genres"
    label = "genres"
    verbose_name = "Genre research & suggestions"
    # The movie page shows these when this app is installed (apps.movies.templatetags.movie_page).
    movie_page_templates = {"links": "genres/_movie_link.html", "panels": "genres/_movie_panel.html"}

    def ready(self):
        from apps.core.registry import ml_task_register
        from apps.genres.admin import movie_admin_extend
        from apps.genres.ml.suggest import load
        from apps.genres.models import GenreSuggestion
        from apps.genres.services.removal import suggestion_heatmap_remove

        # Every manifest entry with "task": "genres" (the deployed model and any kept for comparison).
        ml_task_register("genres", "apps.genres.ml.suggest.load.load", format=load.FORMAT, train=load.TRAIN)
        movie_admin_extend()
        # However a suggestion goes (with its movie, which the movies app deletes without knowing this
        # app, or replaced by a new prediction), its heat map goes too.
        post_delete.connect(suggestion_heatmap_remove, sender=GenreSuggestion, dispatch_uid="genres.suggestion_heatmap")
