"""Per-frame signals for shot detection and motion, computed in one decoding pass.

Frames arrive already scaled down by ffmpeg (``ANALYSIS_WIDTH`` wide). For each frame we keep a
colour histogram, a small grey thumbnail, its mean and spread of brightness, and two distances to
the previous frame: the histogram distance and the *aligned* pixel residual, i.e. the difference
left after undoing the global shift that phase correlation finds. A camera pan moves the whole
picture, so its aligned residual stays small while a cut's does not; that is what keeps fast
camera motion from looking like cuts.

Both distances ignore the light: the histogram is taken of the frame with each colour channel
divided by its mean (a brighter or tinted light scales the channels, which this undoes), and the
residual compares thumbnails with their mean and contrast removed. A light switched on, an
exposure jump or a colour cast changes neither; a new picture changes both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import cv2
import numpy as np

ANALYSIS_WIDTH = 128
HIST_BINS = (16, 4, 4)  # hue, saturation, value
HIST_SIZE = 16 * 4 * 4
_HIST_RANGES = [0, 180, 0, 256, 0, 256]


@dataclass
class FrameFeatures:
    fps: float
    hist: np.ndarray  # (N, 256) float32, rows sum to 1 (scene grouping); (N, 0) if skipped
    colour: np.ndarray  # (N, 256) the same of the light-normalised frame (see above)
    gray: np.ndarray  # (N, h, w) uint8 thumbnails
    luma: np.ndarray  # (N,) mean grey level 0..255
    spread: np.ndarray  # (N,) standard deviation of grey levels
    d_hist: np.ndarray  # (N,) ``colour`` distance to the previous frame, 0..1 (0 for frame 0)
    d_aligned: np.ndarray  # (N,) aligned residual to the previous frame, 0..1
    motion: np.ndarray  # (N,) mean absolute change to the previous frame, 0..1

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


def light_normalise(rgb: np.ndarray) -> np.ndarray:
    """Each channel divided by its mean (grey world): undoes a global change of light
    intensity or colour, which multiplies the channels."""
    means = np.array(cv2.mean(rgb)[:3]) + 1.0
    return cv2.transform(rgb, np.diag(NORMAL_LEVEL / means).astype(np.float32))


NORMAL_LEVEL = 110.0  # channel mean after light_normalise


def hist_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Half the L1 distance: 0 for equal histograms, 1 for disjoint ones (works row-wise)."""
    return 0.5 * np.abs(a - b).sum(axis=-1)


class _Aligner:
    """Compares two prepared grey thumbnails after undoing the camera's shift between them.

    Phase correlation finds the shift; only the part both frames show is compared, and only
    the picture: rows and columns black in both frames (letterbox or pillarbox bars) are left
    out, since bars that never change would make two different shots look alike.
    """

    def __init__(self):
        self._windows: dict[tuple[int, int], np.ndarray] = {}

    @staticmethod
    def prepare(grey: np.ndarray) -> np.ndarray:
        # Blur first: after a sub-pixel misalignment fine texture alone would leave a large
        # residual, and we only care about layout.
        return cv2.GaussianBlur(grey.astype(np.float32), (0, 0), 1.2)

    def overlap(self, fa: np.ndarray, fb: np.ndarray, box=None) -> tuple[np.ndarray, np.ndarray]:
        """The aligned patches of ``fa`` and ``fb`` that show the same place."""
        if box is not None:
            fa, fb = fa[box], fb[box]
        h, w = fa.shape
        if (h, w) not in self._windows:
            self._windows[h, w] = cv2.createHanningWindow((w, h), cv2.CV_32F)
        # phaseCorrelate multiplies its inputs by the window in place (OpenCV 5): pass copies.
        (dx, dy), _ = cv2.phaseCorrelate(fa.copy(), fb.copy(), self._windows[h, w])
        if abs(dx) > w / 2 or abs(dy) > h / 2:
            dx = dy = 0.0
        # Move b back by (dx, dy) so it lies on a, then compare where both are defined.
        shift = np.float32([[1, 0, dx], [0, 1, dy]])
        moved = cv2.warpAffine(fb, shift, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
        x0, x1 = int(np.ceil(max(0, -dx))), int(np.floor(min(w, w - dx)))
        y0, y1 = int(np.ceil(max(0, -dy))), int(np.floor(min(h, h - dy)))
        if (x1 - x0) * (y1 - y0) < 0.2 * h * w:
            return fa, fb
        return fa[y0:y1, x0:x1], moved[y0:y1, x0:x1]

    def residual(self, fa: np.ndarray, fb: np.ndarray, box=None, standard=None) -> float:
        """Layout change 0..1: the median cell's mean difference of the aligned patches.

        Light changes (a lamp turned on, an exposure jump) are not content changes: the
        patches are compared with their mean and contrast removed. Frames that barely changed
        as they are need no alignment (most frames of most shots; it is the costly part).
        ``standard``: both frames already ``_standardise``d, for a whole-frame ``box``.
        """
        if box is not None:
            fa, fb = fa[box], fb[box]
        still = _change(fa, fb) if box is not None or standard is None else _changed(*standard)
        return still if still < STILL else _change(*self.overlap(fa, fb))

    def unlike(self, fa: np.ndarray, fb: np.ndarray, box=None) -> float:
        """How unrelated two pictures are: ~0 the same picture whatever the light, ~1 unrelated.

        The median over textured cells of (1 - correlation) of the aligned patches. A cell
        burnt out by a brighter light or sunk into black by a darker one has no texture left
        and says nothing, so it does not vote.
        """
        pa, pb = self.overlap(fa, fb, box)
        mean_a, mean_b = _cell_means(pa), _cell_means(pb)
        var_a = np.maximum(_cell_means(pa * pa) - mean_a**2, 0)
        var_b = np.maximum(_cell_means(pb * pb) - mean_b**2, 0)
        textured = (var_a > TEXTURE_FLOOR**2) & (var_b > TEXTURE_FLOOR**2)
        if textured.sum() < 3:
            flat = TEXTURE_FLOOR**2
            return 0.0 if var_a.max() <= flat and var_b.max() <= flat else 1.0
        cov = _cell_means(pa * pb) - mean_a * mean_b
        corr = cov[textured] / np.sqrt(var_a[textured] * var_b[textured])
        return _median(1.0 - corr)


def _change(pa: np.ndarray, pb: np.ndarray) -> float:
    return _changed(_standardise(pa), _standardise(pb))


def _changed(sa: np.ndarray, sb: np.ndarray) -> float:
    """``_change`` of two patches already standardised."""
    return _spread_change(cv2.absdiff(sa, sb)) * CONTRAST / 255.0


STILL = 0.01  # a residual this small before alignment is left as it is
CONTRAST = 48.0  # grey-level spread a standardised residual is expressed in
CONTRAST_FLOOR = 16  # below this a frame is flat: its noise is not stretched to full contrast
TEXTURE_FLOOR = 3.0  # grey-level spread of a cell that has a picture in it
BAR_LEVEL = 32  # a row or column never brighter than this is a black bar


def bars_box(a: np.ndarray, b: np.ndarray) -> tuple[slice, slice] | None:
    """The rows and columns where either grey frame has a picture; None for the whole frame."""
    return picture_box(picture_lines(a), picture_lines(b))


def picture_lines(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which rows and which columns of a grey frame are ever brighter than a black bar."""
    return grey.max(axis=1) > BAR_LEVEL, grey.max(axis=0) > BAR_LEVEL


def picture_box(a: tuple, b: tuple) -> tuple[slice, slice] | None:
    """``bars_box`` from two frames' ``picture_lines``."""
    rows, cols = a[0] | b[0], a[1] | b[1]
    h, w = len(rows), len(cols)
    if rows.sum() < h // 2 or cols.sum() < w // 2:
        return None
    top, bottom = int(rows.argmax()), h - int(rows[::-1].argmax())
    left, right = int(cols.argmax()), w - int(cols[::-1].argmax())
    if (top, bottom, left, right) == (0, h, 0, w):
        return None
    return slice(top, bottom), slice(left, right)


def _standardise(patch: np.ndarray) -> np.ndarray:
    mean, std = cv2.meanStdDev(patch)
    scale = 1.0 / max(float(std[0, 0]), CONTRAST_FLOOR)
    return cv2.addWeighted(patch, scale, patch, 0.0, -float(mean[0, 0]) * scale)


def _cell_means(patch: np.ndarray, cells: int = 4) -> np.ndarray:
    """The mean of each cell of a 4x4 grid over the patch (a ragged edge is left out).

    Area resizing by a whole factor is exactly that mean, at a fifth of numpy's cost."""
    h, w = patch.shape
    ch, cw = max(1, h // cells), max(1, w // cells)
    rows, cols = min(cells, h), min(cells, w)
    return cv2.resize(patch[: ch * rows, : cw * cols], (cols, rows), interpolation=cv2.INTER_AREA)


def _median(values: np.ndarray) -> float:
    """np.median of a few values, without its overhead."""
    ordered = np.sort(values, axis=None)
    half = ordered.size // 2
    return float(ordered[half] if ordered.size % 2 else (ordered[half - 1] + ordered[half]) / 2)


def _spread_change(diff: np.ndarray, cells: int = 4) -> float:
    """Median over a 4x4 grid of the cells' mean change.

    A cut changes the whole picture; a large object crossing the frame changes part of it. The
    median cell ignores up to half the frame changing, where the plain mean would not.
    """
    return _median(_cell_means(diff, cells))


@contextmanager
def cv_threads(n: int) -> Iterator[None]:
    """OpenCV's thread pool at ``n`` threads for the block (it is process-wide), then as before."""
    before = cv2.getNumThreads()
    cv2.setNumThreads(n)
    try:
        yield
    finally:
        cv2.setNumThreads(before)


def features_compute(
    frames: Iterable[np.ndarray],
    *,
    fps: float,
    expected: int = 0,
    progress: Callable[[int, int], None] | None = None,
    scene_colours: bool = True,
) -> FrameFeatures:
    """Compute every signal in one pass over (already scaled) RGB frames.

    ``scene_colours=False`` skips ``hist`` (only scene grouping reads it; shot detection does
    not), a fifth of the work per frame.

    OpenCV runs single-threaded here: on frames 128 pixels wide its second thread mostly waits
    for work, burning CPU. Features and shots of four 40 s clips, frames decoded beforehand,
    alternated three times: 1.90-1.97 CPU-s with OpenCV's default two threads, 0.94-1.05 with
    one, the same wall time; ten clips decoded as they go (ffmpeg on the other core): this
    process 4.00-4.40 against 3.18-3.74 CPU-s. The shots are identical.
    """
    with cv_threads(1):
        return _features_compute(frames, fps=fps, expected=expected, progress=progress, scene_colours=scene_colours)


def _features_compute(frames, *, fps, expected, progress, scene_colours) -> FrameFeatures:
    hists, colours, grays, lumas, spreads, d_hist, d_al, motion = [], [], [], [], [], [], [], []
    aligner = _Aligner()
    prev_g = prev_h = prev_b = prev_s = prev_lines = None
    for i, rgb in enumerate(frames):
        g = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        h = frame_hist(light_normalise(rgb))
        b, lines = aligner.prepare(g), picture_lines(g)
        # A frame without bars makes the pair's box the whole frame: no need to ask.
        lines = None if lines[0].all() and lines[1].all() else lines
        s = _standardise(b)
        if prev_g is None:
            d_hist.append(0.0), d_al.append(0.0), motion.append(0.0)
        else:
            box = picture_box(prev_lines, lines) if lines and prev_lines else None
            d_hist.append(float(hist_distance(prev_h, h)))
            d_al.append(aligner.residual(prev_b, b, box, standard=(prev_s, s)))
            motion.append(cv2.norm(prev_g, g, cv2.NORM_L1) / (g.size * 255.0))
        if scene_colours:
            hists.append(frame_hist(rgb))
        colours.append(h), grays.append(g)
        mean, std = cv2.meanStdDev(g)
        lumas.append(float(mean[0, 0])), spreads.append(float(std[0, 0]))
        prev_g, prev_h, prev_b, prev_s, prev_lines = g, h, b, s, lines
        if progress and i % 100 == 0:
            progress(i, expected)
    n = len(lumas)
    return FrameFeatures(
        fps=fps,
        hist=np.array(hists, np.float32).reshape(n, HIST_SIZE if scene_colours else 0),
        colour=np.array(colours, np.float32).reshape(n, HIST_SIZE),
        gray=np.array(grays, np.uint8) if grays else np.zeros((0, 1, 1), np.uint8),
        luma=np.array(lumas, np.float32),
        spread=np.array(spreads, np.float32),
        d_hist=np.array(d_hist, np.float32),
        d_aligned=np.array(d_al, np.float32),
        motion=np.array(motion, np.float32),
    )


RESIDUAL_WEIGHT = 4.0


def combine(d_hist, d_aligned):
    """One number per frame pair: colour change or (motion-compensated) layout change."""
    return np.maximum(d_hist, RESIDUAL_WEIGHT * np.asarray(d_aligned))
