"""Genres is an app built on movies: it depends on movies, never the reverse (grimp's graph of the
source, imports inside functions included); catalog writes still carry its rows along, and the movie
page shows its panel only while it is installed."""

import grimp
import pytest
from django.test import modify_settings
from django.urls import reverse

from apps.genres.models import GenreSuggestion
from apps.movies.services import genre_get_or_create, genre_merge
from tests.movies.factories import MovieFactory


def test_movies_imports_nothing_from_genres():
    graph = grimp.build_graph("apps", cache_dir=None)
    assert graph.find_shortest_chains(importer="apps.movies", imported="apps.genres", as_packages=True) == set()
    assert graph.chain_exists(importer="apps.genres", imported="apps.movies", as_packages=True)


@pytest.mark.django_db
def test_merging_genres_in_the_catalog_moves_the_suggestions_that_point_at_them(curator):
    """The catalog merges genres without knowing this app: its rows follow the genre kept."""
    movie = MovieFactory(title="Heat")
    crime, crimes = genre_get_or_create(name="Crime"), genre_get_or_create(name="Crimes")
    movie.genres.add(crime)
    suggestion = GenreSuggestion.objects.create(
        movie=movie, genre_name="Crimes", genre=crimes, score=0.6, model_version="v1"
    )
    kept = genre_merge(genres=[crime, crimes])
    assert kept == crime and GenreSuggestion.objects.get(pk=suggestion.pk).genre == crime


@pytest.mark.django_db
def test_the_movie_page_shows_the_genre_panel_only_while_the_genres_app_is_installed(client_user):
    movie = MovieFactory(title="Alien")
    assert 'id="genre-panel"' in client_user.get(reverse("movies:detail", args=[movie.pk])).content.decode()
    with modify_settings(INSTALLED_APPS={"remove": ["apps.genres"]}):
        page = client_user.get(reverse("movies:detail", args=[movie.pk]))
    assert page.status_code == 200 and "Alien" in page.content.decode()
    assert 'id="genre-panel"' not in page.content.decode() and "Genre research" not in page.content.decode()
