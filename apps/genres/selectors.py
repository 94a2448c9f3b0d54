"""Reads for genre research and suggestions."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404

from apps.core.registry import manifest_read
from apps.genres.ml.detection import detector_get
from apps.movies.models import Movie
from apps.genres.models import Experiment, GenreSuggestion


def experiment_list():
    return Experiment.objects.select_related("created_by", "job").order_by("-created_at", "-pk")


def experiment_get(*, pk: int) -> Experiment:
    return get_object_or_404(experiment_list(), pk=pk)


def genre_suggestion_list(*, movie: Movie | None = None, status: str | None = None):
    """Suggestions, newest first; for one movie, highest confidence first."""
    qs = GenreSuggestion.objects.select_related("movie", "genre", "decided_by").order_by("-created_at", "-score")
    if movie is not None:
        qs = qs.filter(movie=movie).order_by("-score", "-created_at")
    if status:
        qs = qs.filter(status=status)
    return qs


def genre_suggestion_get(*, pk: int) -> GenreSuggestion:
    return get_object_or_404(genre_suggestion_list(), pk=pk)


def genre_model_status() -> dict:
    """The deployed genre model's manifest entry (or None) and the detector's availability."""
    entry = manifest_read()["models"].get(settings.GENRES_MODEL_NAME)
    ok, reason = detector_get().available()
    return {
        "name": settings.GENRES_MODEL_NAME,
        "entry": entry if entry and entry.get("task") == "genres" else None,
        "detector_available": ok,
        "detector_note": reason,
    }
