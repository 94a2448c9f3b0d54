"""Demo catalog: 300 real movies (title, plot, genres) from TMDB, loaded once. Idempotent.

The fixture (apps/movies/fixtures/demo_movies.json) was cut from the Kaggle "TMDB 5000 Movie
Dataset"; TMDB is credited in the footer of the movie pages. No posters are shipped.
A few genre-model experiments (apps/movies/fixtures/demo_experiments.json) are imported so the
research page has runs to compare on first start: the figures of real training runs on the shared
genre data, each marked with the command that produced it (built by
bench/movies_genres_demo_fixture.py); their weights are not shipped.
"""

import json
from pathlib import Path

from apps.core.errors import ApplicationError
from django.contrib.auth import get_user_model

from apps.movies.models import Movie, Review
from apps.movies.services import genre_get_or_create, movie_create, review_create

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_movies.json"
REVIEWS = Path(__file__).resolve().parent / "fixtures" / "demo_reviews.json"
EXPERIMENTS = Path(__file__).resolve().parent / "fixtures" / "demo_experiments.json"


def load(*, stdout) -> None:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    known = set(Movie.objects.exclude(tmdb_id=None).values_list("tmdb_id", flat=True))
    genres = {}
    added = 0
    for row in data["movies"]:
        if row["tmdb_id"] in known:
            continue
        for name in row["genres"]:
            if name not in genres:
                genres[name] = genre_get_or_create(name=name)
        try:
            movie_create(created_by=None, title=row["title"], plot=row["plot"], tmdb_id=row["tmdb_id"],
                         genres=[genres[name] for name in row["genres"]])
        except ApplicationError as exc:
            stdout.write(f"movies demo: skipped {row['title']!r}: {exc.message}")
            continue
        added += 1
    stdout.write(f"movies demo: {added} movies added ({len(data['movies']) - added} already there)")
    _load_reviews(stdout=stdout)
    _load_experiments(stdout=stdout)


def _load_reviews(*, stdout) -> None:
    """A few reviews by demo users (scored by the shipped models), so pages show AI ratings."""
    data = json.loads(REVIEWS.read_text(encoding="utf-8"))
    User = get_user_model()
    users = {}
    for name in data["users"]:
        user, created = User.objects.get_or_create(username=name, defaults={"display_name": name})
        if created:
            user.set_unusable_password()
            user.save()
        users[name] = user
    added = 0
    for row in data["reviews"]:
        movie = Movie.objects.filter(title=row["movie"]).order_by("pk").first()
        author = users[row["user"]]
        if movie is None or Review.objects.filter(movie=movie, author=author).exists():
            continue
        review_create(movie=movie, author=author, text=row["text"])
        added += 1
    stdout.write(f"movies demo: {added} reviews added")


def _load_experiments(*, stdout) -> None:
    """Recorded genre-model runs (figures only), so the research page is not empty."""
    from apps.movies.services.genres_experiments import experiment_record_import  # imports torch: only here

    data = json.loads(EXPERIMENTS.read_text(encoding="utf-8"))
    # In file order: the last record becomes the newest row, the one the research page charts.
    added = sum(experiment_record_import(record=record)[1] for record in data["experiments"])
    stdout.write(f"movies demo: {added} recorded genre experiments added")
