"""Small fitted tables: score blending, isotonic probability calibration, rating mapping."""

from __future__ import annotations

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression


def blend_fit(
    signals: np.ndarray, y: np.ndarray, columns: list[int], *, weights: np.ndarray | None = None
) -> np.ndarray:
    """Logistic regression on the chosen signal columns (optionally weighted rows) -> weights
    for every column + bias."""
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit(signals[:, columns], y, sample_weight=weights)
    n = signals.shape[1]
    weights = np.zeros(n + 1)
    weights[columns] = model.coef_[0]
    weights[n] = model.intercept_[0]
    return weights


def isotonic_fit(
    score: np.ndarray, y: np.ndarray, *, knots: int = 200, weights: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Isotonic map score -> P(positive), stored as an interpolation table of <= ``knots`` points.

    Probabilities are kept inside [0.005, 0.995]: a review model is never certain.
    """
    iso = IsotonicRegression(y_min=0.005, y_max=0.995, out_of_bounds="clip")
    iso.fit(score, y, sample_weight=weights)
    x = np.quantile(score, np.linspace(0, 1, knots))
    x = np.unique(x)
    return x.astype(np.float64), iso.predict(x).astype(np.float64)


def median_map_fit(raw: np.ndarray, true: np.ndarray, *, bins: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Monotone map raw rating score -> conditional median of the true rating.

    Rows are cut into equal-count bins by ``raw``; each bin contributes (median raw, median true)
    and the medians are made non-decreasing. The median minimises absolute error, and linear
    interpolation between bins keeps ranks (Spearman) nearly intact.
    """
    order = np.argsort(raw, kind="stable")
    xs, ys = [], []
    for chunk in np.array_split(order, bins):
        if len(chunk):
            xs.append(float(np.median(raw[chunk])))
            ys.append(float(np.median(true[chunk])))
    ys = np.maximum.accumulate(np.asarray(ys))
    xs, index = np.unique(np.asarray(xs), return_index=True)
    return xs, ys[index]


def rating_mix_fit(
    raw: np.ndarray, rate_x: np.ndarray, rate_y: np.ndarray, true: np.ndarray, *, mae_slack: float = 0.03
) -> float:
    """Weight w of the linear score in ``(1 - w) * median_map(raw) + w * raw``.

    The median map alone minimises absolute error but is flat between bins (ties hurt rank
    correlation); the raw least-squares score ranks better. Among w in 0..1 pick the best
    Spearman whose MAE is within ``mae_slack`` of the lowest MAE.
    """
    from scipy.stats import spearmanr

    mapped = np.interp(raw, rate_x, rate_y)
    results = []
    for w in np.linspace(0, 1, 11):
        pred = np.round(np.clip((1 - w) * mapped + w * raw, 0, 10), 1)
        results.append((float(w), float(np.abs(pred - true).mean()), float(spearmanr(pred, true).statistic)))
    best_mae = min(r[1] for r in results)
    return max((r for r in results if r[1] <= best_mae + mae_slack), key=lambda r: r[2])[0]
