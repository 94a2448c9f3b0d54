"""The genre jobs' rows in the admin: curators look and decide through the actions (their services),
never add or edit a row by hand."""

import pytest
from django.urls import reverse

from apps.accounts.services import user_make_curator
from apps.genres.models import GenreSuggestion
from tests.movies.factories import MovieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator_client(client, curator):
    client.force_login(user_make_curator(user=curator))
    return client


def test_a_suggestion_is_decided_by_the_admin_actions_never_by_editing_it(curator_client):
    movie = MovieFactory()
    suggestion = GenreSuggestion.objects.create(movie=movie, genre_name="Thriller", score=0.9, model_version="t")
    form = {"movie": movie.pk, "genre_name": "Thriller", "score": "0.9", "model_version": "t", "status": "accepted"}
    response = curator_client.post(reverse("admin:genres_genresuggestion_change", args=[suggestion.pk]), form)
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "pending" and not movie.genres.exists()
    changelist = reverse("admin:genres_genresuggestion_changelist")
    curator_client.post(changelist, {"action": "accept_suggestions", "_selected_action": [suggestion.pk]})
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted" and [g.name for g in movie.genres.all()] == ["Thriller"]


def test_experiments_are_started_from_the_research_page_not_added_in_the_admin(curator_client):
    assert curator_client.get(reverse("admin:genres_experiment_changelist")).status_code == 200
    response = curator_client.post(reverse("admin:genres_experiment_add"), {"name": "by hand"})
    assert response.status_code == 403
