"""Visitors' whole pages from the read cache (apps/core/page_cache.py): a second read runs no query,
a write shows at once, and nothing a logged-in user, a token user or another format would see is
ever answered from it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.movies.services import movie_create, review_create
from apps.scents.services import ingredient_master_load

pytestmark = pytest.mark.django_db


def _read(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


@pytest.fixture
def movie(user):
    return movie_create(created_by=user, title="Visitor Film", genres=["Drama"])


def _urls(movie):
    return [
        "/movies/",
        reverse("movies:detail", args=[movie.pk]),
        reverse("movies-api:movie_list"),
        reverse("movies-api:movie_detail", args=[movie.pk]),
        reverse("scents:index"),
        reverse("scents:ingredient_list"),
    ]


def test_a_visitors_second_read_runs_no_query_and_is_the_same_page(movie):
    visitor = Client()
    for url in _urls(movie):
        first, built = _read(visitor, url)
        second, queries = _read(visitor, url)
        assert first.status_code == second.status_code == 200, url
        assert built > 0 and queries == 0, (url, built, queries)
        assert second.content == first.content, url
        assert second["Content-Type"] == first["Content-Type"]
        assert not second.cookies, url  # no CSRF or session cookie handed out


def test_a_new_review_shows_at_once_on_the_visitors_cached_pages(movie, user, sentiment_models):
    visitor, url = Client(), reverse("movies:detail", args=[movie.pk])
    _read(visitor, url)
    assert _read(visitor, url)[1] == 0
    review_create(movie=movie, author=user, text="A wonderful, moving film about rain.")
    page, queries = _read(visitor, url)
    assert queries > 0 and "A wonderful, moving film about rain." in page.content.decode()


def test_an_edited_ingredient_master_shows_at_once(movie):
    visitor, url = Client(), reverse("scents:ingredient_list")
    _read(visitor, url)
    assert _read(visitor, url)[1] == 0
    ingredient_master_load()  # the curated master reloaded
    assert _read(visitor, url)[1] > 0


def test_a_logged_in_user_never_gets_a_visitors_page(movie, client_user, user):
    url = reverse("movies:detail", args=[movie.pk])
    visitor = Client()
    _read(visitor, url)
    visitor_page = _read(visitor, url)[0].content.decode()
    assert 'name="csrfmiddlewaretoken"' not in visitor_page and "Log in" in visitor_page
    own, queries = _read(client_user, url)
    page = own.content.decode()
    assert queries > 0 and user.username in page and 'name="csrfmiddlewaretoken"' in page


def test_a_token_user_and_another_format_are_answered_afresh(movie, user):
    from rest_framework.authtoken.models import Token

    url = reverse("movies-api:movie_detail", args=[movie.pk])
    visitor = Client()
    _read(visitor, url)
    assert _read(visitor, url)[1] == 0
    token = Token.objects.create(user=user)
    assert _read(Client(), url, authorization=f"Token {token.key}")[1] > 0
    browsable, queries = _read(Client(), url, accept="text/html")
    assert queries > 0 and browsable["Content-Type"].startswith("text/html")


def test_a_conditional_read_of_a_cached_api_answer_is_a_304_without_a_query(movie):
    url = reverse("movies-api:movie_detail", args=[movie.pk])
    visitor = Client()
    first, _ = _read(visitor, url)
    etag = first["ETag"]
    _read(visitor, url)
    again, queries = _read(visitor, url, if_none_match=etag)
    assert again.status_code == 304 and queries == 0


def test_with_the_read_cache_off_every_read_is_built(movie, settings):
    settings.READ_CACHE = False
    visitor = Client()
    for url in _urls(movie):
        _read(visitor, url)
        assert _read(visitor, url)[1] > 0, url
