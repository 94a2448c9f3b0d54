from apps.movies.models.catalog import Genre, GenreAlias, Movie, Review
from apps.movies.models.genres import Experiment, GenreSuggestion

__all__ = ["Experiment", "Genre", "GenreAlias", "GenreSuggestion", "Movie", "Review"]
