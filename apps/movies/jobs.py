"""Background jobs of the movies area (auto-imported by apps.core)."""

from apps.core.errors import ApplicationError
from apps.core.jobs import JobFailed, job_handler
from apps.core.registry import ModelUnavailable
from apps.movies.models import Movie, Review
from apps.movies.selectors import reviews_stale
from apps.movies.services import movie_poster_fetch, reviews_rescore
from apps.movies.services.imports import reviews_import

MAX_IMPORT_ROWS = 200_000


@job_handler("movies.reviews_rescore", queue="ml", timeout=3600, label="Review re-scoring")
def reviews_rescore_job(job, progress):
    """Score reviews again with the current model: params ``{"review_ids": [...]}``,
    ``{"all": true}`` or ``{"stale": true}`` (those scored by another model than this worker's, or
    never scored). Writes in batches of 500 (each its own transaction). Result: counts.
    Raises JobFailed when no sentiment model is trained.
    """
    try:
        if job.params.get("all"):
            reviews = Review.objects.order_by("pk")
        elif job.params.get("stale"):
            from apps.movies.scoring import review_versions_current  # loads the models

            reviews = reviews_stale(review_versions_current())
        else:
            reviews = Review.objects.filter(pk__in=[int(i) for i in job.params.get("review_ids", [])])
        return reviews_rescore(reviews=reviews, progress=progress)
    except ModelUnavailable as exc:
        raise JobFailed(f"No sentiment model is available: {exc}") from exc


@job_handler("movies.reviews_import", queue="ml", timeout=3600, label="Review import")
def reviews_import_job(job, progress):
    """Import a TSV/CSV of reviews (``movie_id``, ``text``; stored file ``params["path"]``) as the
    job's user, scored in batches. Bad rows are counted and listed, the others are kept.
    """
    try:
        return reviews_import(path=job.params["path"], author=job.user, progress=progress, max_rows=MAX_IMPORT_ROWS)
    except (ApplicationError, ModelUnavailable) as exc:
        raise JobFailed(str(exc)) from exc


@job_handler("movies.poster_fetch", queue="default", timeout=120, label="Poster download")
def poster_fetch_job(job, progress):
    """Fetch ``params["url"]`` as the poster of the target movie (size/type limits, public
    addresses only). Raises JobFailed with the reason when the URL is refused or not an image."""
    movie = Movie.objects.filter(pk=job.target_id).first()
    if movie is None:
        raise JobFailed("The movie was deleted before its poster could be fetched.")
    progress(0, 1, f"fetching {job.params.get('url', '')}")
    try:
        movie = movie_poster_fetch(movie=movie, url=job.params.get("url", ""))
    except ApplicationError as exc:
        raise JobFailed(exc.message) from exc
    progress(1, 1)
    return {"poster": movie.poster.name}
