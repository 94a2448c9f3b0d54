"""The read caches fail open: with Redis down, the cached pages and API answers are
built from the database, and writes still succeed (their version bumps are logged and lost)."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.core.cache import cache_bump, cached
from apps.movies.services import movie_create, movie_update

pytestmark = pytest.mark.django_db


def test_a_bump_makes_every_value_built_before_it_stale():
    names = ["test:a", "test:b"]
    value, before = cached("test", names, ("x",), lambda: "old")
    assert value == "old"
    assert cached("test", names, ("x",), lambda: "never built") == ("old", before)
    cache_bump("test:b")
    value, after = cached("test", names, ("x",), lambda: "new")
    assert value == "new" and after.tag != before.tag and after.modified >= before.modified
    assert cached("test", names, ("x",), lambda: "never built") == ("new", after)


def test_with_redis_down_the_cached_pages_answer_from_the_database_and_writes_succeed(user, redis_down):
    movie = movie_create(created_by=user, title="Outage Film")
    movie_update(movie=movie, user=user, title="Outage Film II")
    visitor = Client()
    for url in ("/movies/", reverse("movies:detail", args=[movie.pk]), "/scents/", "/scents/ingredients/"):
        response = visitor.get(url)
        assert response.status_code == 200, url
    assert "Outage Film II" in visitor.get("/movies/").content.decode()
    for url in (reverse("movies-api:movie_list"), reverse("movies-api:movie_detail", args=[movie.pk])):
        response = visitor.get(url)
        assert response.status_code == 200 and "Outage Film II" in response.content.decode()
        assert "ETag" not in response
