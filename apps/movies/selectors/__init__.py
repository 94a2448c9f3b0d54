from apps.movies.selectors.catalog import (REVIEW_SORTS, SORTS, genre_find, genre_list, movie_agreement, movie_get,
                                           movie_list, movie_rating_summary, movie_years, review_get, review_list,
                                           review_of, reviewer_get)

__all__ = ["REVIEW_SORTS", "SORTS", "genre_find", "genre_list", "movie_agreement", "movie_get", "movie_list",
           "movie_rating_summary", "movie_years", "review_get", "review_list", "review_of", "reviewer_get"]
