from apps.movies.models.catalog import Genre, GenreAlias, Movie, Review

__all__ = ["Genre", "GenreAlias", "Movie", "Review"]
