"""Per-frame signals for shot detection and motion, computed in one decoding pass.

Frames arrive already scaled down by ffmpeg (``ANALYSIS_WIDTH`` wide). For each frame we keep a
colour histogram, a small grey thumbnail, its mean and spread of brightness, and two distances to
the previous frame: the histogram distance and the *aligned* pixel residual, i.e. the difference
left after undoing the global shift that phase correlation finds. A camera pan moves the whole
picture, so its aligned residual stays small while a cut's does not; that is what keeps fast
camera motion from looking like cuts.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import cv2
import numpy as np

ANALYSIS_WIDTH = 128
HIST_BINS = (16, 4, 4)  # hue, saturation, value
_HIST_RANGES = [0, 180, 0, 256, 0, 256]


@dataclass
class FrameFeatures:
    fps: float
    hist: np.ndarray        # (N, 256) float32, rows sum to 1
    gray: np.ndarray        # (N, h, w) uint8 thumbnails
    luma: np.ndarray        # (N,) mean grey level 0..255
    spread: np.ndarray      # (N,) standard deviation of grey levels
    d_hist: np.ndarray      # (N,) histogram distance to the previous frame, 0..1 (0 for frame 0)
    d_aligned: np.ndarray   # (N,) aligned residual to the previous frame, 0..1
    motion: np.ndarray      # (N,) mean absolute change to the previous frame, 0..1

    @property
    def count(self) -> int:
        return len(self.luma)


def analysis_size(width: int, height: int) -> tuple[int, int]:
    h = max(8, int(round(ANALYSIS_WIDTH * height / max(width, 1) / 2)) * 2)
    return ANALYSIS_WIDTH, h


def frame_hist(rgb: np.ndarray) -> np.ndarray:
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hist = cv2.calcHist([hsv], [0, 1, 2], None, list(HIST_BINS), _HIST_RANGES).ravel()
    return (hist / max(hist.sum(), 1.0)).astype(np.float32)


def hist_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Half the L1 distance: 0 for equal histograms, 1 for disjoint ones (works row-wise)."""
    return 0.5 * np.abs(a - b).sum(axis=-1)


class _Aligner:
    """Aligned residual between two grey thumbnails (phase correlation, integer shift)."""

    def __init__(self, shape: tuple[int, int]):
        self.window = cv2.createHanningWindow((shape[1], shape[0]), cv2.CV_32F)

    @staticmethod
    def prepare(grey: np.ndarray) -> np.ndarray:
        # Blur first: after a sub-pixel misalignment fine texture alone would leave a large
        # residual, and we only care about layout.
        return cv2.GaussianBlur(grey.astype(np.float32), (0, 0), 1.2)

    def residual(self, a: np.ndarray, b: np.ndarray) -> float:
        return self.residual_prepared(self.prepare(a), self.prepare(b))

    def residual_prepared(self, fa: np.ndarray, fb: np.ndarray) -> float:
        # phaseCorrelate multiplies its inputs by the window in place (OpenCV 5): pass copies.
        (dx, dy), _ = cv2.phaseCorrelate(fa.copy(), fb.copy(), self.window)
        h, w = fa.shape
        if abs(dx) > w / 2 or abs(dy) > h / 2:
            dx = dy = 0.0
        # Move b back by (dx, dy) so it lies on a, then compare where both are defined.
        shift = np.float32([[1, 0, dx], [0, 1, dy]])
        fb = cv2.warpAffine(fb, shift, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
        x0, x1 = int(np.ceil(max(0, -dx))), int(np.floor(min(w, w - dx)))
        y0, y1 = int(np.ceil(max(0, -dy))), int(np.floor(min(h, h - dy)))
        pa, pb = fa[y0:y1, x0:x1], fb[y0:y1, x0:x1]
        if pa.size < 0.2 * fa.size:
            return float(np.abs(fa - fb).mean() / 255.0)
        # Brightness changes (a light turned on) are not content changes: compare after
        # removing each patch's mean.
        diff = np.abs((pa - pa.mean()) - (pb - pb.mean()))
        return _spread_change(diff) / 255.0


def _spread_change(diff: np.ndarray, cells: int = 4) -> float:
    """Median over a 4x4 grid of the cells' mean change.

    A cut changes the whole picture; a large object crossing the frame changes part of it. The
    median cell ignores up to half the frame changing, where the plain mean would not.
    """
    h, w = diff.shape
    if h < cells or w < cells:
        return float(diff.mean())
    ch, cw = h // cells, w // cells
    grid = diff[:ch * cells, :cw * cells].reshape(cells, ch, cells, cw).mean(axis=(1, 3))
    return float(np.median(grid))


def structure_similarity(a: np.ndarray, b: np.ndarray, aligner: "_Aligner") -> float:
    """Correlation of two grey thumbnails after motion alignment: ~1 same picture, ~0 unrelated.

    Brightness and contrast do not matter (both are normalised away), so a light change or a
    fade within one shot stays near 1 while two different shots fall near 0.
    """
    fa, fb = aligner.prepare(a), aligner.prepare(b)
    (dx, dy), _ = cv2.phaseCorrelate(fa.copy(), fb.copy(), aligner.window)
    h, w = fa.shape
    if abs(dx) > w / 2 or abs(dy) > h / 2:
        dx = dy = 0.0
    shift = np.float32([[1, 0, dx], [0, 1, dy]])
    fb = cv2.warpAffine(fb, shift, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    x0, x1 = int(np.ceil(max(0, -dx))), int(np.floor(min(w, w - dx)))
    y0, y1 = int(np.ceil(max(0, -dy))), int(np.floor(min(h, h - dy)))
    pa, pb = fa[y0:y1, x0:x1].ravel(), fb[y0:y1, x0:x1].ravel()
    if pa.size < 16 or pa.std() < 1e-3 or pb.std() < 1e-3:
        return 0.0
    return float(np.corrcoef(pa, pb)[0, 1])


def features_compute(
    frames: Iterable[np.ndarray], *, fps: float, expected: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> FrameFeatures:
    """Compute every signal in one pass over (already scaled) RGB frames."""
    hists, grays, lumas, spreads, d_hist, d_al, motion = [], [], [], [], [], [], []
    aligner = None
    prev_g = prev_h = prev_b = None
    for i, rgb in enumerate(frames):
        g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        h = frame_hist(rgb)
        if aligner is None:
            aligner = _Aligner(g.shape)
        b = aligner.prepare(g)
        if prev_g is None:
            d_hist.append(0.0), d_al.append(0.0), motion.append(0.0)
        else:
            d_hist.append(float(hist_distance(prev_h, h)))
            d_al.append(aligner.residual_prepared(prev_b, b))
            motion.append(float(cv2.absdiff(prev_g, g).mean() / 255.0))
        hists.append(h), grays.append(g)
        lumas.append(float(g.mean())), spreads.append(float(g.std()))
        prev_g, prev_h, prev_b = g, h, b
        if progress and i % 100 == 0:
            progress(i, expected)
    n = len(lumas)
    return FrameFeatures(
        fps=fps,
        hist=np.array(hists, np.float32).reshape(n, -1),
        gray=np.array(grays, np.uint8) if grays else np.zeros((0, 1, 1), np.uint8),
        luma=np.array(lumas, np.float32), spread=np.array(spreads, np.float32),
        d_hist=np.array(d_hist, np.float32), d_aligned=np.array(d_al, np.float32),
        motion=np.array(motion, np.float32),
    )


def pair_distance(
    features: FrameFeatures, a: int, b: int, aligner: _Aligner | None = None,
) -> float:
    """Combined distance of two arbitrary frames (the same measure cuts are judged by)."""
    aligner = aligner or _Aligner(features.gray.shape[1:])
    dh = float(hist_distance(features.hist[a], features.hist[b]))
    dr = aligner.residual(features.gray[a], features.gray[b])
    return combine(dh, dr)


RESIDUAL_WEIGHT = 4.0


def combine(d_hist, d_aligned):
    """One number per frame pair: colour change or (motion-compensated) layout change."""
    return np.maximum(d_hist, RESIDUAL_WEIGHT * np.asarray(d_aligned))
