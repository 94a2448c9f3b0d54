"""Multi-label metrics and per-genre threshold tuning. Macro figures average over genres present
(at least one positive in ``y_true``): a genre absent from a split has no defined F1 or AP."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score, roc_auc_score

THRESHOLD_GRID = np.round(np.arange(0.02, 0.92, 0.02), 2)


def metrics_compute(y_true: np.ndarray, probs: np.ndarray, thresholds: np.ndarray, vocab) -> dict:
    """All run metrics: micro/macro/weighted/samples F1, precision, recall, macro ROC-AUC, mAP, per genre."""
    y_true = np.asarray(y_true).astype(int)
    y_pred = (probs >= thresholds).astype(int)
    present = np.flatnonzero(y_true.sum(0) > 0)
    if len(y_true) == 0 or len(present) == 0:
        return {"n": int(len(y_true)), "genres_present": 0}
    kw = dict(labels=present, zero_division=0)
    out = {"n": int(len(y_true)), "genres_present": int(len(present))}
    for avg in ("micro", "macro", "weighted", "samples"):
        out[f"f1_{avg}"] = float(f1_score(y_true, y_pred, average=avg, **kw))
        out[f"precision_{avg}"] = float(precision_score(y_true, y_pred, average=avg, **kw))
        out[f"recall_{avg}"] = float(recall_score(y_true, y_pred, average=avg, **kw))
    both = [g for g in present if y_true[:, g].min() == 0]  # AUC needs negatives as well
    out["roc_auc_macro"] = float(np.mean([roc_auc_score(y_true[:, g], probs[:, g]) for g in both])) if both else None
    aps = {g: float(average_precision_score(y_true[:, g], probs[:, g])) for g in present}
    out["map_macro"] = float(np.mean(list(aps.values())))
    f1s = f1_score(y_true, y_pred, average=None, labels=range(len(vocab)), zero_division=0)
    out["per_genre"] = {
        vocab[g]: {
            "f1": float(f1s[g]),
            "support": int(y_true[:, g].sum()),
            "ap": aps.get(g),
            "predicted": int(y_pred[:, g].sum()),
        }
        for g in range(len(vocab))
    }
    return out


# Per-genre thresholds tuned on a few hundred validation movies overfit (rare genres have a handful
# of positives), so each is pulled halfway toward the single threshold that is best for macro-F1
# on the same rows. Chosen on validation only: with thresholds tuned on one half of the validation
# movies and scored on the other, macro-F1 of the ensemble (3 training seeds) was 0.465 per-genre,
# 0.477 single, 0.479 shrunk by 0.5 (bench/movies_genres_reevaluate.py --strategies).
THRESHOLD_SHRINK = 0.5


def _single_threshold(y_true: np.ndarray, probs: np.ndarray) -> float:
    present = y_true.sum(0) > 0
    if not present.any():
        return 0.5
    pos = y_true[:, present] > 0
    best, best_f1 = 0.5, -1.0
    for t in THRESHOLD_GRID:
        pred = probs[:, present] >= t
        tp = (pred & pos).sum(0)
        f1 = np.mean(2 * tp / np.maximum(pred.sum(0) + pos.sum(0), 1))
        if f1 > best_f1:
            best, best_f1 = float(t), f1
    return best


def thresholds_tune(
    y_true: np.ndarray, probs: np.ndarray, *, default: float = 0.5, min_pos: int = 1, shrink: float = 0.0
) -> np.ndarray:
    """Per genre, the grid threshold with the best F1 on (validation) data; ``default`` if too few
    positives. ``shrink`` in [0, 1] pulls each toward the best single threshold for macro-F1."""
    thresholds = np.full(y_true.shape[1], default, dtype=np.float32)
    for g in range(y_true.shape[1]):
        pos = y_true[:, g] > 0
        if pos.sum() < min_pos:
            continue
        preds = probs[:, g][None, :] >= THRESHOLD_GRID[:, None]  # (T, N)
        tp = (preds & pos).sum(1)
        f1 = 2 * tp / np.maximum(preds.sum(1) + pos.sum(), 1)
        # Among equal F1 scores take the middle of the best band: less brittle than the first.
        best = np.flatnonzero(f1 == f1.max())
        thresholds[g] = THRESHOLD_GRID[best[len(best) // 2]]
    if shrink > 0:
        thresholds = (1 - shrink) * thresholds + shrink * _single_threshold(y_true, probs)
    return thresholds.astype(np.float32)


def thresholds_by_pattern(
    y_true, probs, patterns, *, min_rows: int = 60, min_pos: int = 3, shrink: float = THRESHOLD_SHRINK
) -> dict:
    """Thresholds per modality pattern (``both``/``text``/``image``), falling back to the global ones.

    Scores of a movie with both modalities are calibrated differently from poster-only ones, so
    one threshold per genre would be a compromise; a pattern with few validation rows (or a genre
    with few positives in it) keeps the global threshold.
    """
    patterns = np.asarray(patterns)
    glob = thresholds_tune(y_true, probs, shrink=shrink)
    out = {"all": glob.tolist()}
    for pattern in ("both", "text", "image"):
        rows = patterns == pattern
        if rows.sum() < min_rows:
            continue
        local = thresholds_tune(y_true[rows], probs[rows], min_pos=min_pos, shrink=shrink)
        few = y_true[rows].sum(0) < min_pos
        local[few] = glob[few]
        out[pattern] = local.tolist()
    return out


def thresholds_for(table: dict, pattern: str) -> np.ndarray:
    return np.asarray(table.get(pattern, table["all"]), dtype=np.float32)


def thresholds_apply(table: dict, patterns) -> np.ndarray:
    """Row-wise thresholds (N, G) for the given modality patterns."""
    return np.stack([thresholds_for(table, p) for p in patterns]) if len(patterns) else np.zeros((0, len(table["all"])))


def macro_f1(y: np.ndarray, p: np.ndarray, th: np.ndarray) -> float:
    """Macro-F1 over genres present in ``y`` (as metrics_compute / sklearn with zero_division=0), fast."""
    present = y.sum(0) > 0
    pred = p >= th
    tp = (pred & (y > 0)).sum(0)
    f1 = 2 * tp / np.maximum(pred.sum(0) + y.sum(0), 1)
    return float(f1[present].mean())


def halvings(n: int, repeats: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """``repeats`` random halvings of ``n`` rows, each used both ways: (tune rows, score rows) pairs.
    The same seed gives the same halvings, so candidates scored on them are compared paired."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(repeats):
        perm = rng.permutation(n)
        a = np.zeros(n, dtype=bool)
        a[perm[: n // 2]] = True
        out.extend([(a, ~a), (~a, a)])
    return out


def metrics_line(m: dict) -> str:
    """One subset's headline figures on one line ("-" where a figure is undefined, e.g. AUC of one movie)."""
    cols = (("macro-F1", "f1_macro"), ("micro-F1", "f1_micro"), ("mAP", "map_macro"), ("AUC", "roc_auc_macro"))
    shown = (f"{label} {'-' if m.get(key) is None else format(m[key], '.4f')}" for label, key in cols)
    return "  ".join(shown) + f"  n={m.get('n')}"
