"""One genre list: the suggestion vocabulary (IMDb "Sci-Fi") and the catalog's (TMDB
"Science Fiction") land on one genre through aliases, in the accept path, the catalog filter, the
API, the admin and a data migration that merges the duplicates already made."""

import pytest
from django.urls import reverse

from apps.core.errors import ApplicationError
from apps.movies.models import Genre, Movie
from apps.genres.models import GenreSuggestion
from apps.movies.services import genre_get_or_create, movie_create
from apps.genres.services.suggestions import genre_suggestion_accept
from tests.movies.factories import GenreFactory, MovieFactory
from tests.migrating import migrate

pytestmark = pytest.mark.django_db


def _suggestion(movie, name):
    return GenreSuggestion.objects.create(
        movie=movie, genre_name=name, score=0.8, above_threshold=True, model_version="genres-test-1"
    )


def test_accepting_the_suggestion_sci_fi_adds_science_fiction_and_no_second_genre(client, curator):
    science_fiction = genre_get_or_create(name="Science Fiction")
    MovieFactory(genres=[science_fiction])
    movie = MovieFactory()
    suggestion = _suggestion(movie, "Sci-Fi")
    client.force_login(curator)
    client.post(reverse("genres:suggestion_decide", args=[suggestion.pk, "accept"]))
    assert list(movie.genres.values_list("name", flat=True)) == ["Science Fiction"]
    assert list(Genre.objects.values_list("name", flat=True)) == ["Science Fiction"]
    suggestion.refresh_from_db()
    assert suggestion.status == "accepted" and suggestion.genre == science_fiction


def test_a_suggestion_spelled_by_the_other_vocabulary_creates_the_catalog_spelling(curator):
    movie = MovieFactory()
    genre_suggestion_accept(suggestion=_suggestion(movie, "sci-fi"), user=curator)
    genre = movie.genres.get()
    assert genre.name == "Science Fiction" and "Sci-Fi" in genre.aliases.values_list("name", flat=True)
    assert genre_get_or_create(name="Sci-Fi") == genre == genre_get_or_create(name="science fiction")


def test_the_catalog_filter_and_the_api_speak_the_one_list(client, api_client, api_user):
    created = api_user.post(
        reverse("movies-api:movie_list"), {"title": "Arrival", "genres": ["Sci-Fi", "Drama"]}, format="json"
    )
    assert sorted(created.data["genres"]) == ["Drama", "Science Fiction"]
    MovieFactory(title="Paddington")
    for spelling in ("science-fiction", "Sci-Fi", "sci-fi", "Science Fiction"):
        page = client.get(reverse("movies:index"), {"genre": spelling}).content.decode()
        assert "Arrival" in page and "Paddington" not in page, spelling
        assert api_client.get(reverse("movies-api:movie_list"), {"genre": spelling}).data["count"] == 1
    genres = {g["name"]: g for g in api_client.get(reverse("movies-api:genre_list")).data["results"]}
    assert set(genres) == {"Drama", "Science Fiction"} and "Sci-Fi" in genres["Science Fiction"]["aliases"]
    assert genres["Science Fiction"]["movie_count"] == 1


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def test_the_admin_finds_a_genre_by_alias_refuses_an_alias_that_is_a_genre_and_merges(admin_client):
    science_fiction = genre_get_or_create(name="Science Fiction")
    found = admin_client.get(reverse("admin:movies_genre_changelist"), {"q": "Sci-Fi"}).content.decode()
    assert "Science Fiction" in found
    drama, dramas = GenreFactory(name="Drama"), GenreFactory(name="Dramas", slug="dramas")
    form = {
        "name": "Science Fiction",
        "slug": science_fiction.slug,
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "0",
        "aliases-0-name": "drama",
    }
    refused = admin_client.post(reverse("admin:movies_genre_change", args=[science_fiction.pk]), form)
    assert refused.status_code == 200 and "already the name of a genre" in refused.content.decode()
    assert not science_fiction.aliases.filter(name__iexact="drama").exists()

    a, b = MovieFactory(genres=[drama]), MovieFactory(genres=[dramas])
    MovieFactory(genres=[drama])
    done = admin_client.post(
        reverse("admin:movies_genre_changelist"),
        {"action": "genres_merge", "_selected_action": [drama.pk, dramas.pk]},
        follow=True,
    )
    assert "merged into Drama" in done.content.decode()
    assert not Genre.objects.filter(pk=dramas.pk).exists()
    assert list(b.genres.all()) == [drama] and list(a.genres.all()) == [drama]
    assert drama.aliases.filter(name="Dramas").exists()


def test_an_alias_cannot_point_at_two_genres_or_shadow_a_name():
    science_fiction = genre_get_or_create(name="Science Fiction")
    other = genre_get_or_create(name="Speculative")
    from apps.movies.services.vocabulary import genre_alias_add

    with pytest.raises(ApplicationError, match="already an alias of Science Fiction"):
        genre_alias_add(genre=other, name="SCI-FI")
    with pytest.raises(ApplicationError, match="already the name of a genre"):
        genre_alias_add(genre=science_fiction, name="speculative")
    assert movie_create(created_by=None, title="Dune", genres=["Sci Fi"]).genres.get() == science_fiction


# --- the data migration that merges the duplicates made before ---------------------------------

BEFORE = [("movies", "0005_review_no_opinion")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_duplicate_genres_and_movies_keep_their_genres(curator):
    old = migrate(BEFORE)
    try:
        OldGenre, OldMovie = old.get_model("movies", "Genre"), old.get_model("movies", "Movie")
        OldSuggestion = old.get_model("movies", "GenreSuggestion")
        science_fiction = OldGenre.objects.create(name="Science Fiction", slug="science-fiction")
        sci_fi = OldGenre.objects.create(name="Sci-Fi", slug="sci-fi")
        drama, drama_lower = (
            OldGenre.objects.create(name="Drama", slug="drama"),
            OldGenre.objects.create(name="drama", slug="drama-2"),
        )
        avatar, arrival, heat = (OldMovie.objects.create(title=t) for t in ("Avatar", "Arrival", "Heat"))
        avatar.genres.set([science_fiction, sci_fi])
        arrival.genres.set([sci_fi, drama_lower])
        heat.genres.set([drama])
        accepted = OldSuggestion.objects.create(
            movie=arrival, genre_name="Sci-Fi", genre=sci_fi, score=0.9, status="accepted", model_version="v1"
        )
        pending = OldSuggestion.objects.create(movie=heat, genre_name="Sci-Fi", score=0.4, model_version="v1")
    finally:
        migrate()
    assert sorted(Genre.objects.values_list("name", flat=True)) == ["Drama", "Science Fiction"]
    kept = Genre.objects.get(name="Science Fiction")
    assert kept.pk == science_fiction.pk
    assert {"Sci-Fi", "Sci Fi", "SciFi"} <= set(kept.aliases.values_list("name", flat=True))
    genres = {m.title: sorted(m.genres.values_list("name", flat=True)) for m in Movie.objects.all()}
    assert genres == {"Avatar": ["Science Fiction"], "Arrival": ["Drama", "Science Fiction"], "Heat": ["Drama"]}
    accepted, pending = GenreSuggestion.objects.get(pk=accepted.pk), GenreSuggestion.objects.get(pk=pending.pk)
    assert accepted.genre == kept and accepted.genre_name == pending.genre_name == "Science Fiction"
