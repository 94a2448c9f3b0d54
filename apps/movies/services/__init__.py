from apps.movies.services.catalog import (
    EDITORS_ONLY,
    MOVIE_FIELDS,
    movie_create,
    movie_delete,
    movie_details_fill,
    movie_editable_by,
    movie_update,
    review_create,
    review_delete,
    review_moderate,
    review_text_clean,
    review_update,
    reviews_rescore,
)
from apps.movies.services.posters import movie_poster_fetch
from apps.movies.services.vocabulary import genre_alias_add, genre_get_or_create, genre_merge

__all__ = [
    "EDITORS_ONLY",
    "MOVIE_FIELDS",
    "genre_alias_add",
    "genre_get_or_create",
    "genre_merge",
    "movie_create",
    "movie_delete",
    "movie_details_fill",
    "movie_editable_by",
    "movie_update",
    "movie_poster_fetch",
    "review_create",
    "review_delete",
    "review_moderate",
    "review_text_clean",
    "review_update",
    "reviews_rescore",
]
