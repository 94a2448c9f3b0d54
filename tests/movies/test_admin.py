"""Admin for curators: list pages with filters and search, and the re-score action."""

import pytest
from django.urls import reverse

from apps.core.models import Job
from apps.movies.models import Review
from tests.movies.factories import MovieFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    return client


def test_admin_lists_filter_and_search(admin_client):
    review = ReviewFactory(text="unforgettable ending")
    for name in ("movie", "genre", "review"):
        assert admin_client.get(reverse(f"admin:movies_{name}_changelist")).status_code == 200
    found = admin_client.get(reverse("admin:movies_review_changelist"), {"q": "unforgettable", "sentiment": ""})
    assert "unforgettable" in found.content.decode()
    assert admin_client.get(reverse("admin:movies_movie_change", args=[review.movie.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_the_rescore_action_queues_an_ml_job(admin_client):
    reviews = [ReviewFactory(movie=MovieFactory()) for _ in range(2)]
    response = admin_client.post(
        reverse("admin:movies_review_changelist"), {"action": "rescore", "_selected_action": [r.pk for r in reviews]}
    )
    assert response.status_code == 302
    job = Job.objects.get(kind="movies.reviews_rescore")
    assert job.queue == "ml" and sorted(job.params["review_ids"]) == sorted(r.pk for r in reviews)


def test_the_scored_by_filter_finds_reviews_an_older_model_scored(admin_client, review_models, django_user_model):
    from apps.movies.services import review_create

    author = django_user_model.objects.create_user("dana", password="pw")
    review_create(movie=MovieFactory(), author=author, text="current verdict: loved it")
    old = review_create(movie=MovieFactory(), author=author, text="older verdict: hated it")
    Review.objects.filter(pk=old.pk).update(model_version="en-20200101000000")
    ReviewFactory(text="never scored at all")
    url = reverse("admin:movies_review_changelist")
    pages = {
        value: admin_client.get(url, {"scored_by": value}).content.decode() for value in ("deployed", "older", "never")
    }
    assert "current verdict" in pages["deployed"] and "older verdict" not in pages["deployed"]
    assert "older verdict" in pages["older"] and "current verdict" not in pages["older"]
    assert "never scored" in pages["never"] and "never scored" not in pages["older"]
    assert "never scored" not in pages["deployed"]
