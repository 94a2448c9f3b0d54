"""Shot boundary detection: hard cuts, dissolves and fades, with flash and camera-motion guards.

Three detectors read the same per-frame signals (``features.py``) and their boundaries are merged:

* **cuts**: the combined distance between neighbouring frames (colour histogram, or layout
  after motion compensation) jumps above an absolute floor *and* well above its local median.
  A jump is a flash, not a cut, when some frame just before it looks like some frame just
  after it (the picture came back).
* **fades**: runs of (near) black frames, and deep dips of brightness, between two brighter
  stretches; the boundary is the darkest point.
* **dissolves**: frames half a second apart on either side of a point differ a lot in colour
  while each side is stable on its own; the boundary is the centre of that peak.

A boundary is the index of the first frame of the new shot. ``shots_from_boundaries`` turns
the sorted boundaries into inclusive ``[first, last]`` pairs covering every frame.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import (FrameFeatures, _Aligner, combine, hist_distance, pair_distance,
                       structure_similarity)


@dataclass(frozen=True)
class ShotParams:
    cut_floor: float = 0.25          # combined distance a cut must exceed
    cut_ratio: float = 3.0           # ... and this many times the local median
    cut_window: float = 0.5          # seconds each side for that median
    flash_span: float = 0.3          # seconds each side where a "returning" picture means flash
    flash_return: float = 0.5        # a pair closer than cut_floor * this is "the same picture"
    dark_level: float = 18.0         # mean grey level (0..255) of a black frame
    dark_spread: float = 12.0        # ... with at most this much texture
    grad_windows: tuple = (0.25, 0.5, 1.0)  # seconds from the centre to the compared frames
    grad_floor: float = 0.35         # colour distance across a dissolve
    grad_ratio: float = 2.0          # ... against the distance within each side
    blend_dip: float = 0.9           # contrast in a dissolve's middle, against its ends
    blend_linear: float = 0.45       # middle frame's distance to the ends' average, relative
    blend_busy: float = 1.4          # residual inside a dissolve against its flanks
    blend_collapse: float = 0.3      # contrast dip that needs no other evidence
    blend_same: float = 0.4          # ends more correlated than this are one picture
    dissolve_merge: float = 1.0      # seconds; closer dissolve peaks may be one transition
    min_shot: float = 0.3            # seconds; boundaries closer than this merge


def shots_from_boundaries(boundaries: list[int], frames: int) -> list[list[int]]:
    """Inclusive [first, last] frame pairs covering 0..frames-1 (empty video: no shots)."""
    if frames <= 0:
        return []
    cuts = sorted({b for b in boundaries if 0 < b < frames})
    edges = [0, *cuts, frames]
    return [[edges[k], edges[k + 1] - 1] for k in range(len(edges) - 1)]


def shots_detect(features: FrameFeatures, params: ShotParams = ShotParams()) -> list[list[int]]:
    """Detect shots in precomputed features; returns inclusive [first, last] pairs."""
    return shots_from_boundaries(list(boundaries_detect(features, params)), features.count)


def boundaries_detect(features: FrameFeatures, params: ShotParams = ShotParams()) -> dict:
    """``{first frame of a new shot: "cut" | "fade" | "dissolve"}``, in frame order."""
    n = features.count
    if n == 0:
        return {}
    fps = features.fps or 25.0
    fades, fade_zones = detect_fades(features, params)
    cuts = [c for c in detect_cuts(features, params) if not any(c in z for z in fade_zones)]
    grads: list[int] = []
    # Short windows place short dissolves well; long ones see slow dissolves at all.
    for window in params.grad_windows:
        grads += detect_dissolves(features, params, window=window, taken=[*cuts, *fades, *grads],
                                  zones=fade_zones)
    grads = _merge_close(grads, features.d_hist, max(2, int(round(params.dissolve_merge * fps))))
    kinds = {**{g: "dissolve" for g in grads}, **{c: "cut" for c in cuts},
             **{f: "fade" for f in fades}}
    min_gap = max(2, int(round(params.min_shot * fps)))
    return {b: kinds[b] for b in _merge(list(kinds), min_gap) if 0 < b < n}


def _merge_close(points: list[int], d_hist: np.ndarray, gap: int) -> list[int]:
    """One long dissolve can peak twice (at two scales or on two sides): merge such peaks.

    Two close peaks are one transition when the picture never settles between them: the
    frame-to-frame colour change stays above its usual level the whole way. Two short
    dissolves around a short shot have a calm stretch in the middle and stay apart.
    """
    groups: list[list[int]] = []
    for p in sorted(points):
        if groups and p - groups[-1][-1] < gap and _busy_between(d_hist, groups[-1][-1], p, gap):
            groups[-1].append(p)
        else:
            groups.append([p])
    return [int(round(sum(g) / len(g))) for g in groups]


def _busy_between(d_hist: np.ndarray, a: int, b: int, gap: int) -> bool:
    between = d_hist[a:b + 1]
    if between.size < 3:
        return True
    calm = float(np.median(d_hist[max(1, a - 2 * gap):b + 2 * gap]))
    smooth = np.array([np.median(between[i:i + 3]) for i in range(between.size - 2)])
    return bool(smooth.min() > 1.5 * calm)


def _merge(boundaries: list[int], min_gap: int) -> list[int]:
    out: list[int] = []
    for b in sorted(set(boundaries)):
        if not out or b - out[-1] >= min_gap:
            out.append(b)
    return out


def detect_cuts(features: FrameFeatures, params: ShotParams) -> list[int]:
    fps = features.fps or 25.0
    score = cut_score(features)
    win = max(2, int(round(params.cut_window * fps)))
    span = max(2, int(round(params.flash_span * fps)))
    aligner = _Aligner(features.gray.shape[1:])
    cuts = []
    for i in np.flatnonzero(score > params.cut_floor):
        if i == 0:
            continue
        around = np.concatenate([score[max(1, i - win):max(1, i - 1)], score[i + 2:i + win + 1]])
        base = float(np.median(around)) if around.size else 0.0
        if score[i] < params.cut_ratio * base:
            continue
        if _is_flash(features, aligner, i, span, params.cut_floor * params.flash_return):
            continue
        cuts.append(int(i))
    return _strongest_per_gap(cuts, score, max(2, int(round(params.min_shot * fps))))


def cut_score(features: FrameFeatures) -> np.ndarray:
    """Per-frame cut evidence: the aligned layout change, or a *sharp* colour jump.

    Histograms with hard bins jump on every frame of a dissolve or a fade (colours slide over
    bin edges), so a colour jump only counts when both neighbours are far smaller; a cut is one
    frame wide, a dissolve is not.
    """
    dh = features.d_hist
    neighbours = np.maximum(np.r_[0.0, dh[:-1]], np.r_[dh[1:], 0.0])
    sharp = np.where(dh > 2.0 * neighbours, dh, 0.0)
    return combine(sharp, features.d_aligned)


def _is_flash(features, aligner, i: int, span: int, same: float) -> bool:
    """True when the picture around ``i`` comes back: a flash, not a cut.

    Either a frame shortly before ``i`` matches a frame shortly after, or every frame between
    such a pair is much brighter than both ends while the ends agree in brightness and colour
    (a flash during a fast pan, where the picture has moved on by the time it comes back).
    """
    n = features.count
    before = range(max(0, i - span), i)
    after = range(i, min(n, i + span + 1))
    luma, hist = features.luma, features.hist
    pairs = [(a, b) for a in before for b in after]
    for a, b in pairs:
        if b - a < 2 or abs(luma[a] - luma[b]) > 12:
            continue
        bump = luma[a + 1:b].min() - max(luma[a], luma[b])
        if bump > 20 and hist_distance(hist[a], hist[b]) < 0.35:
            return True
    close = [(a, b) for a, b in pairs if hist_distance(hist[a], hist[b]) < same]
    # Histograms are cheap; only pairs that pass them get the aligned comparison.
    return any(pair_distance(features, a, b, aligner) < same for a, b in close[:12])


def _strongest_per_gap(cands: list[int], score: np.ndarray, gap: int) -> list[int]:
    out: list[int] = []
    for c in sorted(cands):
        if out and c - out[-1] < gap:
            if score[c] > score[out[-1]]:
                out[-1] = c
            continue
        out.append(c)
    return out


def detect_fades(features: FrameFeatures, params: ShotParams) -> tuple[list[int], list[range]]:
    """Boundaries at the darkest point of each fade, and the frame zones the fades cover."""
    luma = features.luma
    n = len(luma)
    fps = features.fps or 25.0
    dark = (luma < params.dark_level) & (features.spread < params.dark_spread)
    reach = max(3, int(round(1.0 * fps)))
    bounds, zones = [], []
    i = 0
    while i < n:
        if not dark[i] and not _is_dip(luma, i, reach):
            i += 1
            continue
        j = i
        while j + 1 < n and (dark[j + 1] or _is_dip(luma, j + 1, reach)):
            j += 1
        if i > 0 and j < n - 1:
            centre = (i + j + 1) // 2 if j > i else i
            zone = _fade_zone(luma, i, j)
            if _brighter_both_sides(luma, zone, i, j):
                bounds.append(int(centre))
                zones.append(zone)
        i = j + 1
    return bounds, zones


def _is_dip(luma: np.ndarray, i: int, reach: int) -> bool:
    """A deep local brightness minimum: a fade that never reaches pure black."""
    lo, hi = max(0, i - reach), min(len(luma), i + reach + 1)
    if luma[i] > 45 or luma[i] > luma[lo:hi].min():
        return False
    return luma[i] < 0.3 * luma[lo:i].max(initial=0) and luma[i] < 0.3 * luma[i + 1:hi].max(
        initial=0)


def _fade_zone(luma: np.ndarray, i: int, j: int) -> range:
    """Extend a dark run outwards while brightness keeps rising away from it (the ramps)."""
    a = i
    while a > 0 and luma[a - 1] > luma[a] + 0.5:
        a -= 1
    b = j
    while b + 1 < len(luma) and luma[b + 1] > luma[b] + 0.5:
        b += 1
    return range(a, b + 1)


def _brighter_both_sides(luma, zone: range, i: int, j: int) -> bool:
    return luma[zone.start] > luma[i] + 10 and luma[zone.stop - 1] > luma[j] + 10


def detect_dissolves(
    features: FrameFeatures, params: ShotParams, *, window: float, taken: list[int],
    zones: list[range],
) -> list[int]:
    fps = features.fps or 25.0
    k = max(3, int(round(window * fps)))
    n = features.count
    if n < 4 * k:
        return []
    hist = features.hist
    across = _median_pair_distance(hist, k, k, n)
    left = np.full(n, np.inf, np.float32)
    right = np.full(n, np.inf, np.float32)
    # Stability of each side: the same colour distance measured inside the side.
    inner = hist_distance(hist[:-k], hist[k:])  # inner[t] = d(t, t + k)
    left[2 * k:] = inner[:n - 2 * k]             # d(i - 2k, i - k)
    right[:n - 2 * k] = inner[k:n - k]           # d(i + k, i + 2k)
    side = np.maximum(left, right)
    ok = (across > params.grad_floor) & (across > params.grad_ratio * side)
    blocked = np.zeros(n, bool)
    for t in taken:
        blocked[max(0, t - 2 * k):t + 2 * k + 1] = True
    for z in zones:
        blocked[max(0, z.start - k):z.stop + k] = True
    out = []
    for run in _runs(ok & ~blocked):
        seg = across[run.start:run.stop]
        top = np.flatnonzero(seg >= 0.9 * seg.max())
        centre = _refine(features.d_hist, int(run.start + (top[0] + top[-1]) // 2), k)
        if k <= centre < n - k and _looks_like_blend(features, centre, k, params):
            out.append(centre)
    return out


def _busy_inside(features: FrameFeatures, c: int, k: int, params: ShotParams) -> bool:
    """The picture changes *non-rigidly* during a dissolve: the motion-compensated residual
    between neighbouring frames rises above that of the shots around it. A pan, however
    fast, is compensated away, so its residual stays at its own (flank) level."""
    d = features.d_aligned
    h = max(2, k // 2)
    inside = float(np.median(d[max(1, c - h):c + h + 1]))
    flanks = np.concatenate([d[max(1, c - 3 * k):max(1, c - k)], d[c + k:c + 3 * k]])
    if flanks.size == 0:
        return True
    return inside > params.blend_busy * (float(np.median(flanks)) + 1e-4)


def _looks_like_blend(features: FrameFeatures, c: int, k: int, params: ShotParams) -> bool:
    """A dissolve's middle is a mix of its ends; a pan's middle is just another view.

    Two signs of a mix: contrast dips (a blend of two unrelated pictures has less spread than
    either), or the middle frame is close to the pixel average of the two ends.
    """
    spread = features.spread
    h = max(1, k // 2)
    ends = (spread[c - k] + spread[c + k]) / 2 + 1e-6
    dip = spread[c - h:c + h + 1].min() / ends
    # Contrast collapsing almost to nothing is a fade through black (or white): no doubt left.
    if dip >= params.blend_collapse and not _busy_inside(features, c, k, params):
        return False
    a, b, m = (features.gray[x].astype(np.float32) for x in (c - k, c + k, c))
    linear = np.abs(m - (a + b) / 2).mean() / max(float(np.abs(a - b).mean()), 1e-3)
    if not (dip < params.blend_dip or linear < params.blend_linear):
        return False
    # A light change or a slow push-in through fog also mixes "before" and "after" linearly;
    # only a dissolve mixes two *different* pictures.
    aligner = _Aligner(features.gray.shape[1:])
    return structure_similarity(features.gray[c - k], features.gray[c + k], aligner) < \
        params.blend_same


def _refine(d_hist: np.ndarray, centre: int, k: int) -> int:
    """Move a dissolve's boundary to the middle of its frame-to-frame colour activity.

    The across-the-window peak is a plateau about 2k wide, but the frames of the dissolve itself
    are where neighbouring frames keep differing; their weighted centre is the transition's.
    """
    lo, hi = max(1, centre - k), min(len(d_hist), centre + k + 1)
    window = d_hist[lo:hi].astype(np.float64)
    excess = np.clip(window - np.median(d_hist[max(1, lo - 2 * k):hi + 2 * k]), 0, None)
    if excess.sum() <= 0:
        return centre
    return int(round(lo + float((excess * np.arange(len(window))).sum() / excess.sum())))


def _median_pair_distance(hist: np.ndarray, k: int, spread: int, n: int) -> np.ndarray:
    """across[i] = median over j in (0, 3, 6) of d(i - k - j, i + k + j).

    The offsets are spaced so that a flash of up to three frames spoils at most one pair.
    """
    out = np.zeros(n, np.float32)
    rows = []
    for j in (0, 3, 6):
        d = np.zeros(n, np.float32)
        lo, hi = k + j, n - k - j
        d[lo:hi] = hist_distance(hist[lo - k - j:hi - k - j], hist[lo + k + j:hi + k + j])
        rows.append(d)
    out[:] = np.median(np.stack(rows), axis=0)
    return out


def _runs(mask: np.ndarray) -> list[range]:
    runs, start = [], None
    for i, v in enumerate(mask):
        if v and start is None:
            start = i
        elif not v and start is not None:
            runs.append(range(start, i))
            start = None
    if start is not None:
        runs.append(range(start, len(mask)))
    return runs
