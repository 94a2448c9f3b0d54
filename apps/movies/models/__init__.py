from apps.movies.models.catalog import Genre, Movie, Review
from apps.movies.models.genres import Experiment, GenreSuggestion

__all__ = ["Experiment", "Genre", "GenreSuggestion", "Movie", "Review"]
