"""Training of one language's sentiment + rating model (``manage.py train_sentiment``): every part
(linear parts, networks, English encoder, blend and calibration tables) from the data alone.

Deterministic: the split hashes review ids, SGD and torch use fixed seeds, and the BPE
vocabulary depends only on the training texts.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import numpy as np

from .. import data, sst2
from ..encoder import base_sha256, encoder_config, encoder_to_bytes, encoder_train
from ..features import normalize
from ..metrics import accuracy
from ..neural import conv_to_bytes, conv_train
from .linear import _linear_arrays, _linear_fit_note, _linear_heads, _linear_meta, _split_signals, _with_linear
from .load import FORMAT, NAMES
from .model import LanguageModel, load_arrays, signal_count
from .recipe import PROTOCOLS, TrainConfig
from .tables import _fit_tables, _placeholder_tables, evaluate

SST2_VALID = "sst2_valid"


def _net_arrays(prefix: str, net) -> dict:
    parts = conv_to_bytes(*net)
    return {
        f"{prefix}_tokenizer": np.frombuffer(parts["tokenizer"].encode("utf-8"), dtype=np.uint8),
        f"{prefix}_config": np.frombuffer(parts["config"].encode("utf-8"), dtype=np.uint8),
        f"{prefix}_state": np.frombuffer(parts["state"], dtype=np.uint8),
    }


def _stack_arrays(
    meta, cls, reg, conv, tables, *, extra_linear=(), extra_nets=(), encoder=None, quantise=False
) -> dict:
    """Artifact arrays. Weight vectors are float16, or int8 + block scales with ``quantise``
    (the figures are measured with the stored weights either way)."""
    arrays = {
        **_linear_arrays(cls, reg, extra_linear, quantise),
        **tables,
        "meta": np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
    }
    if conv is not None:
        arrays.update(_net_arrays("conv", conv))
    for i, net in enumerate(extra_nets):
        arrays.update(_net_arrays(f"net{i}", net))
    if encoder is not None:
        arrays["enc_state"] = np.frombuffer(encoder_to_bytes(encoder[1]), dtype=np.uint8)
    return arrays


def _morphemes_needed(cfg: TrainConfig) -> bool:
    specs = [cfg.setting("features"), *cfg.setting("extra_linear")]
    return any(spec.uses_morphemes for spec in specs) or any(
        net["input"] == "morphemes" for net in cfg.setting("extra_nets")
    )


def _net_train(train_texts, y_tr, ratings, valid, cfg: TrainConfig, net: dict, log):
    """One network (``net`` overrides the language's vocab_size / max_len / size / arch; ``dim``
    sets the embedding width, default from ``size``)."""
    setting = {k: net.get(k, cfg.setting(k)) for k in ("vocab_size", "max_len", "arch", "size", "lr")}
    return conv_train(
        train_texts,
        y_tr,
        ratings.astype(np.float32),
        vocab_size=setting["vocab_size"],
        max_len=setting["max_len"],
        epochs=cfg.setting("epochs"),
        arch=setting["arch"],
        size=setting["size"],
        dim=net.get("dim"),
        lr=setting["lr"],
        seed=cfg.seed + net.get("seed_offset", 0),
        valid=valid,
        tokens="words" if net.get("input") == "morphemes" else "bpe",
        kernels=tuple(net.get("kernels", (2, 3, 5))),
        log=log,
    )


def _network_parts(cfg: TrainConfig, texts: dict, morph: dict, y_tr, y_va, ratings, log, started: float):
    """The BPE network and the extra networks (e.g. over Kiwi morphemes); logs seconds since ``started``."""
    conv = _net_train(texts[data.TRAIN], y_tr, ratings, (texts[data.VALID], y_va), cfg, {}, log)
    log(f"[{cfg.lang}] network trained, {time.time() - started:.0f}s")
    nets = []
    for net in cfg.setting("extra_nets"):
        inputs = (
            {name: [" ".join(m) for m in morph[name]] for name in (data.TRAIN, data.VALID)}
            if net["input"] == "morphemes"
            else texts
        )
        nets.append(_net_train(inputs[data.TRAIN], y_tr, ratings, (inputs[data.VALID], y_va), cfg, net, log))
        log(f"[{cfg.lang}] network over {net['input']} trained, {time.time() - started:.0f}s")
    return conv, nets


def _meta(cfg: TrainConfig, extra_linear, nets) -> dict:
    neg_max, pos_min = PROTOCOLS[cfg.lang]
    version = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    return {
        "language": cfg.lang,
        "version": f"{cfg.lang}-{version}",
        "features": cfg.setting("features").as_dict(),
        "max_len": cfg.setting("max_len"),
        "protocol": {"negative_max": neg_max, "positive_min": pos_min},
        "reg_row_norm": cfg.setting("ridge_alpha") is not None,
        "extra_linear": _linear_meta(extra_linear),
        "extra_nets": [
            {"input": net["input"], "max_len": net.get("max_len", cfg.setting("max_len"))}
            for net in cfg.setting("extra_nets")[: len(nets)]
        ],
    }


def train_sentiment(cfg: TrainConfig, *, log=print) -> dict:
    """Train, evaluate on the held-out test split, write ``movies-sentiment-<lang>.npz``.

    Returns the manifest entry (without writing the manifest: the caller does that).
    """
    started = time.time()
    lang = cfg.lang
    neg_max, pos_min = PROTOCOLS[lang]
    if cfg.threads:
        import torch

        torch.set_num_threads(cfg.threads)
    reviews = data.read_reviews(cfg.data_path, limit=cfg.limit)
    parts = data.split_reviews(reviews)
    train, valid = parts[data.TRAIN], parts[data.VALID]
    log(f"[{lang}] {len(reviews)} reviews: train {len(train)} valid {len(valid)} test {len(parts[data.TEST])}")
    texts = {name: [normalize(t) for t in part.texts] for name, part in parts.items()}
    morph = {name: None for name in parts}
    if _morphemes_needed(cfg):
        from ..morph import morphemes

        morph = {name: morphemes(texts[name]) for name in parts}
        log(f"[{lang}] Kiwi morphemes, {time.time() - started:.0f}s")
    y_tr = data.binary_labels(train.ratings, neg_max=neg_max, pos_min=pos_min)
    y_va = data.binary_labels(valid.ratings, neg_max=neg_max, pos_min=pos_min)
    heads, halves = _linear_heads(cfg, parts, texts, morph, log, crossfit=cfg.setting("crossfit"))
    cls, reg, extra_linear = heads[0]
    log(f"[{lang}] linear models fitted, {time.time() - started:.0f}s")
    conv, nets = None, []
    if cfg.setting("epochs") > 0:
        conv, nets = _network_parts(cfg, texts, morph, y_tr, y_va, train.ratings, log, started)
    meta = _meta(cfg, extra_linear, nets)
    meta["linear_fit"] = _linear_fit_note(halves)
    encoder = _encoder_part(cfg, log) if cfg.sst2_path is not None and cfg.setting("encoder") else None
    if encoder is not None:
        meta["encoder"] = encoder[0]
        log(f"[{lang}] encoder trained, {time.time() - started:.0f}s")
    arrays = _stack_arrays(
        meta,
        cls,
        reg,
        conv,
        {},
        extra_linear=extra_linear,
        extra_nets=nets,
        encoder=encoder,
        quantise=cfg.setting("quantise"),
    )
    # Signals from the arrays as stored (fp16 / int8 weights, fp16 networks): the figures are
    # those of the artifact that ships. _finish fits the tables on the validation signals.
    signals = _split_signals(arrays, heads, halves, texts)
    _sst2_signals(cfg, arrays, parts, signals)
    return _finish(cfg, arrays, meta, parts, signals, reviews, started, log)


def _encoder_part(cfg: TrainConfig, log) -> tuple[dict, object]:
    """(config for ``meta.encoder``, model): the encoder fine-tuned on the SST-2 training
    phrases, its epoch chosen on the SST-2 validation sentences (:mod:`apps.movies.ml.sst2`)."""
    settings = cfg.setting("encoder")
    train, valid = sst2.split_phrases(sst2.read_phrases(cfg.sst2_path))
    train = sst2.training_subset(train, settings.get("phrases"))
    log(f"[{cfg.lang}] SST-2: {len(train)} training phrases, {len(valid)} validation sentences")
    config = encoder_config(settings)
    config["base_sha256"] = base_sha256(config["base"])
    _, model = encoder_train(
        [normalize(t) for t in train.texts],
        train.labels,
        config=config,
        epochs=settings["epochs"],
        batch_size=settings["batch_size"],
        lr=settings["lr"],
        seed=cfg.seed,
        valid=([normalize(t) for t in valid.texts], valid.labels),
        log=log,
    )
    return config, model


def _sst2_signals(cfg: TrainConfig, arrays: dict, parts: dict, signals: dict) -> None:
    """Add the SST-2 validation sentences and their signals (``SST2_VALID``) for an artifact
    with an encoder: its blend and calibration are fitted on them too."""
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    if not meta.get("encoder"):
        return
    if cfg.sst2_path is None:
        raise ValueError("this model's blend is fitted on SST-2 validation sentences too: pass --sst2")
    valid = sst2.split_phrases(sst2.read_phrases(cfg.sst2_path))[1]
    parts[SST2_VALID] = valid
    probe = LanguageModel({**arrays, **_placeholder_tables(signal_count(meta))})
    signals[SST2_VALID] = probe.signals([normalize(t) for t in valid.texts])


def _finish(cfg, arrays, meta, parts, signals, reviews, started, log) -> dict:
    """Fit the tables on validation, evaluate on test, write the artifact; return the entry."""
    lang = cfg.lang
    neg_max, pos_min = PROTOCOLS[lang]
    valid, test = parts[data.VALID], parts[data.TEST]
    y_va = data.binary_labels(valid.ratings, neg_max=neg_max, pos_min=pos_min)
    probe = LanguageModel({**arrays, **_placeholder_tables(signals[data.VALID].shape[1])})
    sst = parts.get(SST2_VALID)
    extra = (signals[SST2_VALID], sst.labels) if sst is not None else None
    arrays.update(
        _fit_tables(
            signals[data.VALID],
            y_va,
            valid.ratings,
            valid.ids,
            probe.signal_columns(),
            cfg.setting("rating_in_blend"),
            extra=extra,
        )
    )
    model = LanguageModel(arrays)
    metrics = {
        "test": evaluate(model, test, lang, signals[data.TEST]),
        "valid": evaluate(model, valid, lang, signals[data.VALID]),
        "train_seconds": round(time.time() - started, 1),
    }
    if sst is not None:
        # In-sample for the blend, and the encoder's epoch was chosen on these sentences.
        p = model.from_signals(signals[SST2_VALID])[0]
        metrics[SST2_VALID] = {
            "n": len(sst),
            "accuracy": round(accuracy(p, sst.labels), 4),
            # the encoder's logit: the third column from the end
            "accuracy_encoder_only": round(accuracy((signals[SST2_VALID][:, -3] > 0).astype(float), sst.labels), 4),
        }
    log(f"[{lang}] test: {json.dumps(metrics['test'])}")
    meta["metrics"] = metrics
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    cfg.out_dir.mkdir(parents=True, exist_ok=True)
    name = NAMES[lang]
    path = cfg.out_dir / f"{name}.npz"
    np.savez_compressed(path, **arrays)
    return {
        "name": name,
        "version": meta["version"],
        "format": FORMAT,
        **({"weights_from": meta["weights_from"]} if "weights_from" in meta else {}),
        "path": path.name,
        "sha256": data.file_sha256(path),
        "size_bytes": path.stat().st_size,
        "metrics": metrics,
        "command": cfg.command,
        "data": {
            "path": str(cfg.data_path),
            "sha256": data.file_sha256(cfg.data_path),
            "rows": len(reviews),
            "limit": cfg.limit,
            **(
                {"sst2": {"path": str(cfg.sst2_path), "sha256": data.file_sha256(cfg.sst2_path)}}
                if sst is not None
                else {}
            ),
        },
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "seed": cfg.seed,
    }


def refit_tables(cfg: TrainConfig, *, refit_linear: bool = False, log=print) -> dict:
    """Keep the trained weights of the artifact in ``cfg.out_dir`` and fit only the validation
    tables (blend, calibration, rating map) again with the current code; writes a new version.
    With ``refit_linear`` the linear parts are fitted again too, with the current recipe
    (cross-fitted where it says so); the networks are kept.

    A development shortcut for when only the table-fitting or linear code changed, so the slow
    network training is not repeated: the result depends on an earlier artifact, so
    ``meta.weights_from`` and the manifest entry's ``weights_from`` name the artifact whose
    networks (and, without ``refit_linear``, linear weights) were kept. :func:`train_sentiment`
    rebuilds every part from the data.
    """
    started = time.time()
    arrays = load_arrays(cfg.out_dir / f"{NAMES[cfg.lang]}.npz")
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    previous = meta["version"]
    meta["version"] = f"{cfg.lang}-" + dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    meta["weights_from"] = meta.get("weights_from", previous)
    reviews = data.read_reviews(cfg.data_path, limit=cfg.limit)
    parts = data.split_reviews(reviews)
    texts = {name: [normalize(t) for t in part.texts] for name, part in parts.items()}
    arrays, meta, signals = artifact_signals(cfg, arrays, meta, parts, texts, refit_linear=refit_linear, log=log)
    _sst2_signals(cfg, arrays, parts, signals)
    log(f"[{cfg.lang}] validation and test signals, {time.time() - started:.0f}s")
    return _finish(cfg, arrays, meta, parts, signals, reviews, started, log)


def artifact_signals(
    cfg: TrainConfig, arrays: dict, meta: dict, parts: dict, texts: dict, *, refit_linear: bool = False, log=print
) -> tuple[dict, dict, dict]:
    """``(arrays, meta, {valid, test: signals})`` of a trained artifact, the signals its tables
    are fitted on (also what bench/movies_sentiment_parts.py measures).

    An artifact whose linear parts saw the validation split (``meta.linear_fit``) gets its
    validation signals from the two fits that leave one half out, fitted again here with the
    current recipe (the same code and seed give the same weights). With ``refit_linear`` the
    shipped linear parts are fitted again too, cross-fitted if the recipe says so, and replace
    those in ``arrays``; the networks are kept either way.
    """
    crossfit = cfg.setting("crossfit") if refit_linear else meta.get("linear_fit", "train") != "train"
    heads, halves = [], None
    if refit_linear or crossfit:
        recipe = [spec.as_dict() for spec in (cfg.setting("features"), *cfg.setting("extra_linear"))]
        stored = [meta["features"], *(head["features"] for head in meta.get("extra_linear", []))]
        if json.loads(json.dumps(recipe)) != stored:
            raise ValueError("the artifact's linear features differ from the current recipe: train it again")
        morph = {name: None for name in parts}
        if _morphemes_needed(cfg):
            from ..morph import morphemes

            morph = {name: morphemes(texts[name]) for name in (data.TRAIN, data.VALID)}
        heads, halves = _linear_heads(cfg, parts, texts, morph, log, crossfit=crossfit, shipped=refit_linear)
    if refit_linear:
        arrays, meta = _with_linear(arrays, meta, heads[0], cfg.setting("quantise"))
        meta["reg_row_norm"] = cfg.setting("ridge_alpha") is not None
        meta["linear_fit"] = _linear_fit_note(halves)
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        log(f"[{cfg.lang}] linear parts refitted")
    return arrays, meta, _split_signals(arrays, heads, halves, texts)
