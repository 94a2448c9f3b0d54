"""The movie page's "Compose a scent": a moment of a catalog film (the user's words, the film's
genres and plot) becomes a private scene linked to the film, through the page and the API."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.scents.models import Scene
from tests.movies.factories import GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def movie(db):
    return MovieFactory(
        title="Frozen Station",
        plot="A stranger arrives at a research station lost in snow.",
        genres=[GenreFactory(name="Thriller"), GenreFactory(name="Science Fiction")],
    )


def test_the_movie_page_offers_to_compose_a_scent(client_user, movie):
    page = client_user.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert reverse("scents:movie_compose", args=[movie.pk]) in page and "Compose a scent" in page
    anonymous = Client().get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert "to compose a scent from a moment of this film" in anonymous
    assert reverse("scents:movie_compose", args=[movie.pk]) not in anonymous


def test_a_moment_of_a_film_becomes_a_private_scene_with_its_genres_and_plot(
    master, client_user, client, user, other_user, movie
):
    response = client_user.post(
        reverse("scents:movie_compose", args=[movie.pk]), {"text": "Breath freezes as the door opens on the blizzard"}
    )
    scene = Scene.objects.get()
    assert response.url == scene.recipes.get().get_absolute_url()
    assert (scene.owner, scene.movie, scene.is_private, scene.genre) == (user, movie, True, "science fiction")
    assert scene.title.startswith("Frozen Station: Breath freezes")
    assert "A science fiction, thriller film." in scene.description and movie.plot in scene.description
    page = client_user.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    assert response.url in page  # the film lists the user's scents from it
    client.force_login(other_user)
    assert response.url not in client.get(reverse("movies:detail", args=[movie.pk])).content.decode()


def test_nothing_to_go_on_or_too_long_is_refused_and_the_text_is_kept(master, client_user, movie):
    movie.plot = ""
    movie.save()
    response = client_user.post(reverse("scents:movie_compose", args=[movie.pk]), {"text": "  "})
    assert response.status_code == 400 and "no plot to start from" in response.content.decode()
    long_text = "snow " * 250
    response = client_user.post(reverse("scents:movie_compose", args=[movie.pk]), {"text": long_text})
    assert response.status_code == 400 and "at most 1000 characters" in response.content.decode()
    assert long_text.strip() in response.content.decode()
    assert not Scene.objects.exists()


def test_the_api_composes_from_a_film_for_a_logged_in_user(master, api_user, api_client, user, movie):
    assert api_client.post("/api/scents/compose/movie/", {"movie": movie.pk}, format="json").status_code in (401, 403)
    answer = api_user.post("/api/scents/compose/movie/", {"movie": movie.pk, "text": ""}, format="json")
    assert answer.status_code == 201, answer.content
    scene = Scene.objects.get()
    assert (answer.json()["scene"], scene.movie, scene.owner, scene.is_private) == (scene.pk, movie, user, True)
    bad = api_user.post("/api/scents/compose/movie/", {"movie": movie.pk, "text": "x" * 1001}, format="json")
    assert bad.status_code == 400 and "1000 characters" in bad.json()["detail"]
