"""What ``Review.model_version`` records, and which versions the manifest deploys.

Light on purpose (reads the manifest, imports no model code): the admin's filter and the start-up
command (``reviews_rescore``) use it without loading PyTorch.
"""

from __future__ import annotations

from apps.core.registry import manifest_read
from apps.movies.ml.lang import language_route
from apps.movies.ml.opinion.load import NAME as OPINION_NAME
from apps.movies.ml.sentiment.load import NAMES as MODEL_NAMES


def review_version(sentiment: str, opinion: str | None) -> str:
    """The sentiment model's version, + the "no opinion" detector's when one scored the review."""
    return f"{sentiment}+{opinion}" if opinion else sentiment


def review_versions(sentiment: dict[str, str], opinion: str | None) -> dict[str, str]:
    """Per review language, the ``model_version`` a review scored now gets, given the sentiment
    models' versions by language (a language without a model is read by another one, as
    ``SentimentPredictor.route`` does) and the detector's. Empty without a sentiment model."""
    if not sentiment:
        return {}
    return {lang: review_version(sentiment[language_route(lang, sentiment)], opinion) for lang in MODEL_NAMES}


def review_versions_deployed() -> dict[str, str]:
    """:func:`review_versions` from the manifest alone (loads nothing). It differs from what the
    models give (``apps.movies.scoring.review_versions_current``) only while an artifact named in
    the manifest cannot be loaded."""
    entries = manifest_read()["models"]
    sentiment = {lang: entries[name]["version"] for lang, name in MODEL_NAMES.items() if name in entries}
    return review_versions(sentiment, entries.get(OPINION_NAME, {}).get("version"))
