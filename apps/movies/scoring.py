"""Glue between the pure sentiment code and the app: registry names, loading, warm-up.

Both language models are separate artifacts in models_store/ (``movies-sentiment-ko`` and
``movies-sentiment-en``); the registry caches each per process and reloads it when its manifest
version changes. A language whose model is missing falls back to the other one.
"""

from __future__ import annotations

from pathlib import Path

from apps.core.registry import ModelUnavailable, ml_model_get, ml_model_register
from apps.movies.ml.sentiment import LanguageModel, Prediction, SentimentPredictor, load_language_model

MODEL_NAMES = {"ko": "movies-sentiment-ko", "en": "movies-sentiment-en"}


def _loader(path: Path, entry: dict) -> LanguageModel:
    return load_language_model(path)


for _name in MODEL_NAMES.values():
    ml_model_register(_name, _loader)


def predictor_get() -> SentimentPredictor:
    """The routed predictor over every language model that is available.

    Raises ModelUnavailable when neither model has been trained.
    """
    models, problems = {}, []
    for lang, name in MODEL_NAMES.items():
        try:
            models[lang] = ml_model_get(name).obj
        except ModelUnavailable as exc:
            problems.append(str(exc))
    if not models:
        raise ModelUnavailable("; ".join(problems))
    return SentimentPredictor(models)


def sentiment_predict(texts: list[str]) -> list[Prediction]:
    return predictor_get().predict(texts)


def warm_up() -> None:
    """Load both models and run one prediction each (listed in settings.ML_WARMUP)."""
    try:
        predictor_get().predict(["정말 재미있는 영화", "A really good film"])
    except ModelUnavailable:
        pass  # nothing trained yet: reviews are saved unscored and scored by a job later
