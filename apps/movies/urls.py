from django.urls import path

from apps.movies.views import catalog

app_name = "movies"
urlpatterns = [
    path("", catalog.movie_list, name="index"),
    path("new/", catalog.movie_create, name="create"),
    path("<int:pk>/", catalog.movie_detail, name="detail"),
    path("<int:pk>/edit/", catalog.movie_update, name="update"),
    path("<int:pk>/delete/", catalog.movie_delete, name="delete"),
    path("<int:pk>/review/", catalog.review_save, name="review_save"),
    path("reviews/<int:pk>/delete/", catalog.review_delete, name="review_delete"),
    path("reviews/import/", catalog.reviews_import, name="reviews_import"),
    path("people/<int:pk>/", catalog.person_reviews, name="person_reviews"),
]
