"""The demo catalog: real years, runtimes, taglines and TMDB figures from the shipped
fixture, loaded once; demo rows from before get the new fields; nothing reads ../shared."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.movies import demo
from apps.movies.models import Movie
from apps.movies.selectors import movie_list, movie_years
from apps.movies.services import genre_get_or_create

pytestmark = pytest.mark.django_db


def test_the_demo_catalog_has_years_runtimes_and_taglines_so_the_year_filter_and_date_sort_work(client):
    demo.load_movies(stdout=io.StringIO())
    assert Movie.objects.count() == 300
    assert len(movie_years()) >= 20
    avatar = Movie.objects.get(tmdb_id=19995)
    assert avatar.release_date == datetime.date(2009, 12, 10) and avatar.runtime_minutes == 162
    assert avatar.tagline == "Enter the World of Pandora." and avatar.original_language == "en"
    assert avatar.tmdb_vote_average == Decimal("7.2") and avatar.tmdb_vote_count == 11800
    assert "Lightstorm Entertainment" in avatar.production_companies
    dates = [m.release_date for m in movie_list(sort="date")[:50]]
    assert dates == sorted(dates, reverse=True) and dates[0] > dates[-1]

    page = client.get(reverse("movies:index"), {"year": "2009", "sort": "-date"}).content.decode()
    assert "Avatar" in page and "(2009)" in page and "162 min" in page
    assert all(f'<option value="{y}"' in page for y in movie_years())  # the year filter lists them all
    detail = client.get(reverse("movies:detail", args=[avatar.pk])).content.decode()
    for shown in (
        "Enter the World of Pandora.",
        "2 h 42 min",
        "English",
        "Lightstorm Entertainment",
        "7.2/10",
        "11,800 TMDB votes",
    ):
        assert shown in detail, shown


def test_loading_again_fills_the_demo_rows_of_before_and_keeps_what_people_changed():
    """Demo rows loaded by earlier versions had only title, plot and genres."""
    drama = genre_get_or_create(name="Drama")
    old = Movie.objects.create(tmdb_id=19995, title="Avatar", plot="Blue people.")
    old.genres.set([drama])
    edited = Movie.objects.create(
        tmdb_id=285, title="Pirates of the Caribbean: At World's End", runtime_minutes=170, tagline="Set by a curator."
    )
    out = io.StringIO()
    demo.load_movies(stdout=out)
    assert "298 movies added" in out.getvalue() and "2 filled in" in out.getvalue()
    old.refresh_from_db()
    edited.refresh_from_db()
    assert old.release_date == datetime.date(2009, 12, 10) and old.tagline == "Enter the World of Pandora."
    assert old.plot == "Blue people." and list(old.genres.all()) == [drama]  # nothing set is overwritten
    assert edited.runtime_minutes == 170 and edited.tagline == "Set by a curator." and edited.release_date

    again = io.StringIO()
    before = list(Movie.objects.order_by("pk").values())
    demo.load_movies(stdout=again)
    assert "0 movies added" in again.getvalue() and "0 filled in" in again.getvalue()
    assert list(Movie.objects.order_by("pk").values()) == before
