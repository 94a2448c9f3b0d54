"""Demo catalog: 300 real movies from TMDB (title, plot, genres, release date, runtime, tagline,
original language, production companies, TMDB vote average and count), loaded once. Idempotent:
a movie already there (by TMDB id) gets only the fields it lacks, so demo rows loaded by an older
fixture get the new details and nothing a person changed is overwritten.

The fixture (apps/movies/fixtures/demo_movies.json) was cut from the Kaggle "TMDB 5000 Movie
Dataset" (details added by bench/movies_demo_fixture.py); TMDB is credited in the footer of the
movie pages. No posters are shipped.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model

from apps.core.errors import ApplicationError
from apps.movies.models import Movie, Review
from apps.movies.services import movie_create, movie_details_fill, review_create

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "demo_movies.json"
REVIEWS = Path(__file__).resolve().parent / "fixtures" / "demo_reviews.json"


def load(*, stdout) -> None:
    load_movies(stdout=stdout)
    _load_reviews(stdout=stdout)


def _details(row: dict) -> dict:
    """The movie fields of a fixture row (TMDB names -> ours)."""
    details = {
        "original_title": row.get("original_title"),
        "tagline": row.get("tagline"),
        "release_date": date.fromisoformat(row["release_date"]) if row.get("release_date") else None,
        "runtime_minutes": row.get("runtime"),
        "original_language": row.get("original_language"),
        "production_companies": row.get("production_companies"),
        "tmdb_vote_count": row.get("vote_count"),
        "tmdb_vote_average": Decimal(str(row["vote_average"])) if row.get("vote_average") is not None else None,
    }
    return {k: v for k, v in details.items() if v not in (None, "", [])}


def load_movies(*, stdout, path: Path = FIXTURE) -> None:
    """Add the fixture's movies that are not there yet, and fill the empty fields of those that are."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {m.tmdb_id: m for m in Movie.objects.exclude(tmdb_id=None)}
    added = filled = 0
    for row in data["movies"]:
        try:
            if row["tmdb_id"] in known:
                filled += bool(movie_details_fill(movie=known[row["tmdb_id"]], **_details(row)))
                continue
            movie_create(
                created_by=None,
                title=row["title"],
                plot=row["plot"],
                tmdb_id=row["tmdb_id"],
                genres=row["genres"],
                **_details(row),
            )
        except ApplicationError as exc:
            stdout.write(f"movies demo: skipped {row['title']!r}: {exc.message}")
            continue
        added += 1
    stdout.write(
        f"movies demo: {added} movies added, {filled} filled in with the details they lacked "
        f"({len(data['movies']) - added - filled} already complete)"
    )


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
