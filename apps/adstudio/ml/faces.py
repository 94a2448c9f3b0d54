"""Frontal face detection with OpenCV's Haar cascade, evaluated in numpy.

OpenCV 5 moved ``CascadeClassifier`` and its XML models out of the main wheel (to contrib's
xobjdetect, which ships no models either), so the cascade the brief names is no longer
"bundled". We ship OpenCV's ``haarcascade_frontalface_default.xml`` (Intel License, notice kept
inside the file; gzipped in ``data/``) and evaluate it the way ``detectMultiScale`` does:
integral images per scale, variance-normalised stump classifiers, stage by stage on the windows
still alive (vectorised over windows), then OpenCV's rectangle grouping. When a ``cv2`` with
``CascadeClassifier`` is installed we use it instead.
"""

from __future__ import annotations

import gzip
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

CASCADE_PATH = Path(__file__).parent / "data" / "haarcascade_frontalface_default.xml.gz"


@dataclass
class _Stage:
    threshold: float
    corners: np.ndarray  # (F, C, 2) x, y of each of its rectangles' corners in the window
    coef: np.ndarray  # (F, C) the corner's sign times its rectangle's weight (0: padding)
    node_thr: np.ndarray  # (F,)
    leaves: np.ndarray  # (F, 2): value when below / not below the threshold


@dataclass
class Cascade:
    width: int
    height: int
    stages: list[_Stage]


@lru_cache(maxsize=1)
def cascade_load(path: Path = CASCADE_PATH) -> Cascade:
    with gzip.open(path, "rb") as fh:
        root = ET.parse(fh).getroot().find("cascade")
    feats = [[[float(v) for v in r.text.split()] for r in f.find("rects")] for f in root.find("features")]
    stages = []
    for st in root.find("stages"):
        weak = st.find("weakClassifiers")
        nodes = [[float(v) for v in w.find("internalNodes").text.split()] for w in weak]
        leaves = [[float(v) for v in w.find("leafValues").text.split()] for w in weak]
        size = 4 * max(len(feats[int(node[2])]) for node in nodes)
        corners = np.zeros((len(nodes), size, 2), np.int64)
        coef = np.zeros((len(nodes), size))
        for i, node in enumerate(nodes):
            for j, (x, y, w, h, weight) in enumerate(feats[int(node[2])]):
                # A box's sum from the integral image: bottom right - top right - bottom left
                # + top left.
                corners[i, 4 * j : 4 * j + 4] = (x + w, y + h), (x + w, y), (x, y + h), (x, y)
                coef[i, 4 * j : 4 * j + 4] = weight, -weight, -weight, weight
        stages.append(
            _Stage(
                float(st.find("stageThreshold").text), corners, coef, np.array([n[3] for n in nodes]), np.array(leaves)
            )
        )
    return Cascade(int(root.find("width").text), int(root.find("height").text), stages)


def faces_detect(
    grey: np.ndarray, *, scale_factor: float = 1.15, min_neighbors: int = 5, min_size: int = 24
) -> list[tuple[int, int, int, int]]:
    """Face rectangles (x, y, w, h) in a uint8 grey image."""
    if hasattr(cv2, "CascadeClassifier"):  # a cv2 that still has it (4.x, or contrib builds)
        return _opencv_detect(grey, scale_factor, min_neighbors, min_size)
    cascade = cascade_load()
    found: list[tuple[int, int, int, int]] = []
    for factor, size, step in scan_scales(grey.shape, scale_factor, min_size):
        scaled = cv2.resize(grey, size, interpolation=cv2.INTER_LINEAR)
        for y, x in _windows(scaled, cascade, step):
            found.append(
                (
                    int(round(x * factor)),
                    int(round(y * factor)),
                    int(round(cascade.width * factor)),
                    int(round(cascade.height * factor)),
                )
            )
    return rectangles_group(found, min_neighbors)


def scan_scales(
    shape: tuple[int, int], scale_factor: float = 1.15, min_size: int = 24
) -> list[tuple[float, tuple[int, int], int]]:
    """The scales ``faces_detect`` scans an image of ``shape`` (h, w) at, as OpenCV does:
    (factor, the scaled image's (w, h), window step in its pixels)."""
    cascade = cascade_load()
    h, w = shape
    factor = max(1.0, min_size / cascade.width)
    scales = []
    while cascade.width * factor <= w and cascade.height * factor <= h:
        scales.append((factor, (int(round(w / factor)), int(round(h / factor))), 1 if factor > 2 else 2))
        factor *= scale_factor
    return scales


def scan_windows(shape: tuple[int, int], scale_factor: float = 1.15, min_size: int = 24) -> int:
    """How many windows the cascade's first stage evaluates on an image of ``shape``: its cost."""
    cascade = cascade_load()
    return sum(
        ((sw - cascade.width) // step + 1) * ((sh - cascade.height) // step + 1)
        for _, (sw, sh), step in scan_scales(shape, scale_factor, min_size)
    )


def _opencv_detect(grey, scale_factor, min_neighbors, min_size):
    xml = Path(cv2.data.haarcascades) / "haarcascade_frontalface_default.xml"
    detector = cv2.CascadeClassifier(str(xml))
    rects = detector.detectMultiScale(
        grey, scaleFactor=scale_factor, minNeighbors=min_neighbors, minSize=(min_size, min_size)
    )
    return [tuple(int(v) for v in r) for r in rects]


def _windows(img: np.ndarray, cascade: Cascade, step: int) -> list[tuple[int, int]]:
    h, w = img.shape
    ii, sq = cv2.integral2(img, sdepth=cv2.CV_64F, sqdepth=cv2.CV_64F)
    stride = ii.shape[1]
    flat, sqflat = ii.ravel(), sq.ravel()
    ys, xs = np.meshgrid(
        np.arange(0, h - cascade.height + 1, step), np.arange(0, w - cascade.width + 1, step), indexing="ij"
    )
    ys, xs = ys.ravel(), xs.ravel()
    # Variance normalisation over the window less a one-pixel border, as OpenCV does.
    nw, nh = cascade.width - 2, cascade.height - 2
    base = (ys + 1) * stride + xs + 1
    s = _box(flat, base, nw, nh, stride)
    s2 = _box(sqflat, base, nw, nh, stride)
    nf = nw * nh * s2 - s * s
    nf = np.where(nf > 0, np.sqrt(np.maximum(nf, 0)), 1.0)
    origin = ys * stride + xs
    for stage in cascade.stages:
        if origin.size == 0:
            break
        # Every feature's corners in one gather; the sums are exact integers in any order.
        offsets = stage.corners[..., 1] * stride + stage.corners[..., 0]
        total = np.einsum("fcn,fc->fn", flat[origin + offsets[..., None]], stage.coef)
        below = total < stage.node_thr[:, None] * nf[None, :]
        votes = np.where(below, stage.leaves[:, :1], stage.leaves[:, 1:]).sum(axis=0)
        keep = votes >= stage.threshold
        origin, nf = origin[keep], nf[keep]
    return [(int(o // stride), int(o % stride)) for o in origin]


def _box(flat, top_left, w, h, stride):
    return flat[top_left + h * stride + w] - flat[top_left + w] - flat[top_left + h * stride] + flat[top_left]


def rectangles_group(
    rects: list[tuple[int, int, int, int]], min_neighbors: int, eps: float = 0.2
) -> list[tuple[int, int, int, int]]:
    """OpenCV's groupRectangles: cluster similar boxes, keep clusters with enough members."""
    n = len(rects)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if _similar(rects[i], rects[j], eps):
                parent[find(i)] = find(j)
    clusters: dict[int, list] = {}
    for i in range(n):
        clusters.setdefault(find(i), []).append(rects[i])
    groups = [(np.mean(members, axis=0), len(members)) for members in clusters.values() if len(members) > min_neighbors]
    out = []
    for r1, n1 in groups:
        inside = any(n2 > max(3, n1) and _contains(r2, r1) for r2, n2 in groups if r2 is not r1)
        if not inside:
            out.append(tuple(int(round(v)) for v in r1))
    return out


def _similar(a, b, eps) -> bool:
    delta = eps * (min(a[2], b[2]) + min(a[3], b[3])) * 0.5
    return (
        abs(a[0] - b[0]) <= delta
        and abs(a[1] - b[1]) <= delta
        and abs(a[0] + a[2] - b[0] - b[2]) <= delta
        and abs(a[1] + a[3] - b[1] - b[3]) <= delta
    )


def _contains(outer, inner) -> bool:
    dx, dy = outer[2] * 0.2, outer[3] * 0.2
    return (
        inner[0] >= outer[0] - dx
        and inner[1] >= outer[1] - dy
        and inner[0] + inner[2] <= outer[0] + outer[2] + dx
        and inner[1] + inner[3] <= outer[1] + outer[3] + dy
    )
