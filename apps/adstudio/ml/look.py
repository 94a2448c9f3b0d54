"""How a scene looks, from its keyframes: palette, brightness, saturation, contrast, faces.

Pure functions on RGB arrays (no ORM, no torch). The palette is k-means in Lab space (distances
there follow perceived colour differences) over a downsampled copy of all keyframes together, so
a scene gets one palette rather than one per shot.
"""
from __future__ import annotations

import cv2
import numpy as np

from .faces import faces_detect

PALETTE_SIZE = 5


def palette_extract(
    images: list[np.ndarray], *, k: int = PALETTE_SIZE, seed: int = 0,
) -> list[dict]:
    """Dominant colours, largest share first: ``[{"hex": "#rrggbb", "share": 0.31}, ...]``."""
    if not images:
        return []
    pixels = np.concatenate([_sample(img) for img in images])
    lab = cv2.cvtColor(pixels.reshape(-1, 1, 3), cv2.COLOR_RGB2LAB).reshape(-1, 3)
    k = max(1, min(k, len(np.unique(lab, axis=0))))
    cv2.setRNGSeed(seed)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, labels, centres = cv2.kmeans(lab.astype(np.float32), k, None, criteria, 2,
                                    cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=k)
    rgb = cv2.cvtColor(np.clip(centres, 0, 255).astype(np.uint8).reshape(-1, 1, 3),
                       cv2.COLOR_LAB2RGB).reshape(-1, 3)
    order = np.argsort(counts)[::-1]
    total = counts.sum()
    return [{"hex": "#%02x%02x%02x" % tuple(int(c) for c in rgb[i]),
             "share": round(float(counts[i] / total), 3)} for i in order if counts[i]]


def _sample(img: np.ndarray, side: int = 64) -> np.ndarray:
    h, w = img.shape[:2]
    scale = side / max(h, w)
    small = cv2.resize(img, (max(1, int(w * scale)), max(1, int(h * scale))),
                       interpolation=cv2.INTER_AREA)
    return small.reshape(-1, 3)


def image_metrics(images: list[np.ndarray]) -> dict:
    """Brightness, saturation and contrast in 0..1, averaged over the images."""
    if not images:
        return {"brightness": 0.0, "saturation": 0.0, "contrast": 0.0}
    vals = []
    for img in images:
        hsv = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
        grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
        vals.append((hsv[..., 2].mean() / 255, hsv[..., 1].mean() / 255, grey.std() / 128))
    b, s, c = np.mean(vals, axis=0)
    return {"brightness": round(float(b), 3), "saturation": round(float(s), 3),
            "contrast": round(float(min(c, 1.0)), 3)}


def face_count(img: np.ndarray, *, width: int = 320) -> int:
    """Frontal faces in one RGB picture (OpenCV's frontal-face Haar cascade, see faces.py).

    Pictures are scaled to ``width`` first: faces smaller than 1/14 of the width are not
    what a moodboard cares about, and the cascade's cost grows with the pixel count.
    """
    h, w = img.shape[:2]
    if w > width:
        img = cv2.resize(img, (width, max(1, round(h * width / w))), interpolation=cv2.INTER_AREA)
    grey = cv2.equalizeHist(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY))
    return len(faces_detect(grey, min_neighbors=5, min_size=max(20, grey.shape[1] // 14)))


def colour_name(hex_colour: str) -> str:
    """A plain colour word for a hex value (for descriptions and tags)."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    hsv = cv2.cvtColor(np.uint8([[[r, g, b]]]), cv2.COLOR_RGB2HSV)[0, 0]
    hue, sat, val = int(hsv[0]) * 2, int(hsv[1]), int(hsv[2])
    if val < 45:
        return "black"
    if sat < 40:
        return "white" if val > 200 else "grey"
    names = [(15, "red"), (40, "orange"), (65, "yellow"), (160, "green"), (195, "cyan"),
             (255, "blue"), (290, "purple"), (335, "pink"), (361, "red")]
    name = next(n for limit, n in names if hue < limit)
    if name == "orange" and val < 150:
        return "brown"
    return name
