"""Fixtures of the movies tests: tiny sentiment models trained on the committed samples.

The models are trained once per session (a few seconds) into a temporary models store, so the
tests do not depend on the large artifacts in models_store/ and exercise the real loading path
(manifest, sha256 check, registry cache).
"""

import pytest

from apps.movies.ml.store import manifest_write
from apps.movies.ml.train import TrainConfig, train_sentiment
from tests.movies.test_sentiment_ml import FIXTURES, TINY, TINY_KO


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("models_store")
    for lang, name in (("ko", "nsmc_sample.tsv"), ("en", "imdb_sample.tsv")):
        cfg = TrainConfig(lang=lang, data_path=FIXTURES / name, out_dir=store, epochs=1,
                          command=f"tests {lang}", overrides=TINY_KO if lang == "ko" else TINY)
        entry = train_sentiment(cfg, log=lambda message: None)
        manifest_write(store, entry.pop("name"), entry)
    return store


@pytest.fixture
def sentiment_models(use_models_store, tiny_store):
    """Point MODELS_STORE at the tiny models for one test."""
    return use_models_store(tiny_store)
