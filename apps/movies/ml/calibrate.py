"""Small fitted tables: score blending, isotonic probability calibration, rating mapping."""

from __future__ import annotations

import numpy as np
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression


def blend_fit(signals: np.ndarray, y: np.ndarray, columns: list[int]) -> np.ndarray:
    """Logistic regression on the chosen signal columns -> weights for all 4 columns + bias."""
    model = LogisticRegression(C=1.0, max_iter=1000)
    model.fit(signals[:, columns], y)
    weights = np.zeros(5)
    weights[columns] = model.coef_[0]
    weights[4] = model.intercept_[0]
    return weights


def isotonic_fit(score: np.ndarray, y: np.ndarray, *, knots: int = 200) -> tuple[np.ndarray, np.ndarray]:
    """Isotonic map score -> P(positive), stored as an interpolation table of <= ``knots`` points.

    Probabilities are kept inside [0.005, 0.995]: a review model is never certain.
    """
    iso = IsotonicRegression(y_min=0.005, y_max=0.995, out_of_bounds="clip")
    iso.fit(score, y)
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
