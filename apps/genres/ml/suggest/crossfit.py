"""Cross-fitting: K fold models give every training movie an out-of-fold (OOF) prediction.

Per-genre thresholds tuned on the ~360 validation movies with both modalities are noisy (rare genres
have a handful of positives there). The training movies are split into K folds by a hash of the id;
each fold model (the head set, e.g. late + attention + GMU + text) is trained on the other K-1 folds
(early stopping on validation as usual), so every training movie gets a prediction from a model that
never saw it, and thresholds can be tuned on OOF + validation rows (~2,100 movies with both
modalities instead of ~360).
"""

from __future__ import annotations

import hashlib

import numpy as np

from ..experiment import posters_hidden, train_one
from ..heads import EnsembleHead
from ..metrics import halvings, macro_f1, metrics_compute, thresholds_apply, thresholds_by_pattern, thresholds_tune
from ..train import logits_of
from ..vocab import IMDB_GENRES

SOURCES = ("val", "oof", "oof+val")


def fold_of(movie_id: str, folds: int) -> int:
    return int(hashlib.sha1(f"fold|{movie_id}".encode()).hexdigest(), 16) % folds


def subset(d: dict, rows: np.ndarray) -> dict:
    """The rows (bool per row) of one split's data (features, labels, patterns, ids)."""
    ids = [i for i, keep in zip(d["ids"], rows) if keep]
    return {"feats": d["feats"].rows(ids), "y": d["y"][rows], "patterns": d["patterns"][rows], "ids": ids}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def mean_logits(heads, feats) -> np.ndarray:
    return np.mean([logits_of(h, feats) for h in heads], axis=0)


def crossfit_train(kinds, cfg: dict, data: dict, folds: int, *, progress=None) -> tuple[dict, list[list]]:
    """Train the head set ``kinds`` once per fold on the other folds of ``data["train"]``.

    Returns the logits (``oof``, ``oof_hidden`` = OOF with posters hidden for the rows with both
    modalities, ``val`` / ``val_hidden`` per fold model, with the labels, patterns and folds they
    belong to) and the fold models (``heads[k]`` = fold k's heads in ``kinds`` order). Raises
    ValueError when a fold is empty (too few training movies for ``folds``).
    """
    progress = progress or (lambda note: None)
    tr, val = data["train"], data["val"]
    fold = np.array([fold_of(i, folds) for i in tr["ids"]])
    empty = sorted(set(range(folds)) - set(fold.tolist()))
    if empty:
        raise ValueError(f"{len(tr['ids'])} training movies leave fold {empty[0]} of {folds} empty; use fewer folds")
    both_tr, both_val = tr["patterns"] == "both", val["patterns"] == "both"
    oof = np.zeros((len(fold), len(IMDB_GENRES)), np.float32)
    oof_hidden = np.zeros((int(both_tr.sum()), len(IMDB_GENRES)), np.float32)
    val_logits, val_hidden, fold_heads = [], [], []
    for k in range(folds):
        held = fold == k
        heads = []
        for kind in kinds:
            head, fit, _ = train_one(kind, cfg, {"train": subset(tr, ~held), "val": val})
            heads.append(head)
            progress(f"fold {k} {kind}: {fit['epochs_run']} epochs, val mAP {fit['best_val_map']:.4f}")
        oof[held] = mean_logits(heads, subset(tr, held)["feats"])
        oof_hidden[held[both_tr]] = mean_logits(heads, posters_hidden(tr["feats"], held & both_tr))
        val_logits.append(mean_logits(heads, val["feats"]))
        val_hidden.append(mean_logits(heads, posters_hidden(val["feats"], both_val)))
        fold_heads.append(heads)
    logits = {
        "oof": oof,
        "oof_hidden": oof_hidden,
        "train_y": tr["y"],
        "train_patterns": tr["patterns"],
        "fold": fold,
        "val": np.stack(val_logits),
        "val_hidden": np.stack(val_hidden),
        "val_y": val["y"],
        "val_patterns": val["patterns"],
    }
    return logits, fold_heads


def tune(source: str, oof_y, oof_p, val_y, val_p, shrink: float) -> np.ndarray:
    """Per-genre thresholds tuned on validation rows, OOF rows or both (``source`` in SOURCES)."""
    if source == "val":
        return thresholds_tune(val_y, val_p, shrink=shrink)
    if source == "oof":
        return thresholds_tune(oof_y, oof_p, shrink=shrink)
    return thresholds_tune(np.concatenate([oof_y, val_y]), np.concatenate([oof_p, val_p]), shrink=shrink)


def thresholds_table(source: str, z: dict, p_val, p_val_hidden, shrink: float) -> dict:
    """Per pattern, as metrics.thresholds_by_pattern (+ the plot-only row), on OOF and/or validation rows.

    ``z``: the logits of ``crossfit_train``; ``p_val`` / ``p_val_hidden``: the model's validation
    probabilities, with posters and with them hidden for the rows with both modalities.
    """
    parts_y, parts_p, parts_pat = [], [], []
    if source in ("oof", "oof+val"):
        parts_y.append(z["train_y"])
        parts_p.append(sigmoid(z["oof"]))
        parts_pat.append(z["train_patterns"])
    if source in ("val", "oof+val"):
        parts_y.append(z["val_y"])
        parts_p.append(p_val)
        parts_pat.append(z["val_patterns"])
    y, p, pat = np.concatenate(parts_y), np.concatenate(parts_p), np.concatenate(parts_pat)
    table = thresholds_by_pattern(y, p, pat, shrink=shrink)
    hy, hp = [], []
    if source in ("oof", "oof+val"):
        hy.append(z["train_y"][z["train_patterns"] == "both"])
        hp.append(sigmoid(z["oof_hidden"]))
    if source in ("val", "oof+val"):
        hy.append(z["val_y"][z["val_patterns"] == "both"])
        hp.append(p_val_hidden)
    hy, hp = np.concatenate(hy), np.concatenate(hp)
    local = thresholds_tune(hy, hp, min_pos=3, shrink=shrink)
    few = hy.sum(0) < 3
    local[few] = np.asarray(table["all"], dtype=np.float32)[few]
    table["text"] = local.tolist()
    return table


def ensemble_of(heads) -> EnsembleHead:
    """The mean-logit ensemble of trained heads, its weights rounded through float16 (as the saved
    artifact holds them, so figures computed with it are the artifact's)."""
    ens = EnsembleHead(members=[h.config for h in heads])
    for sub, h in zip(ens.members, heads):
        sub.load_state_dict(h.state_dict())
    ens.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in ens.state_dict().items()})
    return ens.eval()


def ensemble_evaluate(ens, data: dict, z: dict, source: str, shrink: float) -> tuple[dict, dict]:
    """The model's threshold table (tuned on ``source`` rows, ``z`` from ``crossfit_train``) and its
    figures: validation, the test subsets, test movies with their posters hidden (``test_plot_only``)."""
    val, test = data["val"], data["test"]
    vb, tb = val["patterns"] == "both", test["patterns"] == "both"
    p_val = sigmoid(logits_of(ens, val["feats"]))
    p_val_hidden = sigmoid(logits_of(ens, posters_hidden(val["feats"], vb)))
    table = thresholds_table(source, z, p_val, p_val_hidden, shrink)
    p_test = sigmoid(logits_of(ens, test["feats"]))
    th_val, th_test = thresholds_apply(table, val["patterns"]), thresholds_apply(table, test["patterns"])
    metrics = {
        "val": metrics_compute(val["y"], p_val, th_val, IMDB_GENRES),
        "val_both": metrics_compute(val["y"][vb], p_val[vb], th_val[vb], IMDB_GENRES),
    }
    # The validation-selection score of this very model: thresholds from the OOF rows + one half of
    # the validation movies with both modalities, scored on the other half; 50 random halvings.
    tr_b = z["train_patterns"] == "both"
    oy, op, y, p = z["train_y"][tr_b], sigmoid(z["oof"])[tr_b], val["y"][vb], p_val[vb]
    metrics["val_both"]["f1_macro_halfsplit"] = float(
        np.mean([macro_f1(y[s], p[s], tune(source, oy, op, y[t], p[t], shrink)) for t, s in halvings(len(y), 50)])
    )
    for name, rows in (("test_all", slice(None)), ("test_both", tb), ("test_image", test["patterns"] == "image")):
        metrics[name] = metrics_compute(test["y"][rows], p_test[rows], th_test[rows], IMDB_GENRES)
    p_hidden = sigmoid(logits_of(ens, posters_hidden(test["feats"], tb)))
    plot_th = np.tile(np.asarray(table["text"], np.float32), (len(p_hidden), 1))
    metrics["test_plot_only"] = metrics_compute(test["y"][tb], p_hidden, plot_th, IMDB_GENRES)
    return table, metrics
