"""The registry's loader of genre models (``GenresConfig.ready`` registers it with ``FORMAT``).

Nothing heavy at module top: torch is imported when a model is first loaded.
"""

from __future__ import annotations

from pathlib import Path

FORMAT = 1  # manifest "format" of artifacts written as predictor.ARTIFACT_FORMAT
TRAIN = "python manage.py train_genres --data ../shared/data/genres"


def load(path: Path, entry: dict):
    """The ``GenrePredictor`` in ``path``; ModelUnavailable (naming ``TRAIN``) when the file is not
    a genre model artifact this code reads."""
    from apps.core.registry import ModelUnavailable
    from apps.genres.ml.predictor import GenrePredictor

    try:
        return GenrePredictor.load(path)
    except ValueError as exc:
        raise ModelUnavailable(f"{path.name}: {exc}; rebuild it with `{TRAIN}`") from exc
