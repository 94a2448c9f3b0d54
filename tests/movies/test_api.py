"""REST API under /api/movies/."""

import pytest
from django.urls import reverse

from apps.movies.models import Movie, Review
from apps.movies.services import review_create
from tests.movies.factories import MovieFactory

pytestmark = pytest.mark.django_db


def test_list_filter_and_create_movies(api_client, api_user, user):
    MovieFactory(title="Memories of Murder")
    response = api_user.post(
        reverse("movies-api:movie_list"),
        {"title": "The Host", "genres": ["Horror", "Drama"], "runtime_minutes": 120},
        format="json",
    )
    assert response.status_code == 201 and sorted(response.data["genres"]) == ["Drama", "Horror"]
    listed = api_client.get(reverse("movies-api:movie_list"), {"q": "host"}).data
    assert listed["count"] == 1 and listed["results"][0]["title"] == "The Host"
    assert api_client.get(reverse("movies-api:movie_list"), {"genre": "horror"}).data["count"] == 1
    bad = api_client.get(reverse("movies-api:movie_list"), {"year": "nineteen"})
    assert bad.status_code == 400 and bad.data["error"] == "invalid_filter"


def test_anonymous_users_cannot_write_and_unknown_fields_are_named(api_client, api_user):
    assert api_client.post(reverse("movies-api:movie_list"), {"title": "x"}, format="json").status_code in (401, 403)
    response = api_user.post(reverse("movies-api:movie_list"), {"title": "x", "rating": 5}, format="json")
    assert response.status_code == 400 and "rating" in str(response.data["detail"])


def test_get_update_delete_one_movie(api_user, api_client, user, other_user):
    movie = MovieFactory(created_by=user)
    url = reverse("movies-api:movie_detail", args=[movie.pk])
    assert api_client.get(url).data["title"] == movie.title
    assert api_user.patch(url, {"director": "Bong Joon-ho"}, format="json").data["director"] == "Bong Joon-ho"
    theirs = MovieFactory(created_by=other_user)
    refused = api_user.patch(reverse("movies-api:movie_detail", args=[theirs.pk]), {"title": "x"}, format="json")
    assert refused.status_code == 403 and refused.data["error"] == "forbidden"
    assert api_user.delete(url).status_code == 204 and not Movie.objects.filter(pk=movie.pk).exists()
    assert api_client.get(url).status_code == 404


def test_create_a_review_returns_the_ai_result(api_user, sentiment_models):
    movie = MovieFactory()
    response = api_user.post(
        reverse("movies-api:movie_reviews", args=[movie.pk]), {"text": "연기가 정말 좋았다 추천"}, format="json"
    )
    assert response.status_code == 201
    body = response.data
    assert body["label"] in ("positive", "negative") and body["language"] == "ko"
    assert 0 <= body["p_positive"] <= 1 and 0 <= body["rating"] <= 10 and body["model_version"].startswith("ko-")


@pytest.mark.parametrize(
    "text, status, code",
    [
        ("", 400, "review_empty"),
        ("a" * 10000, 400, "review_too_long"),
        ("🎬🎬", 400, "review_no_words"),
    ],
)
def test_bad_reviews_get_clear_errors(api_user, sentiment_models, text, status, code):
    movie = MovieFactory()
    response = api_user.post(reverse("movies-api:movie_reviews", args=[movie.pk]), {"text": text}, format="json")
    assert response.status_code == status and response.data["error"] == code and response.data["detail"]


def test_duplicate_review_and_missing_movie(api_user, sentiment_models):
    movie = MovieFactory()
    url = reverse("movies-api:movie_reviews", args=[movie.pk])
    assert api_user.post(url, {"text": "Great"}, format="json").status_code == 201
    again = api_user.post(url, {"text": "Great again"}, format="json")
    assert again.status_code == 409 and again.data["error"] == "review_duplicate"
    missing = api_user.post(reverse("movies-api:movie_reviews", args=[999999]), {"text": "Great"}, format="json")
    assert missing.status_code == 404 and missing.data["error"] == "movie_not_found"
    assert Review.objects.count() == 1


def test_list_reviews_rating_summary_and_delete_review(api_client, api_user, user, other_user, sentiment_models):
    movie = MovieFactory()
    mine = review_create(movie=movie, author=user, text="Wonderful film")
    review_create(movie=movie, author=other_user, text="Dreadful film")
    listed = api_client.get(reverse("movies-api:movie_reviews", args=[movie.pk])).data
    assert listed["count"] == 2
    rating = api_client.get(reverse("movies-api:movie_rating", args=[movie.pk])).data
    assert rating["count"] == 2 and len(rating["distribution"]) == 11 and 0 <= rating["average"] <= 10
    detail = api_client.get(reverse("movies-api:movie_detail", args=[movie.pk])).data
    assert detail["review_count"] == 2 and detail["average_rating"] == rating["average"]
    assert api_user.delete(reverse("movies-api:review_detail", args=[mine.pk])).status_code == 204
    theirs = Review.objects.get()
    assert api_user.delete(reverse("movies-api:review_detail", args=[theirs.pk])).status_code == 403


def test_score_texts_without_saving(api_user, sentiment_models):
    response = api_user.post(reverse("movies-api:sentiment"), {"texts": ["좋아요 최고", "", "Awful"]}, format="json")
    results = response.data["results"]
    assert [r["index"] for r in results] == [0, 1, 2]
    assert "error" in results[1] and results[0]["language"] == "ko" and results[2]["language"] == "en"


def test_the_openapi_schema_documents_the_movies_api(api_client):
    schema = api_client.get("/api/schema/").content.decode()
    assert "/api/movies/movies/{id}/reviews/" in schema


@pytest.mark.django_db(transaction=True)
def test_curators_queue_a_rescore_of_listed_all_or_stale_reviews_and_others_cannot(api_client, api_user, curator):
    from rest_framework.test import APIClient

    from apps.core.models import Job

    url = reverse("movies-api:review_rescore")
    assert api_client.post(url, {"stale": True}, format="json").status_code in (401, 403)
    assert api_user.post(url, {"stale": True}, format="json").status_code == 403
    client = APIClient()
    client.force_authenticate(curator)
    for body in ({}, {"all": True, "stale": True}, {"review_ids": [1], "all": True}):
        response = client.post(url, body, format="json")
        assert response.status_code == 400, body
        assert "Give one of review_ids, all=true or stale=true." in response.content.decode()
    assert not Job.objects.exists()  # a refused request queues nothing
    response = client.post(url, {"stale": True}, format="json")
    assert response.status_code == 202
    job = Job.objects.get(pk=response.data["id"])
    assert job.kind == "movies.reviews_rescore" and job.params["stale"] is True and job.user == curator
