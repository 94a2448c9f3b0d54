"""Shot boundary detection: hard cuts, dissolves and fades, with guards for flashes, light
changes and camera motion.

Three detectors read the same per-frame signals (``features.py``, where both distances ignore
the light) and their boundaries are merged:

* **cuts**: the combined distance between neighbouring frames (colour histogram, or layout
  after motion compensation) jumps above an absolute floor, well above its local median and
  above both neighbouring frames' (fast motion keeps a run of frames far apart). A jump is not
  a cut when the picture is still there: some frame just before it has the same layout as
  some frame just after it, whatever the light (a light step, a flash, lightning).
* **fades**: runs of (near) black frames, and deep dips of brightness such as titles on
  black, between two brighter stretches; the boundary is the middle of a fade, but a cut into
  or out of the dark is a boundary at that cut.
* **dissolves**: frames a fixed time apart on either side of a point differ a lot in colour
  while each side is stable on its own; the change is gradual, the middle looks like a mix and
  the ends are different pictures; the boundary is the centre of that peak.

A boundary is the index of the first frame of the new shot; ``boundaries_detect`` says how
the shot starts and whether the picture goes to or comes from black there (``via_black``: a
fade, a cut to or from black, titles on black), where editors mark a new scene.
``shots_from_boundaries`` turns the sorted boundaries into inclusive ``[first, last]`` pairs
covering every frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .features import STILL, FrameFeatures, _Aligner, bars_box, combine, cv_threads, hist_distance


@dataclass(frozen=True)
class ShotParams:
    cut_floor: float = 0.25  # combined distance a cut must exceed
    cut_ratio: float = 3.0  # ... and this many times the local median
    cut_window: float = 0.5  # seconds each side for that median
    cut_sharp: float = 1.5  # ... and this many times either neighbouring frame's
    flash_span: float = 0.3  # seconds each side where a "returning" picture means flash
    same_picture: float = 0.3  # Aligner.unlike below this: the same picture, new light
    dark_level: float = 18.0  # mean grey level (0..255) of a black frame
    dark_spread: float = 12.0  # ... with at most this much texture
    grad_windows: tuple = (0.17, 0.25, 0.5, 1.0)  # seconds from the centre to compared frames
    grad_floor: float = 0.35  # colour distance across a dissolve
    grad_ratio: float = 2.0  # ... against the distance within each side
    blend_dip: float = 0.9  # contrast in a dissolve's middle, against its ends
    blend_linear: float = 0.45  # middle frame's distance to the ends' average, relative
    blend_mix: float = 0.25  # ... this close, the middle is plainly a mix
    blend_busy: float = 1.4  # residual inside a dissolve against its flanks
    blend_collapse: float = 0.3  # contrast dip that needs no other evidence
    blend_unlike: float = 0.35  # ends less unlike than this (Aligner.unlike) are one picture
    blend_gradual: float = 0.8  # share of a dissolve's colour change that 3 frames may hold
    dissolve_merge: float = 1.0  # seconds; closer dissolve peaks may be one transition
    min_shot: float = 0.3  # seconds; boundaries closer than this merge


@dataclass(frozen=True)
class Boundary:
    kind: str  # "cut" | "fade" | "dissolve"
    via_black: bool = False  # the picture goes to or comes from black here


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
    """``{first frame of a new shot: Boundary}``, in frame order.

    Boundaries closer than ``min_shot`` are one: the first stands, and it is ``via_black``
    when any of them came from ``detect_fades``. OpenCV runs single-threaded, as in
    :func:`features_compute`: the thumbnails are too small for its thread pool to pay.
    """
    with cv_threads(1):
        return _boundaries_detect(features, params)


def _boundaries_detect(features: FrameFeatures, params: ShotParams) -> dict:
    n = features.count
    if n == 0:
        return {}
    fps = features.fps or 25.0
    fades, fade_zones = detect_fades(features, params)
    cuts = [c for c in detect_cuts(features, params) if not any(c in z for z in fade_zones)]
    grads: list[int] = []
    # Short windows place short dissolves well; long ones see slow dissolves at all.
    for window in params.grad_windows:
        grads += detect_dissolves(features, params, window=window, taken=[*cuts, *fades, *grads], zones=fade_zones)
    grads = _merge_close(grads, features.d_hist, max(2, int(round(params.dissolve_merge * fps))))
    kinds = {**{g: "dissolve" for g in grads}, **{c: "cut" for c in cuts}, **fades}
    min_gap = max(2, int(round(params.min_shot * fps)))
    return {
        b: Boundary(kinds[b], via_black=any(b <= f < b + min_gap for f in fades))
        for b in _merge(list(kinds), min_gap)
        if 0 < b < n
    }


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
    between = d_hist[a : b + 1]
    if between.size < 3:
        return True
    calm = float(np.median(d_hist[max(1, a - 2 * gap) : b + 2 * gap]))
    smooth = np.array([np.median(between[i : i + 3]) for i in range(between.size - 2)])
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
    aligner = _Aligner()
    cuts = []
    for i in np.flatnonzero(score > params.cut_floor):
        if i == 0:
            continue
        around = np.concatenate([score[max(1, i - win) : max(1, i - 1)], score[i + 2 : i + win + 1]])
        base = float(np.median(around)) if around.size else 0.0
        # A cut is one frame: fast motion keeps neighbouring frames as far apart as it.
        beside = max(score[i - 1], score[i + 1] if i + 1 < len(score) else 0.0)
        if score[i] < params.cut_ratio * base or score[i] < params.cut_sharp * beside:
            continue
        if _picture_stays(features, aligner, i, span, params.same_picture):
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


def _picture_stays(features, aligner, i: int, span: int, same: float) -> bool:
    """True when the picture around ``i`` is still there: a flash or a light change, not a cut.

    "The picture" is the layout after motion alignment, whatever the light (``_Aligner.unlike``),
    so a light step (a lamp, an exposure jump, a colour cast) leaves it unchanged at once, and a
    flash gives it back within ``span`` frames even when the light then stays changed
    (lightning). A flash during a fast pan, where the picture has moved on by the time it comes
    back, shows as a bump of brightness whose ends agree in brightness and colour.
    """
    n = features.count
    before = range(max(0, i - 2), i)
    after = range(i, min(n, i + span + 1))
    luma, colour = features.luma, features.colour
    for a in before:
        for b in after:
            if b - a < 2 or abs(luma[a] - luma[b]) > 12:
                continue
            bump = luma[a + 1 : b].min() - max(luma[a], luma[b])
            if bump > 20 and hist_distance(colour[a], colour[b]) < 0.35:
                return True
    gray = features.gray
    # Only frames that look new are worth comparing: one barely changed from the frame before
    # it would answer as that frame did (after a cut into a steady shot, that is all of them).
    after = [
        b
        for b in after
        if b == i or features.d_aligned[b] > STILL or abs(luma[b] - luma[b - 1]) > 4 or features.d_hist[b] > 0.1
    ]
    prepared = {x: aligner.prepare(gray[x]) for x in (*before, *after)}
    # Nearest pairs first: a light step shows at once, a flash a few frames later.
    pairs = sorted(((a, b) for a in before for b in after), key=lambda p: p[1] - p[0])
    return any(aligner.unlike(prepared[a], prepared[b], bars_box(gray[a], gray[b])) < same for a, b in pairs)


def _strongest_per_gap(cands: list[int], score: np.ndarray, gap: int) -> list[int]:
    out: list[int] = []
    for c in sorted(cands):
        if out and c - out[-1] < gap:
            if score[c] > score[out[-1]]:
                out[-1] = c
            continue
        out.append(c)
    return out


def detect_fades(features: FrameFeatures, params: ShotParams) -> tuple[dict, list[range]]:
    """Fades through black and cuts to black: ``{boundary: "fade" | "cut"}``, and the frame
    zones they cover.

    A dark run (black frames, or a deep dip of brightness such as titles on black) between
    brighter pictures is a fade when brightness ramps down into it and up out of it: one
    boundary, at its middle. An edge where the picture drops into the dark (or jumps out of it)
    from one frame to the next is a cut, and the boundary is that frame, however long the
    black or the credits on it last. A dark run of at least ``min_shot`` with a cut at an edge
    is a shot of its own, so both its edges are boundaries.
    """
    luma = features.luma
    n = len(luma)
    fps = features.fps or 25.0
    dark = (luma < params.dark_level) & (features.spread < params.dark_spread)
    reach = max(3, int(round(1.0 * fps)))
    long_run = max(2, int(round(params.min_shot * fps)))
    bounds, zones = {}, []
    i = 0
    while i < n:
        if not dark[i] and not _is_dip(luma, i, reach):
            i += 1
            continue
        j = i
        while j + 1 < n and (dark[j + 1] or _is_dip(luma, j + 1, reach)):
            j += 1
        zone = _fade_zone(luma, i, j)
        enter = i > 0 and _sudden(luma[max(0, i - 4) : i][::-1], luma[i])
        leave = j < n - 1 and _sudden(luma[j + 1 : j + 5], luma[j])
        if enter or leave:
            both = j + 1 - i >= long_run
            bounds.update(
                {e: "cut" if cut else "fade" for e, cut in ((i, enter), (j + 1, leave)) if (cut or both) and 0 < e < n}
            )
            zones.append(zone)
        elif 0 < i and j < n - 1 and _brighter_both_sides(luma, zone, i, j):
            bounds[(i + j + 1) // 2 if j > i else i] = "fade"
            zones.append(zone)
        i = j + 1
    return bounds, zones


def _sudden(outside: np.ndarray, dark: float) -> bool:
    """The picture next to a dark run (``outside``, nearest frame first) is reached in one
    step, not a ramp: a cut into or out of the dark."""
    step = float(outside[0]) - dark
    return step > 10 and step >= 0.6 * (float(outside.max()) - dark)


def _is_dip(luma: np.ndarray, i: int, reach: int) -> bool:
    """A deep local brightness minimum: a fade that never reaches pure black."""
    lo, hi = max(0, i - reach), min(len(luma), i + reach + 1)
    if luma[i] > 45 or luma[i] > luma[lo:hi].min():
        return False
    return luma[i] < 0.3 * luma[lo:i].max(initial=0) and luma[i] < 0.3 * luma[i + 1 : hi].max(initial=0)


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
    features: FrameFeatures,
    params: ShotParams,
    *,
    window: float,
    taken: list[int],
    zones: list[range],
) -> list[int]:
    fps = features.fps or 25.0
    k = max(3, int(round(window * fps)))
    n = features.count
    if n < 4 * k:
        return []
    hist = features.colour
    across = _median_pair_distance(hist, k, k, n)
    left = np.full(n, np.inf, np.float32)
    right = np.full(n, np.inf, np.float32)
    # Stability of each side: the same colour distance measured inside the side.
    inner = hist_distance(hist[:-k], hist[k:])  # inner[t] = d(t, t + k)
    left[2 * k :] = inner[: n - 2 * k]  # d(i - 2k, i - k)
    right[: n - 2 * k] = inner[k : n - k]  # d(i + k, i + 2k)
    side = np.maximum(left, right)
    ok = (across > params.grad_floor) & (across > params.grad_ratio * side)
    blocked = np.zeros(n, bool)
    for t in taken:
        blocked[max(0, t - k) : t + k + 1] = True
    for z in zones:
        blocked[max(0, z.start - k) : z.stop + k] = True
    out = []
    for run in _runs(ok & ~blocked):
        seg = across[run.start : run.stop]
        top = np.flatnonzero(seg >= 0.9 * seg.max())
        centre = _refine(features.d_hist, int(run.start + (top[0] + top[-1]) // 2), k)
        if (
            k <= centre < n - k
            and _gradual(features.d_hist, centre, k, params)
            and _looks_like_blend(features, centre, k, params)
        ):
            out.append(centre)
    return out


def _gradual(d_hist: np.ndarray, c: int, k: int, params: ShotParams) -> bool:
    """A dissolve changes the colours a little on every frame; a light step (or lightning: a
    flash, then the light stays changed) does it all within three frames."""
    window = d_hist[c - k + 1 : c + k + 1].astype(np.float64)
    if window.size < 4 or window.sum() <= 0:
        return False
    burst = max(window[i : i + 3].sum() for i in range(window.size - 2))
    return burst < params.blend_gradual * window.sum()


def _busy_inside(features: FrameFeatures, c: int, k: int, params: ShotParams) -> bool:
    """The picture changes *non-rigidly* during a dissolve: the motion-compensated residual
    between neighbouring frames rises above that of the shots around it. A pan, however
    fast, is compensated away, so its residual stays at its own (flank) level."""
    d = features.d_aligned
    h = max(2, k // 2)
    inside = float(np.median(d[max(1, c - h) : c + h + 1]))
    flanks = np.concatenate([d[max(1, c - 3 * k) : max(1, c - k)], d[c + k : c + 3 * k]])
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
    ends = min(spread[c - k], spread[c + k]) + 1e-6
    dip = spread[c - h : c + h + 1].min() / ends
    # A mix is never much brighter than both its ends: a few such frames are a flash (a fade
    # through white stays bright longer).
    luma = features.luma
    bright = int((luma[c - h : c + h + 1] > max(luma[c - k], luma[c + k]) + 20).sum())
    if 0 < bright <= 3:
        return False
    a, b, m = (features.gray[x].astype(np.float32) for x in (c - k, c + k, c))
    linear = np.abs(m - (a + b) / 2).mean() / max(float(np.abs(a - b).mean()), 1e-3)
    # Unless contrast collapses almost to nothing (a fade through black or white) or the middle
    # is plainly the average of the ends, the change inside must be non-rigid.
    if dip >= params.blend_collapse and linear >= params.blend_mix and not _busy_inside(features, c, k, params):
        return False
    if not (dip < params.blend_dip or linear < params.blend_linear):
        return False
    # A light change or a slow push-in through fog also mixes "before" and "after" linearly;
    # only a dissolve mixes two *different* pictures. The median of the pairs `across` uses:
    # a flash spoils one of them at most.
    aligner, gray, n = _Aligner(), features.gray, features.count
    pairs = [(gray[c - k - j], gray[c + k + j]) for j in (0, 3, 6) if c - k - j >= 0 and c + k + j < n]
    return (
        float(np.median([aligner.unlike(aligner.prepare(a), aligner.prepare(b), bars_box(a, b)) for a, b in pairs]))
        > params.blend_unlike
    )


def _refine(d_hist: np.ndarray, centre: int, k: int) -> int:
    """Move a dissolve's boundary to the middle of its frame-to-frame colour activity.

    The across-the-window peak is a plateau about 2k wide, but the frames of the dissolve itself
    are where neighbouring frames keep differing; their weighted centre is the transition's.
    """
    lo, hi = max(1, centre - k), min(len(d_hist), centre + k + 1)
    window = d_hist[lo:hi].astype(np.float64)
    excess = np.clip(window - np.median(d_hist[max(1, lo - 2 * k) : hi + 2 * k]), 0, None)
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
        d[lo:hi] = hist_distance(hist[lo - k - j : hi - k - j], hist[lo + k + j : hi + k + j])
        rows.append(d)
    out[:] = np.median(np.stack(rows), axis=0)
    return out


def _runs(mask: np.ndarray) -> list[range]:
    """The runs of True in ``mask``."""
    edges = np.flatnonzero(np.diff(np.r_[0, mask.astype(np.int8), 0]))
    return [range(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]
