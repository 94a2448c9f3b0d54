"""Camera motion of a shot from its grey analysis thumbnails. Pure: numpy and OpenCV only.

The same alignment the shot detector uses (phase correlation on blurred thumbnails, Hanning
window) gives each frame's shift from the one before; run on the four quadrants as well, it
also gives zoom: zooming in pushes the left half left and the right half right, so the spread
of the quadrant shifts over their distance is the scale change per frame. Over the shot:

* **pan** / **tilt** when the picture drifts one way at ``DRIFT_MIN`` frame widths (heights)
  per second or faster, steadily (the mean shift stands out of its own noise);
* **zoom** otherwise, when the scale changes by ``ZOOM_MIN`` or more in all;
* **handheld** when the frame-to-frame shift varies by ``JITTER_MIN`` of the frame or more
  (standard deviation) without a steady drift;
* **static** otherwise.
"""

from __future__ import annotations

import cv2
import numpy as np

MAX_PAIRS = 60  # frame pairs measured per shot (evenly spread): cost stays flat
ZOOM_MIN = 0.1  # total scale change over the shot (+ in, - out)
DRIFT_MIN = 0.05  # frame widths (or heights) per second
JITTER_MIN = 0.01  # standard deviation of the shift between frames, in frame sizes


def _prepare(grey: np.ndarray) -> np.ndarray:
    return cv2.GaussianBlur(grey.astype(np.float32), (0, 0), 1.2)


def _shift(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    window = cv2.createHanningWindow((a.shape[1], a.shape[0]), cv2.CV_32F)
    (dx, dy), _ = cv2.phaseCorrelate(a.copy(), b.copy(), window)
    h, w = a.shape
    return (dx, dy) if abs(dx) < w / 2 and abs(dy) < h / 2 else (0.0, 0.0)


def pair_motion(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """(dx, dy, scale change) from grey frame ``a`` to ``b``; shifts in pixels."""
    fa, fb = _prepare(a), _prepare(b)
    dx, dy = _shift(fa, fb)
    h, w = fa.shape
    hh, hw = h // 2, w // 2
    quads = {
        (x, y): _shift(
            fa[y * hh : (y + 1) * hh, x * hw : (x + 1) * hw], fb[y * hh : (y + 1) * hh, x * hw : (x + 1) * hw]
        )
        for x in (0, 1)
        for y in (0, 1)
    }
    # Quadrant centres are hw apart horizontally and hh vertically.
    sx = ((quads[1, 0][0] + quads[1, 1][0]) - (quads[0, 0][0] + quads[0, 1][0])) / (2 * hw)
    sy = ((quads[0, 1][1] + quads[1, 1][1]) - (quads[0, 0][1] + quads[1, 0][1])) / (2 * hh)
    return float(dx), float(dy), float((sx + sy) / 2)


def camera_motion(grey: np.ndarray, fps: float) -> dict:
    """Classify the camera motion over a run of grey frames ``(N, h, w)``.

    Returns ``{"camera": "static|pan|tilt|zoom|handheld", "drift_x", "drift_y" (frame sizes
    per second, signed), "zoom" (total scale change, signed), "jitter"}``.
    """
    n = len(grey)
    if n < 3:
        return {"camera": "static", "drift_x": 0.0, "drift_y": 0.0, "zoom": 0.0, "jitter": 0.0}
    h, w = grey.shape[1:]
    starts = np.unique(np.linspace(0, n - 2, min(MAX_PAIRS, n - 1)).round().astype(int))
    moves = np.array([pair_motion(grey[i], grey[i + 1]) for i in starts])
    fps = fps or 25.0
    steps = moves[:, :2] / np.array([w, h])
    mean, spread = steps.mean(axis=0), steps.std(axis=0)
    # A drift is a move the jitter cannot explain: its mean stands out of the noise of a mean.
    steady = np.abs(mean) > 3 * spread / np.sqrt(len(steps))
    drift_x, drift_y = (float(v) * fps for v in mean)
    zoom = float(np.median(moves[:, 2])) * (n - 1)
    jitter = float(np.hypot(*spread))
    moving = [abs(d) if ok and abs(d) >= DRIFT_MIN else 0.0 for d, ok in zip((drift_x, drift_y), steady)]
    # Drift first: new picture entering at one side also makes the quadrants disagree.
    if max(moving) > 0:
        kind = "pan" if moving[0] >= moving[1] else "tilt"
    elif abs(zoom) >= ZOOM_MIN:
        kind = "zoom"
    elif jitter >= JITTER_MIN:
        kind = "handheld"
    else:
        kind = "static"
    return {
        "camera": kind,
        "drift_x": round(drift_x, 4),
        "drift_y": round(drift_y, 4),
        "zoom": round(zoom, 4),
        "jitter": round(jitter, 4),
    }
