from apps.movies.selectors.catalog import (SORTS, genre_list, movie_get, movie_list, movie_rating_summary,
                                           movie_years, review_get, review_list, review_of)

__all__ = ["SORTS", "genre_list", "movie_get", "movie_list", "movie_rating_summary", "movie_years",
           "review_get", "review_list", "review_of"]
