"""How the app reads a sentiment artifact: registry names, artifact format, the command that
rebuilds each model from the shared data, and the loader (imports numpy and torch only when
called, so ``MoviesConfig.ready`` stays cheap)."""

from __future__ import annotations

from pathlib import Path

FORMAT = 1
NAMES = {"ko": "movies-sentiment-ko", "en": "movies-sentiment-en"}
_DATA = "../shared/data"
TRAIN = {
    "ko": f"python manage.py train_sentiment --lang ko --data {_DATA}/nsmc/reviews.tsv.gz",
    "en": f"python manage.py train_sentiment --lang en --data {_DATA}/imdb_reviews/train.tsv.gz "
    f"--sst2 {_DATA}/sst2/train.tsv",
}


def load(path: Path, entry: dict):
    """The :class:`~.model.LanguageModel` stored at ``path``."""
    from .model import load_language_model

    return load_language_model(path)
