"""One lifecycle for the movies models: `train_sentiment` / `train_opinion` rebuild an artifact from
the data alone and record that one command and the artifact's format in the manifest; a loader
that meets another format says which command rebuilds the model."""

import logging
import shutil

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from apps.core.registry import manifest_read, manifest_write_entry, ml_model_get
from apps.movies import scoring
from apps.movies.management.commands.train_sentiment import Command as TrainSentiment
from apps.movies.ml.opinion import load as opinion_load
from apps.movies.ml.sentiment import load as sentiment_load
from apps.movies.ml.sentiment.model import load_arrays, load_language_model
from tests.movies.test_sentiment_ml import FIXTURES

NSMC = FIXTURES / "nsmc_sample.tsv"
KO = sentiment_load.NAMES["ko"]


@pytest.fixture(scope="module")
def plain_korean(tmp_path_factory):
    """The Korean model as the plain command builds it, today's whole recipe, into an empty store."""
    store = tmp_path_factory.mktemp("store")
    assert not any(store.iterdir())
    call_command("train_sentiment", "--lang", "ko", "--data", str(NSMC), "--out", str(store))
    return store


def test_train_sentiment_builds_every_part_of_the_korean_model_from_the_data_alone(plain_korean, use_models_store):
    entry = manifest_read(plain_korean)["models"][KO]
    assert entry["command"] == f"python manage.py train_sentiment --lang ko --data {NSMC} --out {plain_korean}"
    assert entry["format"] == sentiment_load.FORMAT and "weights_from" not in entry
    built = load_language_model(plain_korean / entry["path"])
    shipped_path = settings.MODELS_STORE / manifest_read(settings.MODELS_STORE)["models"][KO]["path"]
    shipped = load_language_model(shipped_path)
    # The same parts as the shipped model (ridges, BPE CNN, morpheme BiGRU, tables), none kept
    # from an earlier artifact; the networks have its shapes (vocabularies follow the data).
    assert set(load_arrays(plain_korean / entry["path"])) == set(load_arrays(shipped_path))
    assert "weights_from" not in built.meta and built.meta["linear_fit"] == shipped.meta["linear_fit"]
    assert built.meta["features"] == shipped.meta["features"]
    assert built.meta["extra_linear"][0]["features"] == shipped.meta["extra_linear"][0]["features"]
    assert [net[:2] for net in built.extra_nets] == [net[:2] for net in shipped.extra_nets]
    nets = zip(
        [built.conv, *(net[2] for net in built.extra_nets)], [shipped.conv, *(net[2] for net in shipped.extra_nets)]
    )
    for (_, mine), (_, theirs) in nets:
        config, reference = dict(mine.config), dict(theirs.config)
        assert config.pop("vocab_size") > 0 and reference.pop("vocab_size") > 0
        assert config == reference
    use_models_store(plain_korean)
    assert ml_model_get(KO).version == entry["version"]
    score = scoring.review_score(["정말 재미있고 감동적인 영화였어요"])[0]
    assert score.language == "ko" and score.model_version == entry["version"]


def test_a_table_refit_is_a_development_shortcut_whose_entry_names_the_weights_it_kept(plain_korean, tmp_path):
    before = manifest_read(plain_korean)["models"][KO]
    shutil.copy(plain_korean / before["path"], tmp_path / before["path"])
    call_command("train_sentiment", "--lang", "ko", "--data", str(NSMC), "--out", str(tmp_path), "--refit-tables")
    entry = manifest_read(tmp_path)["models"][KO]
    assert (
        entry["command"] == f"python manage.py train_sentiment --lang ko --data {NSMC} --out {tmp_path} --refit-tables"
    )
    assert entry["weights_from"] == before["version"] != entry["version"]
    assert entry["format"] == sentiment_load.FORMAT
    usage = " ".join(TrainSentiment().create_parser("manage.py", "train_sentiment").format_help().split())
    assert usage.count("development shortcut") == 2


def _store_in_format(store, tmp_path, names: list[str], format_: int):
    """A copy of ``store`` whose manifest says ``names`` were written in ``format_``."""
    copy = tmp_path / "store"
    copy.mkdir()
    for name, entry in manifest_read(store)["models"].items():
        (copy / entry["path"]).symlink_to(store / entry["path"])
        manifest_write_entry(name, {**entry, "format": format_} if name in names else entry, store=copy)
    return copy


@pytest.mark.django_db
def test_sentiment_models_in_another_format_are_unavailable_and_the_api_names_the_rebuild(
    api_user, tiny_store, tmp_path, use_models_store
):
    use_models_store(_store_in_format(tiny_store, tmp_path, list(sentiment_load.NAMES.values()), 99))
    response = api_user.post(reverse("movies-api:sentiment"), {"texts": ["정말 재밌어요"]}, format="json")
    assert response.status_code == 503 and response.json()["error"] == "model_unavailable"
    detail = response.json()["detail"]
    assert "format 99" in detail
    assert sentiment_load.TRAIN["ko"] in detail and sentiment_load.TRAIN["en"] in detail


def test_a_detector_in_another_format_is_set_aside_with_the_command_that_rebuilds_it(
    tiny_store_with_opinion, tmp_path, use_models_store, caplog
):
    use_models_store(_store_in_format(tiny_store_with_opinion, tmp_path, [opinion_load.NAME], 1))
    with caplog.at_level(logging.WARNING, logger="apps.movies.scoring"):
        score = scoring.review_score(["asdf qwer"])[0]
    assert score.label in ("positive", "negative") and score.p_opinion is None
    assert opinion_load.TRAIN in caplog.text and "format 1" in caplog.text
