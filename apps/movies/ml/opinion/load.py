"""How the app reads the "no opinion" detector: registry name, artifact format (also recorded in
the artifact's own meta), the command that rebuilds it from the shared data, and the loader
(imports numpy only when called, so ``MoviesConfig.ready`` stays cheap)."""

from __future__ import annotations

from pathlib import Path

FORMAT = 2
NAME = "movies-opinion"
TRAIN = "python manage.py train_opinion --data ../shared/data"


def load(path: Path, entry: dict):
    """The :class:`~.model.OpinionModel` at ``path``; ModelUnavailable when the student encoder
    it reads is missing or was retrained (the message says what to run)."""
    from apps.core.registry import ModelUnavailable

    from .model import OpinionArtifactError, load_opinion_model

    try:
        return load_opinion_model(path)
    except OpinionArtifactError as exc:
        raise ModelUnavailable(str(exc)) from exc
