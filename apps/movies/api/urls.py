from django.urls import path

from apps.movies.api import views

app_name = "movies-api"
urlpatterns = [
    path("movies/", views.MovieListCreateApi.as_view(), name="movie_list"),
    path("movies/<int:pk>/", views.MovieDetailApi.as_view(), name="movie_detail"),
    path("movies/<int:pk>/rating/", views.MovieRatingApi.as_view(), name="movie_rating"),
    path("movies/<int:pk>/reviews/", views.MovieReviewListCreateApi.as_view(), name="movie_reviews"),
    path("reviews/", views.ReviewListApi.as_view(), name="review_list"),
    path("reviews/<int:pk>/", views.ReviewDetailApi.as_view(), name="review_detail"),
    path("reviews/rescore/", views.ReviewRescoreApi.as_view(), name="review_rescore"),
    path("genres/", views.GenreListApi.as_view(), name="genre_list"),
    path("sentiment/", views.SentimentScoreApi.as_view(), name="sentiment"),
]
