"""Glue between the pure sentiment code and the app: the deployed models, warm-up, and the one
place that turns model outputs into what a review shows (:func:`review_score`).

Both language models are separate artifacts in models_store/ (``movies-sentiment-ko`` and
``movies-sentiment-en``); the registry caches each per process and reloads it when its manifest
version changes. A language whose model is missing falls back to the other one. The "no opinion"
detector (``movies-opinion``) is a third artifact; while it is missing or unusable (the student
encoder it reads from the scents artifact is missing or was retrained), every review gets a verdict.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from apps.core.registry import ModelUnavailable, ml_model_get
from apps.movies.ml.opinion.load import NAME as OPINION_NAME
from apps.movies.ml.opinion.model import OpinionModel
from apps.movies.ml.sentiment.load import NAMES as MODEL_NAMES
from apps.movies.ml.sentiment.model import POSITIVE, Prediction, SentimentPredictor
from apps.movies.versions import review_version, review_versions

logger = logging.getLogger(__name__)

NO_OPINION = "none"


@dataclass(frozen=True)
class ReviewScore:
    """What a review shows: ``label`` positive / negative / none ("no opinion found", with no
    P(positive) and no rating), ``p_opinion`` (None while no opinion model is deployed)."""

    label: str
    p_positive: float | None
    rating: float | None
    p_opinion: float | None
    language: str
    model_version: str

    def as_dict(self) -> dict:
        return asdict(self)


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


def opinion_model_get() -> OpinionModel | None:
    """The deployed "no opinion" detector, or None (logged) when there is none."""
    try:
        return ml_model_get(OPINION_NAME).obj
    except ModelUnavailable as exc:
        logger.warning("no opinion detector, every review gets a verdict: %s", exc)
        return None


def rating_agreeing(label: str, rating: float) -> float:
    """The rating moved to the label's side of 5 (the rating regressor and the classifier are
    separate models and disagree near the middle): positive never below 5, negative never above."""
    return max(rating, 5.0) if label == POSITIVE else min(rating, 5.0)


def review_score(texts: list[str], *, predictor: SentimentPredictor | None = None) -> list[ReviewScore]:
    """Score review texts (already checked by ``review_text_clean``): sentiment, rating that
    agrees with it, and "no opinion" where the detector finds none.

    Raises ModelUnavailable when no sentiment model is trained.
    """
    predictions = (predictor or predictor_get()).predict(texts)
    opinion = opinion_model_get() if texts else None
    p_opinion = [None] * len(texts)
    if opinion is not None:
        p_opinion = [round(float(p), 4) for p in opinion.p_opinion(texts)]
    return [_review_score(prediction, p, opinion) for prediction, p in zip(predictions, p_opinion)]


def _review_score(prediction: Prediction, p_opinion: float | None, opinion: OpinionModel | None) -> ReviewScore:
    version = review_version(prediction.model_version, opinion.version if opinion else None)
    if opinion is not None and not opinion.has_opinion(p_opinion):
        return ReviewScore(NO_OPINION, None, None, p_opinion, prediction.language, version)
    return ReviewScore(
        prediction.label,
        prediction.p_positive,
        rating_agreeing(prediction.label, prediction.rating),
        p_opinion,
        prediction.language,
        version,
    )


def review_versions_current() -> dict[str, str]:
    """Per review language, the ``model_version`` a review scored now gets, from the models this
    process loads (what a re-score job goes by). Raises ModelUnavailable when no sentiment model
    is trained."""
    predictor = predictor_get()
    opinion = opinion_model_get()
    sentiment = {lang: model.version for lang, model in predictor.models.items()}
    return review_versions(sentiment, opinion.version if opinion else None)


def warm_up() -> None:
    """Load the models and run one prediction (listed in settings.ML_WARMUP)."""
    try:
        review_score(["정말 재미있는 영화", "A really good film"])
    except ModelUnavailable:
        pass  # nothing trained yet: reviews are saved unscored and scored by a job later
