"""Writes for genre research and suggestions.

Suggestions come from the deployed genre model (``settings.GENRES_MODEL_NAME`` in the model
manifest); experiments train and compare heads on a data set named by path and may deploy one.
Heavy work (encoders, training) runs in jobs on the ``ml`` queue; rows are written in short
atomic blocks afterwards, never around the model call.
"""

from __future__ import annotations

import base64
import logging
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from apps.accounts.selectors import user_is_curator
from apps.core.errors import ApplicationError
from apps.core.jobs import job_enqueue
from apps.core.models import Job
from apps.core.registry import ModelUnavailable, manifest_read, ml_model_get
from apps.movies.cache import catalog_changed
from apps.genres.ml.images import MAX_POSTER_BYTES
from apps.genres.ml.suggest.load import TRAIN
from apps.movies.models import Movie
from apps.genres.models import GenreSuggestion
from apps.movies.services.vocabulary import genre_canonical_name, genre_get_or_create, genre_lookup

logger = logging.getLogger(__name__)

SUGGESTIONS_SHOWN = 5  # top genres stored per request (above threshold or not)
EXPLAINED = 3  # of which this many get a Grad-CAM image and word attributions


def genre_model_names() -> list[str]:
    """Genre models in the manifest (the deployed one and any kept for comparison)."""
    return sorted(n for n, e in manifest_read()["models"].items() if e.get("task") == "genres")


def genre_model_get(name: str | None = None):
    """The ``LoadedModel`` for ``name`` (default: the deployed one); ApplicationError when unknown."""
    name = name or settings.GENRES_MODEL_NAME
    known = genre_model_names()
    if name not in known:
        listed = ", ".join(known) or f"none; run `{TRAIN}` first"
        raise ApplicationError(f"Unknown genre model {name!r}. Available: {listed}.", code="unknown_model", status=404)
    try:
        return ml_model_get(name)
    except ModelUnavailable as exc:
        raise ApplicationError(str(exc), code="model_unavailable", status=409) from exc


def genres_model_warm_up() -> None:
    """Load the deployed genre model and its encoders (the ml worker calls this at start)."""
    try:
        genre_model_get().obj.warm_up()
    except ApplicationError as exc:
        logger.info("genre model not warmed up: %s", exc.message)


# --- suggestions -------------------------------------------------------------------------


def _require_curator(user) -> None:
    if not (user is not None and user.is_authenticated and user_is_curator(user)):
        raise ApplicationError("Only curators may work with genre suggestions.", code="forbidden", status=403)


def genre_suggest_request(*, movie: Movie, user):
    """Enqueue a ``movies.genres_suggest`` job for ``movie`` (curators only); returns the Job.

    Returns the movie's unfinished suggestion job instead of a second one. Raises ApplicationError
    (403) for non-curators and (404/409) when no genre model is deployed or it cannot load.
    """
    _require_curator(user)
    genre_model_get()  # fail now, with a clear message, rather than in the worker
    # A second click while the first job is still waiting or running gets that job back.
    pending = (
        Job.objects.filter(
            kind="movies.genres_suggest",
            target_id=str(movie.pk),
            target_type=ContentType.objects.get_for_model(Movie),
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        )
        .order_by("-created_at")
        .first()
    )
    return pending or job_enqueue(kind="movies.genres_suggest", user=user, target=movie)


def _poster_bytes(movie: Movie) -> tuple[bytes | None, str]:
    if not movie.poster:
        return None, ""
    try:
        with default_storage.open(movie.poster.name, "rb") as fh:
            data = fh.read(MAX_POSTER_BYTES + 1)
    except OSError as exc:
        return None, f"poster file unreadable ({exc.__class__.__name__}); predicted without a poster"
    if len(data) > MAX_POSTER_BYTES:
        return None, "poster larger than 50 MB; predicted without a poster"
    return data, ""


def genre_suggestions_generate(*, movie: Movie, job=None, progress=None, model_name: str | None = None) -> dict:
    """Predict genres for ``movie`` with explanations and store the top ones as pending suggestions.

    Replaces the movie's earlier *pending* suggestions; accepted/rejected ones stay. Genres the
    movie already has are not suggested. Returns a summary dict (the job result).
    """
    loaded = genre_model_get(model_name)
    predictor = loaded.obj
    poster, note = _poster_bytes(movie)
    if progress:
        progress(0, 2, "predicting genres")
    from apps.genres.ml.predictor import MovieInput

    out = predictor.explain(MovieInput(id=str(movie.pk), plot=movie.plot or None, poster=poster), top_k=EXPLAINED)
    pred = out["prediction"]
    notes = [note] if note else []
    notes += pred["notes"]
    explained = {e["genre"]: e for e in out["explanations"]}
    labels = _labels_by_catalog_name(movie, pred["scores"])
    chosen = list(labels)[: max(SUGGESTIONS_SHOWN, len([n for n, g in labels.items() if g in pred["genres"]]))]
    rows = _suggestions_save(
        movie=movie,
        job=job,
        version=loaded.version,
        pred=pred,
        chosen=chosen,
        labels=labels,
        explained=explained,
        weights=out["modality_weights"],
    )
    if progress:
        progress(2, 2, f"{len(rows)} suggestions stored")
    return {
        "model_version": loaded.version,
        "pattern": pred["pattern"],
        "notes": notes,
        "suggested": [{"genre": r.genre_name, "score": r.score, "above_threshold": r.above_threshold} for r in rows],
    }


def _labels_by_catalog_name(movie: Movie, scores: dict) -> dict[str, str]:
    """The model's labels (IMDb's vocabulary) under the catalog's genre names, best score first:
    {catalog name: label}. A label the catalog spells otherwise ("Sci-Fi") takes the catalog's name
    ("Science Fiction"); genres the movie has, under any spelling, are left out."""
    have = set(movie.genres.values_list("pk", flat=True))
    out = {}
    for label in sorted(scores, key=lambda g: -scores[g]):
        genre = genre_lookup(label)
        if genre is None or genre.pk not in have:
            out.setdefault(genre.name if genre else genre_canonical_name(label), label)
    return out


def _suggestions_save(*, movie, job, version, pred, chosen, labels, explained, weights) -> list[GenreSuggestion]:
    rows = []
    with transaction.atomic():
        GenreSuggestion.objects.filter(movie=movie, status=GenreSuggestion.Status.PENDING).delete()
        decided = set(
            GenreSuggestion.objects.filter(movie=movie, model_version=version).values_list("genre_name", flat=True)
        )
        for name in chosen:
            if name in decided:
                continue
            label = labels[name]
            ex = explained.get(label, {})
            row = GenreSuggestion(
                movie=movie,
                genre_name=name,
                score=pred["scores"][label],
                above_threshold=label in pred["genres"],
                model_version=version,
                job=job,
                explanation={"words": ex.get("words", []), "modality_weights": weights, "pattern": pred["pattern"]},
            )
            row.full_clean(exclude=["heatmap"])
            if ex.get("gradcam_png"):
                row.heatmap.save(
                    f"{movie.pk}-{slugify(name)}-{int(time.time())}.png",
                    ContentFile(base64.b64decode(ex["gradcam_png"])),
                    save=False,
                )
            row.save()
            rows.append(row)
    return rows


def genre_suggestion_accept(*, suggestion: GenreSuggestion, user) -> GenreSuggestion:
    """Add the suggested genre to the movie and mark it accepted: the catalog's genre of that name
    or alias ("Sci-Fi" adds "Science Fiction"), created only when the catalog has none."""
    return _decide(suggestion, GenreSuggestion.Status.ACCEPTED, user)


def genre_suggestion_reject(*, suggestion: GenreSuggestion, user) -> GenreSuggestion:
    """Mark a pending suggestion rejected (the movie's genres do not change)."""
    return _decide(suggestion, GenreSuggestion.Status.REJECTED, user)


def _decide(suggestion, status, user) -> GenreSuggestion:
    """Curators only; the row is locked and must still be pending (409 otherwise)."""
    _require_curator(user)
    with transaction.atomic():
        suggestion = GenreSuggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != GenreSuggestion.Status.PENDING:
            raise ApplicationError(
                f"This suggestion was already {suggestion.status}.", code="already_decided", status=409
            )
        if status == GenreSuggestion.Status.ACCEPTED:
            suggestion.genre = genre_get_or_create(name=suggestion.genre_name)
            suggestion.movie.genres.add(suggestion.genre)
            catalog_changed(suggestion.movie_id)
        suggestion.status, suggestion.decided_by, suggestion.decided_at = status, user, timezone.now()
        suggestion.full_clean(exclude=["heatmap"])
        suggestion.save(update_fields=["status", "decided_by", "decided_at", "genre", "updated_at"])
    return suggestion


def genre_suggest_many(*, movies, user) -> list:
    """Enqueue one suggestion job per movie (the admin action over many movies)."""
    return [genre_suggest_request(movie=m, user=user) for m in movies]
