"""Curators' admin writes go through the same services as the pages and the API: a corrected review
text is scored again, a poster URL is fetched by the guarded poster job, a deleted movie takes its
poster file along, a genre name is checked against every spelling and shows at once, and a refused
change is a form error that writes nothing."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from apps.accounts.services import user_make_curator
from apps.core.models import Job
from apps.core.net import UNREACHABLE
from apps.movies.models import Genre, Movie, Review
from apps.movies.scoring import review_score
from apps.movies.services import genre_alias_add, genre_get_or_create
from apps.movies.services.vocabulary import genre_lookup
from tests.movies.factories import MovieFactory, ReviewFactory
from tests.movies.test_jobs_and_commands import poster_server  # noqa: F401 (fixture)

NEW_TEXT = "최악의 영화, 시간 낭비였다"
INLINE = {
    "reviews-TOTAL_FORMS": "0",
    "reviews-INITIAL_FORMS": "0",
    "reviews-MIN_NUM_FORMS": "0",
    "reviews-MAX_NUM_FORMS": "1000",
}


@pytest.fixture
def media(settings, tmp_path):
    """Storage in a fresh folder for this test (posters left in the shared one would rename later ones)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def curator_client(client, curator):
    client.force_login(user_make_curator(user=curator))
    return client


def _form(review: Review, text: str) -> dict:
    """The change form as posted (movie and author are shown read-only, so they are ignored)."""
    return {"movie": review.movie_id, "author": review.author_id, "text": text}


def _assert_scored_as(review: Review, text: str) -> None:
    expected = review_score([text])[0]
    review.refresh_from_db()
    assert review.text == text
    assert (review.sentiment, review.model_version) == (expected.label, expected.model_version)
    rating = None if expected.rating is None else Decimal(str(expected.rating)).quantize(Decimal("0.1"))
    assert review.ai_rating == rating


def test_a_curator_correcting_a_review_in_the_admin_gets_it_scored_again(sentiment_models, curator_client):
    review = ReviewFactory(text="A fine film.")  # unscored, as an old row
    response = curator_client.post(reverse("admin:movies_review_change", args=[review.pk]), _form(review, NEW_TEXT))
    assert response.status_code == 302
    _assert_scored_as(review, NEW_TEXT)


def test_a_review_text_corrected_in_the_movie_inline_is_scored_again(sentiment_models, curator_client):
    review = ReviewFactory(text="A fine film.")
    movie = review.movie
    response = curator_client.post(
        reverse("admin:movies_movie_change", args=[movie.pk]),
        {
            "title": movie.title,
            "plot": movie.plot,
            **INLINE,
            "reviews-TOTAL_FORMS": "1",
            "reviews-INITIAL_FORMS": "1",
            "reviews-0-id": review.pk,
            "reviews-0-movie": movie.pk,
            "reviews-0-text": NEW_TEXT,
        },
    )
    assert response.status_code == 302
    _assert_scored_as(review, NEW_TEXT)


def test_a_word_less_text_in_the_movie_inline_is_an_error_on_its_row_and_nothing_changes(
    sentiment_models, curator_client
):
    review = ReviewFactory(text="A fine film.")
    movie = review.movie
    response = curator_client.post(
        reverse("admin:movies_movie_change", args=[movie.pk]),
        {
            "title": "Renamed",
            **INLINE,
            "reviews-TOTAL_FORMS": "1",
            "reviews-INITIAL_FORMS": "1",
            "reviews-0-id": review.pk,
            "reviews-0-movie": movie.pk,
            "reviews-0-text": "😀 !!",
        },
    )
    assert response.status_code == 200
    assert "has no words" in " ".join(response.context["inline_admin_formsets"][0].formset.forms[0].errors["text"])
    review.refresh_from_db()
    movie.refresh_from_db()
    assert review.text == "A fine film." and movie.title != "Renamed"


def test_a_review_added_in_the_admin_is_scored(sentiment_models, curator_client, user):
    movie = MovieFactory()
    response = curator_client.post(
        reverse("admin:movies_review_add"), {"movie": movie.pk, "author": user.pk, "text": NEW_TEXT}
    )
    assert response.status_code == 302
    _assert_scored_as(Review.objects.get(movie=movie, author=user), NEW_TEXT)


def test_a_word_less_review_text_is_a_form_error_in_the_admin_and_nothing_changes(sentiment_models, curator_client):
    review = ReviewFactory(text="A fine film.")
    response = curator_client.post(reverse("admin:movies_review_change", args=[review.pk]), _form(review, "😀 !!"))
    assert response.status_code == 200
    assert "has no words" in " ".join(response.context["adminform"].form.errors["text"])
    review.refresh_from_db()
    assert review.text == "A fine film."


@pytest.mark.django_db(transaction=True)
def test_a_poster_url_given_in_the_admin_is_fetched_by_the_poster_job(
    settings,
    poster_server,
    curator_client,
    run_jobs,
    media,
):
    settings.NET_ALLOW_LOOPBACK = True
    movie = MovieFactory()
    response = curator_client.post(
        reverse("admin:movies_movie_change", args=[movie.pk]),
        {"title": movie.title, "poster_url": f"{poster_server}/poster.png", **INLINE},
    )
    assert response.status_code == 302
    run_jobs()
    job = Job.objects.get(kind="movies.poster_fetch")
    assert job.status == "succeeded", job.error + job.traceback
    movie.refresh_from_db()
    with default_storage.open(movie.poster.name) as stored:
        assert Image.open(stored).size == (20, 30)  # the image the server sent


@pytest.mark.django_db(transaction=True)
def test_a_private_poster_address_given_in_the_admin_is_refused_by_the_guard(
    settings,
    poster_server,
    curator_client,
    run_jobs,
):
    settings.NET_ALLOW_LOOPBACK = False
    response = curator_client.post(
        reverse("admin:movies_movie_add"),
        {"title": "SSRF from the admin", "poster_url": f"{poster_server}/poster.png", **INLINE},
    )
    assert response.status_code == 302
    run_jobs()
    job = Job.objects.get(kind="movies.poster_fetch")
    assert job.status == "failed" and job.error == UNREACHABLE
    assert not Movie.objects.get(title="SSRF from the admin").poster


@pytest.mark.django_db(transaction=True)
def test_a_movie_deleted_in_the_admin_takes_its_poster_file_along(curator_client, media):
    movie = MovieFactory()
    movie.poster.save(f"movie-{movie.pk}.png", ContentFile(b"stored poster"))
    name = movie.poster.name
    response = curator_client.post(reverse("admin:movies_movie_delete", args=[movie.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Movie.objects.filter(pk=movie.pk).exists()
    assert not default_storage.exists(name)


ALIASES = {
    "aliases-TOTAL_FORMS": "0",
    "aliases-INITIAL_FORMS": "0",
    "aliases-MIN_NUM_FORMS": "0",
    "aliases-MAX_NUM_FORMS": "1000",
}


def test_a_genre_added_in_the_admin_in_other_letters_than_an_existing_one_is_refused(curator_client):
    genre_get_or_create(name="Drama")
    response = curator_client.post(reverse("admin:movies_genre_add"), {"name": "drama", "slug": "drama-2", **ALIASES})
    assert response.status_code == 200
    assert "already the genre Drama" in " ".join(response.context["adminform"].form.errors["name"])
    assert list(Genre.objects.values_list("name", flat=True)) == ["Drama"]


def test_a_genre_added_in_the_admin_under_another_spelling_gets_the_catalogs_name_and_aliases(curator_client):
    response = curator_client.post(reverse("admin:movies_genre_add"), {"name": "Sci-Fi", "slug": "sci-fi", **ALIASES})
    assert response.status_code == 302
    genre = Genre.objects.get()
    assert genre.name == "Science Fiction" and "Sci-Fi" in genre.aliases.values_list("name", flat=True)
    assert genre_get_or_create(name="science-fiction") == genre


def test_aliases_are_added_respelled_and_removed_in_the_admin_through_the_vocabulary(curator_client):
    genre = genre_get_or_create(name="Film-Noir")
    alias = genre_alias_add(genre=genre, name="Noir")
    url = reverse("admin:movies_genre_change", args=[genre.pk])
    form = {"name": genre.name, "slug": genre.slug, **ALIASES, "aliases-INITIAL_FORMS": "1", "aliases-0-id": alias.pk}
    form |= {"aliases-0-genre": genre.pk, "aliases-0-name": "Neo-noir", "aliases-TOTAL_FORMS": "2"}
    response = curator_client.post(url, {**form, "aliases-1-genre": genre.pk, "aliases-1-name": "  Film   Noir "})
    assert response.status_code == 302
    assert genre_lookup("neo-noir") == genre_lookup("film noir") == genre and genre_lookup("Noir") is None
    response = curator_client.post(url, {**form, "aliases-0-DELETE": "on", "aliases-TOTAL_FORMS": "1"})
    assert response.status_code == 302 and genre_lookup("Neo-noir") is None
