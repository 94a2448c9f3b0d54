"""Read caches of the catalog, the movie page and the movie API: each page is read from
the cache the second time (fewer queries, none for the catalog), and every write that changes
what it shows makes the next read fresh at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.services import user_make_curator
from apps.movies.cache import catalog_changed
from apps.movies.models import Review
from apps.genres.models import GenreSuggestion
from apps.movies.services import genre_merge, movie_create, review_create, reviews_rescore
from apps.genres.services.suggestions import genre_suggestion_accept
from apps.movies.services.posters import movie_poster_fetch
from tests.movies.factories import GenreFactory, ReviewFactory
from tests.movies.test_jobs_and_commands import poster_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
INLINE = {"reviews-TOTAL_FORMS": "0", "reviews-INITIAL_FORMS": "0"}


def _read(client, url, status=200, **headers):
    """GET ``url``; the response and the number of database queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    assert response.status_code == status, response.content[:500]
    return response, len(queries)


def _page(client, url) -> str:
    return _read(client, url)[0].content.decode()


def _cached(client, url, *, whole=False) -> str:
    """Read ``url`` twice: the second read must come from the cache (fewer queries; none at all
    when the ``whole`` page is shared, as a visitor's catalog is); returns the page."""
    _, miss = _read(client, url)
    response, hit = _read(client, url)
    assert hit < miss, f"{url}: {hit} queries on the second read, {miss} on the first"
    assert hit == 0 or not whole
    return response.content.decode()


@pytest.fixture
def anon():
    return Client()


@pytest.fixture
def curator_client(curator):
    client = Client()
    client.force_login(user_make_curator(user=curator))
    return client


@pytest.fixture
def movie(user):
    return movie_create(created_by=user, title="Cached Film", genres=["Drama"])


def test_the_catalog_is_served_from_the_cache_and_a_new_review_shows_at_once(
    anon, client_user, movie, sentiment_models
):
    page = _cached(anon, "/movies/", whole=True)
    assert "no reviews yet" in page and '<div class="cards movie-cards">' in page  # the fragment, not escaped
    response = client_user.post(reverse("movies:review_save", args=[movie.pk]), {"text": "A wonderful, moving film."})
    assert response.status_code == 302
    assert "1 review" in _cached(anon, "/movies/", whole=True)


def test_a_review_edited_deleted_or_rescored_shows_at_once_on_the_movie_page(
    anon, client_user, user, movie, sentiment_models
):
    url = reverse("movies:detail", args=[movie.pk])
    client_user.post(reverse("movies:review_save", args=[movie.pk]), {"text": "First words about it."})
    assert "First words about it." in _cached(anon, url)
    client_user.post(reverse("movies:review_save", args=[movie.pk]), {"text": "Second thoughts: superb."})
    page = _cached(anon, url)
    assert "Second thoughts: superb." in page and "First words" not in page
    review = Review.objects.get(movie=movie)
    client_user.post(reverse("movies:review_delete", args=[review.pk]))
    assert "No reviews yet" in _cached(anon, url)

    unscored = ReviewFactory(movie=movie, text="Truly a great and lovely film.")
    catalog_changed(movie.pk)  # the factory writes past the services
    assert "not scored yet" in _cached(anon, url)
    reviews_rescore(reviews=[unscored])
    assert "not scored yet" not in _cached(anon, url)


def test_an_edited_movie_shows_at_once_on_its_page_the_catalog_and_the_api(anon, api_client, client_user, movie):
    urls = [
        reverse("movies:detail", args=[movie.pk]),
        "/movies/",
        reverse("movies-api:movie_detail", args=[movie.pk]),
        reverse("movies-api:movie_list"),
    ]
    for url in urls:
        assert "Cached Film" in _cached(api_client if "/api/" in url else anon, url)
    response = client_user.post(reverse("movies:update", args=[movie.pk]), {"title": "Renamed Film", "genres": []})
    assert response.status_code == 302, response.content.decode()[:2000]
    for url in urls:
        page = _cached(api_client if "/api/" in url else anon, url)
        assert "Renamed Film" in page and "Cached Film" not in page


def test_a_movie_edited_in_the_admin_shows_at_once(anon, curator_client, movie):
    url = reverse("movies:detail", args=[movie.pk])
    assert "Cached Film" in _cached(anon, url)
    response = curator_client.post(
        reverse("admin:movies_movie_change", args=[movie.pk]), {"title": "Admin Title", **INLINE}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "Admin Title" in _cached(anon, url)


def test_a_genre_renamed_in_the_admin_shows_at_once_on_its_movies(anon, curator_client, movie):
    url, drama = reverse("movies:detail", args=[movie.pk]), movie.genres.get()
    assert "Drama" in _cached(anon, url)
    response = curator_client.post(
        reverse("admin:movies_genre_change", args=[drama.pk]),
        {"name": "Melodrama", "slug": "melodrama", "aliases-TOTAL_FORMS": "0", "aliases-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert "Melodrama" in _cached(anon, url) and "Melodrama" in _cached(anon, "/movies/", whole=True)


def test_an_accepted_genre_shows_at_once(anon, curator, movie):
    url = reverse("movies:detail", args=[movie.pk])
    assert "Thriller" not in _cached(anon, url)
    suggestion = GenreSuggestion.objects.create(movie=movie, genre_name="Thriller", score=0.9, model_version="t")
    genre_suggestion_accept(suggestion=suggestion, user=curator)
    assert "Thriller" in _cached(anon, url)
    assert "Thriller" in _cached(anon, "/movies/", whole=True)


def test_a_merged_genre_shows_its_new_name_on_every_movie_at_once(anon, user):
    scifi, science = GenreFactory(name="Sci-Fi"), GenreFactory(name="Science Fiction")
    lonely = movie_create(created_by=user, title="Lonely", genres=[])
    lonely.genres.set([scifi])  # a genre the vocabulary would not create any more
    for title in ("One", "Two"):
        movie_create(created_by=user, title=title, genres=["Science Fiction"])
    url = reverse("movies:detail", args=[lonely.pk])
    assert "Sci-Fi" in _cached(anon, url)
    genre_merge(genres=[scifi, science])
    page = _cached(anon, url)
    assert "Science Fiction" in page and ">Sci-Fi<" not in page


@pytest.mark.django_db(transaction=True)
def test_a_fetched_poster_shows_at_once(anon, settings, poster_server, user):
    settings.NET_ALLOW_LOOPBACK = True
    movie = movie_create(created_by=user, title="Poster Film")
    url = reverse("movies:detail", args=[movie.pk])
    assert "poster-placeholder" in _cached(anon, url)
    movie_poster_fetch(movie=movie, url=poster_server + "/poster.png")
    page = _cached(anon, url)
    assert "poster-placeholder" not in page and f'src="/media/movies/posters/movie-{movie.pk}' in page


def test_the_shared_part_never_carries_another_users_controls(anon, client_user, other_user, movie, sentiment_models):
    url = reverse("movies:detail", args=[movie.pk])
    review = review_create(movie=movie, author=other_user, text="Bob liked it a lot.", user_rating=8)
    delete = reverse("movies:review_delete", args=[review.pk])
    alice = _cached(client_user, url)
    assert "Their rating 8/10" in alice and delete not in alice
    anon.force_login(other_user)
    bob = _page(anon, url)
    assert "Your rating 8/10" in bob and delete in bob


def test_the_api_answers_304_while_the_copy_is_current_and_200_after_a_review(
    api_client, api_user, movie, sentiment_models
):
    urls, etags = (reverse("movies-api:movie_detail", args=[movie.pk]), reverse("movies-api:movie_list")), {}
    for url in urls:
        first, _ = _read(api_client, url)
        etags[url], modified = first["ETag"], first["Last-Modified"]
        assert first["Cache-Control"] == "no-cache"
        assert _read(api_client, url, status=304, **{"If-None-Match": etags[url]})[0]["ETag"] == etags[url]
        _read(api_client, url, status=304, **{"If-Modified-Since": modified})
    review = api_user.post(reverse("movies-api:movie_reviews", args=[movie.pk]), {"text": "Brilliant and warm."})
    assert review.status_code == 201
    for url in urls:
        response, _ = _read(api_client, url, **{"If-None-Match": etags[url]})
        body = response.json()
        assert (body if "results" not in body else body["results"][0])["review_count"] == 1
        assert response["ETag"] != etags[url]


def test_with_the_cache_off_every_read_is_built_afresh(anon, api_client, settings, movie):
    settings.READ_CACHE = False
    _, first = _read(anon, "/movies/")
    _, second = _read(anon, "/movies/")
    assert first == second > 0
    assert "ETag" not in _read(api_client, reverse("movies-api:movie_detail", args=[movie.pk]))[0]
