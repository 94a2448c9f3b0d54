"""Fixtures of the movies tests: tiny sentiment models trained on the committed samples.

The models are trained once per session (a few seconds) into a temporary models store, so the
tests do not depend on the large artifacts in models_store/ and exercise the real loading path
(manifest, sha256 check, registry cache).
"""

import shutil

import pytest
from django.conf import settings

from apps.core.registry import manifest_read, manifest_write_entry
from apps.movies.ml.opinion.model import encoder_artifact
from apps.movies.ml.sentiment.train import TrainConfig, train_sentiment
from tests.movies.test_sentiment_ml import FIXTURES, TINY, TINY_KO


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("models_store")
    for lang, name in (("ko", "nsmc_sample.tsv"), ("en", "imdb_sample.tsv")):
        cfg = TrainConfig(
            lang=lang,
            data_path=FIXTURES / name,
            out_dir=store,
            epochs=1,
            command=f"tests {lang}",
            overrides=TINY_KO if lang == "ko" else TINY,
        )
        entry = train_sentiment(cfg, log=lambda message: None)
        manifest_write_entry(entry.pop("name"), entry, store=store)
    return store


@pytest.fixture
def sentiment_models(use_models_store, tiny_store):
    """Point MODELS_STORE at the tiny models for one test."""
    return use_models_store(tiny_store)


@pytest.fixture(scope="session")
def tiny_store_with_opinion(tiny_store, tmp_path_factory):
    """The tiny sentiment models plus the shipped "no opinion" detector (small: a copy of it) and
    a link to the artifact it reads its student encoder from."""
    store = tmp_path_factory.mktemp("models_store_opinion")
    for name, entry in manifest_read(tiny_store)["models"].items():
        shutil.copy(tiny_store / entry["path"], store / entry["path"])
        manifest_write_entry(name, entry, store=store)
    entry = manifest_read(settings.MODELS_STORE)["models"]["movies-opinion"]
    shutil.copy(settings.MODELS_STORE / entry["path"], store / entry["path"])
    manifest_write_entry("movies-opinion", entry, store=store)
    encoder = encoder_artifact(store / entry["path"]).name
    (store / encoder).symlink_to(settings.MODELS_STORE / encoder)
    return store


@pytest.fixture
def review_models(use_models_store, tiny_store_with_opinion):
    """Point MODELS_STORE at the tiny sentiment models and the shipped opinion detector."""
    return use_models_store(tiny_store_with_opinion)
