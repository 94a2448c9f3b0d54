"""How a scene looks, from its keyframes: palette, brightness, saturation, contrast, faces.

Pure functions on RGB arrays (no ORM, no torch). The palette is k-means in Lab space (distances
there follow perceived colour differences) over a downsampled copy of all keyframes together, so
a scene gets one palette rather than one per shot.
"""

from __future__ import annotations

import cv2
import numpy as np

from .faces import faces_detect, scan_windows

PALETTE_SIZE = 5
# The cascade's votes a face needs: 12 kept every face the default 5 found on the tuning part
# of the labelled keyframes and none of its false ones (a cartoon rabbit, a synthetic blob).
FACE_MIN_NEIGHBORS = 12
# Faces are looked for on a copy this wide, from a tenth of its width (the cascade's 24-pixel
# window) up: under half the windows of the 320-wide copy scanned before, and the same faces
# on the tuning keyframes (bench/adstudio_faces.py). A coarser scale step (1.25 instead of
# OpenCV's 1.15) was cheaper still but lost the film still's face.
FACE_WIDTH = 240


def palette_extract(
    images: list[np.ndarray],
    *,
    k: int = PALETTE_SIZE,
    seed: int = 0,
) -> list[dict]:
    """Dominant colours, largest share first: ``[{"hex": "#rrggbb", "share": 0.31}, ...]``."""
    if not images:
        return []
    pixels = np.concatenate([_sample(img) for img in images])
    lab = cv2.cvtColor(pixels.reshape(-1, 1, 3), cv2.COLOR_RGB2LAB).reshape(-1, 3)
    k = max(1, min(k, len(np.unique(lab, axis=0))))
    cv2.setRNGSeed(seed)
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    _, labels, centres = cv2.kmeans(lab.astype(np.float32), k, None, criteria, 2, cv2.KMEANS_PP_CENTERS)
    counts = np.bincount(labels.ravel(), minlength=k)
    rgb = cv2.cvtColor(np.clip(centres, 0, 255).astype(np.uint8).reshape(-1, 1, 3), cv2.COLOR_LAB2RGB).reshape(-1, 3)
    order = np.argsort(counts)[::-1]
    total = counts.sum()
    return [
        {"hex": "#%02x%02x%02x" % tuple(int(c) for c in rgb[i]), "share": round(float(counts[i] / total), 3)}
        for i in order
        if counts[i]
    ]


def _sample(img: np.ndarray, side: int = 64) -> np.ndarray:
    h, w = img.shape[:2]
    scale = side / max(h, w)
    small = cv2.resize(img, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
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
    return {
        "brightness": round(float(b), 3),
        "saturation": round(float(s), 3),
        "contrast": round(float(min(c, 1.0)), 3),
    }


def faces_find(img: np.ndarray, *, width: int = FACE_WIDTH) -> list[tuple[int, int, int, int]]:
    """Frontal faces (x, y, w, h in the picture's pixels) in one RGB picture (OpenCV's
    frontal-face Haar cascade, see faces.py).

    Pictures are scaled to ``width`` first and faces narrower than a tenth of it (the cascade's
    24-pixel window at the default width) are not looked for: they are not what a tag or a shot
    scale cares about, and the cascade's cost grows with the pixel count.
    """
    h, w = img.shape[:2]
    scale = min(1.0, width / w)
    if scale < 1:
        img = cv2.resize(img, (width, max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    grey = cv2.equalizeHist(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY))
    found = faces_detect(grey, min_neighbors=FACE_MIN_NEIGHBORS, min_size=grey.shape[1] // 10)
    return [tuple(int(round(v / scale)) for v in rect) for rect in found]


def face_scan_windows(height: int, width: int) -> int:
    """How many windows ``faces_find`` scans on a picture of this size (its cost)."""
    scale = min(1.0, FACE_WIDTH / width)
    shape = (max(1, round(height * scale)), round(width * scale))
    return scan_windows(shape, min_size=shape[1] // 10)


def face_count(img: np.ndarray, *, width: int = FACE_WIDTH) -> int:
    """How many frontal faces ``faces_find`` sees."""
    return len(faces_find(img, width=width))


def colour_name(hex_colour: str) -> str:
    """A plain colour word for a hex value (for descriptions and tags)."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    hsv = cv2.cvtColor(np.uint8([[[r, g, b]]]), cv2.COLOR_RGB2HSV)[0, 0]
    hue, sat, val = int(hsv[0]) * 2, int(hsv[1]), int(hsv[2])
    if val < 45:
        return "black"
    if sat < 40:
        return "white" if val > 200 else "grey"
    names = [
        (15, "red"),
        (40, "orange"),
        (65, "yellow"),
        (160, "green"),
        (195, "cyan"),
        (255, "blue"),
        (290, "purple"),
        (335, "pink"),
        (361, "red"),
    ]
    name = next(n for limit, n in names if hue < limit)
    if name == "orange" and val < 150:
        return "brown"
    return name


SIGNAL_WIDTH = 160  # measurements run on a copy this wide: layout, not detail, matters


def look_signals(img: np.ndarray) -> dict[str, float]:
    """Measurements behind the vocabulary tags that need no classifier, each in 0..1.

    ``vegetation``: share of textured leaf-coloured pixels; ``sky``: share of the top third that is
    smooth, lit and not leaf-coloured; ``snow``: share of the lower half that is bright and
    nearly colourless; ``night``: how far a lit-but-dark, blue-cast picture is below day
    brightness; ``fire``: share of pixels bright enough and orange enough to be flames.
    """
    h, w = img.shape[:2]
    small = cv2.resize(img, (SIGNAL_WIDTH, max(1, round(h * SIGNAL_WIDTH / w))), interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(small, cv2.COLOR_RGB2HSV).astype(np.float32)
    hue, sat, val = hsv[..., 0] * 2, hsv[..., 1] / 255, hsv[..., 2] / 255
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY).astype(np.float32)
    mean = cv2.blur(grey, (5, 5))
    local_sd = np.sqrt(np.maximum(cv2.blur(grey * grey, (5, 5)) - mean * mean, 0))
    leaf = (hue >= 50) & (hue <= 170) & (sat > 0.25) & (val > 0.15)
    foliage = leaf & (local_sd > 12)  # leaves and grass are textured; a green wall is not
    smooth_lit = (local_sd < 6) & (val > 0.35) & ~leaf
    top, bottom = slice(0, max(1, small.shape[0] // 3)), slice(small.shape[0] // 2, None)
    pale = (sat < 0.18) & (val > 0.5)
    lit = val > 0.12
    r, b = small[..., 0].astype(np.float32), small[..., 2].astype(np.float32)
    blue_cast = float((b[lit].mean() - r[lit].mean()) / 255) if lit.any() else 0.0
    dark = float(np.clip((0.4 - val.mean()) / 0.25, 0, 1))  # 1 at 0.15 and below, 0 from 0.4
    night = dark * float(lit.mean() > 0.25) * float(np.clip(blue_cast * 10, 0, 1))
    flame = (hue <= 50) & (sat > 0.55) & (val > 0.85)
    return {
        "vegetation": round(float(foliage.mean()), 4),
        "sky": round(float(smooth_lit[top].mean()), 4),
        "snow": round(float(pale[bottom].mean()), 4),
        "night": round(night, 4),
        "fire": round(float(flame.mean()), 4),
    }
