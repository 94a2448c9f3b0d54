from apps.movies.models.catalog import Genre, Movie, Review

__all__ = ["Genre", "Movie", "Review"]
