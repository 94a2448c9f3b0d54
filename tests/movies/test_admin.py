"""Admin for curators: list pages with filters and search, and the re-score action."""

import pytest
from django.urls import reverse

from apps.core.models import Job
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
