"""Evaluation metrics used by training and the bench scripts."""

from __future__ import annotations

import numpy as np
from scipy.stats import spearmanr


def accuracy(p: np.ndarray, y: np.ndarray) -> float:
    return float(((p >= 0.5).astype(int) == y).mean()) if len(y) else float("nan")


def expected_calibration_error(p: np.ndarray, y: np.ndarray, *, bins: int = 15) -> float:
    """ECE with equal-width bins over P(positive): sum of |mean(p) - mean(y)| weighted by bin size."""
    if not len(y):
        return float("nan")
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            total += mask.mean() * abs(p[mask].mean() - y[mask].mean())
    return float(total)


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def rating_metrics(pred: np.ndarray, true: np.ndarray) -> dict:
    return {
        "mae": float(np.abs(pred - true).mean()),
        "spearman": float(spearmanr(pred, true).statistic),
    }
