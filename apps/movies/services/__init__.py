from apps.movies.services.catalog import (EDITORS_ONLY, genre_get_or_create, movie_create, movie_delete,
                                          movie_editable_by, movie_update,
                                          review_create, review_delete, review_text_clean, review_update,
                                          reviews_rescore)
from apps.movies.services.posters import movie_poster_fetch

__all__ = [
    "EDITORS_ONLY", "genre_get_or_create", "movie_create", "movie_delete", "movie_editable_by", "movie_update",
    "movie_poster_fetch",
    "review_create", "review_delete", "review_text_clean", "review_update", "reviews_rescore",
]
