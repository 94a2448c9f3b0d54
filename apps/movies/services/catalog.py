"""Writes for the catalog: movies, genres, reviews (scored by the sentiment model on save).

Keyword-only ``<entity>_<verb>`` functions; each runs in ``transaction.atomic`` and validates
with ``full_clean()``. Business-rule violations raise ApplicationError with a clear message.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.selectors import user_is_curator
from apps.core.errors import ApplicationError
from apps.core.files import atomic_with_files
from apps.core.registry import ModelUnavailable
from apps.movies.cache import catalog_changed
from apps.movies.ml.lang import detect_language, script_counts
from apps.movies.models import Genre, Movie, Review
from apps.movies.services.cleaning import instance_clean
from apps.movies.services.posters import poster_image_check
from apps.movies.services.vocabulary import genre_get_or_create

logger = logging.getLogger(__name__)

MOVIE_FIELDS = (
    "title",
    "original_title",
    "tagline",
    "release_date",
    "director",
    "runtime_minutes",
    "plot",
    "original_language",
    "production_companies",
)
# Source data of demo / imported movies (TMDB): set when they are loaded, not edited by people.
SOURCE_FIELDS = ("tmdb_id", "tmdb_vote_average", "tmdb_vote_count")
PLOT_MAX_CHARS = 20000


def _movie_clean(movie: Movie) -> None:
    """``instance_clean`` plus the plot's length (a TextField: full_clean does not bound it)."""
    if len(movie.plot or "") > PLOT_MAX_CHARS:
        message = f"The plot may be at most {PLOT_MAX_CHARS} characters long (it has {len(movie.plot)})."
        raise ApplicationError(message, code="invalid", extra={"fields": {"plot": [message]}})
    instance_clean(movie)


EDITORS_ONLY = "Only the person who added this movie or a curator may change it."


def movie_editable_by(*, movie: Movie, user) -> bool:
    return user.is_authenticated and (movie.created_by_id == user.pk or user_is_curator(user))


def _require_editor(*, movie: Movie, user) -> None:
    if not movie_editable_by(movie=movie, user=user):
        raise ApplicationError(EDITORS_ONLY, code="forbidden", status=403)


def movie_create(*, created_by, title: str, genres=(), poster=None, poster_url: str = "", **fields) -> Movie:
    """Create a movie (and its genre links). An uploaded ``poster`` passes the poster check
    first; a ``poster_url`` enqueues the poster fetch job. On any error nothing is left: no
    row and no stored poster file."""
    extension = poster_image_check(poster, source="The poster file") if poster else ""
    with atomic_with_files() as stored:
        movie = Movie(
            created_by=created_by,
            title=(title or "").strip(),
            **{k: _tidy(v) for k, v in fields.items() if k in MOVIE_FIELDS + SOURCE_FIELDS},
        )
        movie.poster_url = (poster_url or "").strip()
        _movie_clean(movie)
        movie.save()
        if poster:
            _poster_store(movie=movie, poster=poster, extension=extension, stored=stored)
        movie.genres.set(_genres(genres))
        if movie.poster_url and not poster:
            _poster_fetch_enqueue(movie=movie, user=created_by)
        catalog_changed(movie.pk)
    return movie


def movie_update(*, movie: Movie, user, genres=None, poster=None, poster_url: str | None = None, **fields) -> Movie:
    """Change a movie's fields; only its creator or a curator may. A new ``poster_url`` is fetched
    by a job; an uploaded ``poster`` (checked first) replaces the current one, whose file is
    deleted once the change commits. On any error the new poster file is not kept."""
    _require_editor(movie=movie, user=user)
    extension = poster_image_check(poster, source="The poster file") if poster else ""
    with atomic_with_files() as stored:
        for key, value in fields.items():
            if key in MOVIE_FIELDS:
                setattr(movie, key, _tidy(value))
        fetch = poster_url is not None and poster_url.strip() and poster_url.strip() != movie.poster_url
        if poster_url is not None:
            movie.poster_url = poster_url.strip()
        _movie_clean(movie)
        movie.save()
        if poster:
            _poster_store(movie=movie, poster=poster, extension=extension, stored=stored)
        if genres is not None:
            movie.genres.set(_genres(genres))
        if fetch and not poster:
            _poster_fetch_enqueue(movie=movie, user=user)
        catalog_changed(movie.pk)
    return movie


def _tidy(value):
    """Strings stripped; a list of names (production companies) stripped with the empty ones dropped."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return value


def movie_details_fill(*, movie: Movie, **fields) -> list[str]:
    """Fill the empty fields of a demo or imported movie from its source data (any of MOVIE_FIELDS and
    SOURCE_FIELDS); a field already set, by a person or an earlier load, is kept. Returns the names
    of the fields filled (none: the row is not saved)."""
    filled = [
        k
        for k, v in fields.items()
        if k in MOVIE_FIELDS + SOURCE_FIELDS and v not in (None, "", []) and getattr(movie, k) in (None, "", [])
    ]
    if not filled:
        return []
    with transaction.atomic():
        for key in filled:
            setattr(movie, key, _tidy(fields[key]))
        _movie_clean(movie)
        movie.save(update_fields=[*filled, "updated_at"])
        catalog_changed(movie.pk)
    return filled


def _poster_store(*, movie: Movie, poster, extension: str, stored: list[str]) -> None:
    """Store a checked upload as ``movie-<pk>.<ext>``, the extension of what it contains (never
    the name it was uploaded with), and delete the previous poster file after commit."""
    old = movie.poster.name if movie.poster else ""
    movie.poster.save(f"movie-{movie.pk}.{extension}", poster, save=False)
    stored.append(movie.poster.name)
    movie.save(update_fields=["poster", "updated_at"])
    if old:
        transaction.on_commit(lambda: _storage_delete(old))


def movie_delete(*, movie: Movie, user) -> None:
    """Delete a movie with its reviews; only its creator or a curator may."""
    _require_editor(movie=movie, user=user)
    with transaction.atomic():
        poster = movie.poster.name if movie.poster else ""
        catalog_changed(movie.pk)
        movie.delete()
        if poster:
            transaction.on_commit(lambda: _storage_delete(poster))


def _storage_delete(name: str) -> None:
    from django.core.files.storage import default_storage

    default_storage.delete(name)


def _genres(genres) -> list[Genre]:
    out = []
    for item in genres or ():
        out.append(item if isinstance(item, Genre) else genre_get_or_create(name=str(item)))
    return out


def _poster_fetch_enqueue(*, movie: Movie, user) -> None:
    from apps.core.jobs import job_enqueue

    job_enqueue(
        kind="movies.poster_fetch",
        user=user if getattr(user, "pk", None) else None,
        target=movie,
        params={"url": movie.poster_url},
    )


# --- reviews ----------------------------------------------------------------------------


def review_text_clean(text: str, *, max_chars: int | None = None) -> str:
    """The stored form of a review, or ApplicationError saying what is wrong with it.

    HTML is kept as typed (templates escape it); NUL characters cannot be stored by PostgreSQL.
    ``max_chars`` overrides the review length limit (batch scoring of existing texts).
    """
    text = (text or "").replace("\x00", "").strip()
    limit = max_chars or settings.MOVIES_REVIEW_MAX_CHARS
    if not text:
        raise ApplicationError(
            "The review is empty: write a few words about the movie.", code="review_empty", extra={"field": "text"}
        )
    if len(text) > limit:
        raise ApplicationError(
            f"The review has {len(text):,} characters; the limit is {limit:,}. Shorten it and " "try again.",
            code="review_too_long",
            extra={"field": "text"},
        )
    hangul, other = script_counts(text)
    if hangul + other == 0:
        raise ApplicationError(
            "The review has no words (only emoji, digits or punctuation), so it " "cannot be rated. Add a few words.",
            code="review_no_words",
            extra={"field": "text"},
        )
    return text


def _apply_prediction(review: Review, prediction) -> None:
    """Copy a ``scoring.ReviewScore`` (or None: unscored) onto the review's AI fields."""
    if prediction is None:
        review.language = detect_language(review.text)
        review.sentiment, review.p_positive, review.ai_rating, review.p_opinion = "", None, None, None
        review.model_version, review.scored_at = "", None
        return
    review.language = prediction.language
    review.sentiment = prediction.label
    review.p_positive = prediction.p_positive
    review.p_opinion = prediction.p_opinion
    review.ai_rating = None if prediction.rating is None else Decimal(str(prediction.rating)).quantize(Decimal("0.1"))
    review.model_version = prediction.model_version
    review.scored_at = timezone.now()


def _predict(texts: list[str]) -> list | None:
    from apps.movies.scoring import review_score

    try:
        return review_score(texts)
    except ModelUnavailable as exc:
        logger.warning("review saved unscored: %s", exc)
        return None


def _score_later(review: Review, user) -> None:
    from apps.core.jobs import job_enqueue

    job_enqueue(kind="movies.reviews_rescore", user=user, params={"review_ids": [review.pk]})


def review_user_rating_clean(value) -> int | None:
    """The reviewer's own rating as stored: a whole number from 1 to 10, or None (not given)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 10:
        raise ApplicationError(
            f"Your own rating must be a whole number from 1 to 10, or empty (got {value!r}).",
            code="invalid_rating",
            extra={"field": "user_rating"},
        )
    return value


def review_create(*, movie: Movie, author, text: str, user_rating: int | None = None) -> Review:
    """Save ``author``'s review of ``movie`` scored by ``scoring.review_score`` (synchronously):
    label, P(positive) and rating, or label none with no rating when it states no opinion; with the
    author's own 1-10 ``user_rating`` when given.

    Raises ApplicationError for bad text or rating, a missing movie or a second review by the same
    user. When no model is available the review is saved unscored and a rescore job is enqueued.
    """
    text = review_text_clean(text)
    user_rating = review_user_rating_clean(user_rating)
    if movie is None or not Movie.objects.filter(pk=movie.pk).exists():
        raise ApplicationError(
            "This movie does not exist (it may have been deleted).", code="movie_not_found", status=404
        )
    if Review.objects.filter(movie=movie, author=author).exists():
        raise ApplicationError(
            "You have already reviewed this movie; edit your review instead.", code="review_duplicate", status=409
        )
    predictions = _predict([text])
    review = Review(movie=movie, author=author, text=text, user_rating=user_rating)
    _apply_prediction(review, predictions[0] if predictions else None)
    try:
        with transaction.atomic():
            instance_clean(review)
            review.save()
            catalog_changed(movie.pk)
            if predictions is None:
                _score_later(review, author)
    except IntegrityError:
        # Two submissions raced past the check above; the unique constraint decided.
        raise ApplicationError(
            "You have already reviewed this movie; edit your review instead.", code="review_duplicate", status=409
        ) from None
    return review


def review_update(*, review: Review, user, **changes) -> Review:
    """Change one's own review: ``text`` (scored again) and/or ``user_rating`` (None clears it);
    a field not given is kept. Raises ApplicationError for someone else's review or a bad value."""
    if review.author_id != user.pk:
        raise ApplicationError("You can only edit your own review.", code="forbidden", status=403)
    rating = review_user_rating_clean(changes["user_rating"]) if "user_rating" in changes else review.user_rating
    text = review_text_clean(changes["text"]) if "text" in changes else None
    predictions = _predict([text]) if text is not None else None
    with transaction.atomic():
        review.user_rating = rating
        if text is not None:
            review.text = text
            _apply_prediction(review, predictions[0] if predictions else None)
        instance_clean(review)
        review.save()
        catalog_changed(review.movie_id)
        if text is not None and predictions is None:
            _score_later(review, user)
    return review


def review_moderate(*, review: Review, user, text: str) -> Review:
    """A curator's correction of someone's review text (the admin): cleaned and scored again exactly
    as the author's own edit is. Raises ApplicationError for a non-curator or a bad text."""
    if not user_is_curator(user):
        raise ApplicationError("Only curators may change someone else's review.", code="forbidden", status=403)
    return review_update(review=review, user=review.author, text=text)


def review_delete(*, review: Review, user) -> None:
    """Delete a review: its author, or a curator, may."""
    if review.author_id != user.pk and not user_is_curator(user):
        raise ApplicationError("You can only delete your own review.", code="forbidden", status=403)
    with transaction.atomic():
        review.delete()
        catalog_changed(review.movie_id)


def reviews_rescore(*, reviews, batch_size: int = 500, progress=None) -> dict:
    """Score ``reviews`` (a queryset or list) with the current model, in short atomic batches.

    Raises ModelUnavailable when no model is trained. Returns counts for the job result.
    """
    from apps.movies.scoring import review_score

    ids = [r.pk for r in reviews] if isinstance(reviews, list) else list(reviews.values_list("pk", flat=True))
    done = changed = 0
    total = len(ids)
    if progress:
        progress(0, total, f"scoring {total} reviews")
    for start in range(0, total, batch_size):
        chunk = list(Review.objects.filter(pk__in=ids[start : start + batch_size]).order_by("pk"))
        predictions = review_score([r.text for r in chunk])
        with transaction.atomic():
            for review, prediction in zip(chunk, predictions):
                before = (review.sentiment, review.ai_rating, review.model_version)
                _apply_prediction(review, prediction)
                changed += before != (review.sentiment, review.ai_rating, review.model_version)
                review.save(
                    update_fields=[
                        "language",
                        "sentiment",
                        "p_positive",
                        "p_opinion",
                        "ai_rating",
                        "model_version",
                        "scored_at",
                        "updated_at",
                    ]
                )
            catalog_changed(*{r.movie_id for r in chunk})
        done += len(chunk)
        if progress:
            progress(done, total)
    return {"scored": done, "changed": changed}
