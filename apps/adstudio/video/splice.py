"""Real footage spliced back together with known transitions and known traps.

A *recipe* (plain JSON, committed with its set) lists pieces of hand-checked source shots in
order. Each piece after the first says how it joins the previous one: ``cut``, ``dissolve``,
``fade`` (out through black and in), ``cut_black`` (a cut into black, or into titles on black)
or ``fade_in`` (out of black). A piece may carry *effects*, the hard negatives a shot detector
must not cut on: persistent light steps (``gain``, ``tint``, ``lightning``: a flash that leaves
the light changed), a ``flash`` (the picture comes back), camera moves made by moving a crop
window over the source (``pan``, ``shake``) and an ``object`` (a patch of another shot)
crossing the frame.

``splice_render`` writes the clip and returns its truth: each transition's frame span (as in
``synth.clip_make``: the frames that belong to neither shot alone; a cut's span is the first
frame of the new shot) and each negative's span.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from .ffmpeg import frames_write

FrameOf = Callable[[str, int], np.ndarray]  # (video name, frame index) -> RGB uint8 (H, W, 3)


def splice_render(recipe: dict, frame_of: FrameOf, path: Path | str) -> dict:
    """Write ``recipe`` as an H.264 mp4 at ``path`` and return its truth.

    Returns ``{"fps", "frames", "transitions": [{"type", "start", "end"}], "negatives":
    [{"type", "start", "end"}]}``. Source frames of any size are letterboxed into the recipe's
    ``size``.
    """
    width, height = recipe["size"]
    out: list[np.ndarray] = []
    transitions, negatives = [], []
    for index, piece in enumerate(recipe["pieces"]):
        frames = _piece_frames(piece, frame_of, width, height)
        join = piece.get("join", "cut")
        join = {"type": join} if isinstance(join, str) else join
        if index == 0:
            start = len(out)
            out.extend(frames)
        else:
            start, span = _join(out, frames, join)
            transitions.append({"type": join["type"], "start": span[0], "end": span[1]})
        for effect in piece.get("effects", []):
            lo, hi = _effect_span(effect, len(frames))
            negatives.append({"type": effect["type"], "start": start + lo, "end": start + hi})
    frames_write(path, iter(out), fps=recipe["fps"], width=width, height=height, crf=recipe.get("crf", 23))
    return {"fps": recipe["fps"], "frames": len(out), "transitions": transitions, "negatives": negatives}


def _join(out: list, frames: list, join: dict) -> tuple[int, tuple[int, int]]:
    """Append ``frames`` to ``out`` through ``join``; return (index of the piece's first
    frame in ``out``, the transition's span)."""
    kind = join["type"]
    if kind in ("cut", "cut_black"):
        start = len(out)
        out.extend(frames)
        return start, (start, start)
    if kind == "dissolve":
        n = join["frames"]
        start = len(out) - n
        for k in range(n):
            a = (k + 1) / (n + 1)
            out[start + k] = _u8(out[start + k] * (1 - a) + frames[k].astype(np.float32) * a)
        out.extend(frames[n:])
        return start, (start, start + n - 1)
    if kind == "fade":
        n_out, n_in = join["out"], join["in"]
        first = len(out) - n_out
        for k in range(n_out):
            out[first + k] = _u8(out[first + k] * (1 - (k + 1) / (n_out + 1)))
        out.extend([np.zeros_like(frames[0])] * join.get("black", 0))
        start = len(out)
        out.extend(_ramp_in(frames, n_in))
        return start, (first, start + n_in - 1)
    if kind == "fade_in":
        start = len(out)
        out.extend(_ramp_in(frames, join["frames"]))
        return start, (start, start + join["frames"] - 1)
    raise ValueError(f"unknown join {kind!r}")


def _ramp_in(frames: list, n: int) -> list:
    return [_u8(f * ((k + 1) / (n + 1))) if k < n else f for k, f in enumerate(frames)]


def _u8(frame: np.ndarray) -> np.ndarray:
    return np.clip(frame, 0, 255).astype(np.uint8)


def _piece_frames(piece: dict, frame_of: FrameOf, width: int, height: int) -> list:
    if "black" in piece:
        return [np.zeros((height, width, 3), np.uint8)] * piece["black"]
    effects = piece.get("effects", [])
    n = piece["frames"]
    windows = _crop_windows(effects, n)
    frames = []
    for t in range(n):
        src = frame_of(piece["video"], piece["first"] + t)
        # Effects touch the picture only: letterbox bars stay black through a flash.
        picture = _fit(_crop(src, windows[t]), width, height).astype(np.float32)
        for effect in effects:
            picture = _apply(effect, picture, t, frame_of)
        frames.append(_letterbox(_u8(picture), width, height))
    return frames


def _crop_windows(effects: list, n: int) -> list:
    """Per frame (x, y, zoom): the crop window's centre as fractions of the source, and its
    size relative to the source. ``pan`` moves it from ``from`` to ``to`` (fractions of the
    free travel); ``shake`` adds seeded jitter of ``amount`` (fraction of the window)."""
    x = np.full(n, 0.5)
    y = np.full(n, 0.5)
    zoom = 1.0
    for effect in effects:
        if effect["type"] == "pan":
            zoom = effect["zoom"]
            x = np.linspace(effect["from"], effect["to"], n)
        elif effect["type"] == "shake":
            zoom = min(zoom, effect.get("zoom", 0.8))
            rng = np.random.default_rng(effect["seed"])
            jitter = rng.normal(0, effect["amount"] * zoom / max(1e-6, 1 - zoom), (2, n))
            x, y = np.clip(x + jitter[0], 0, 1), np.clip(y + jitter[1], 0, 1)
    return [(float(x[t]), float(y[t]), zoom) for t in range(n)]


def _crop(src: np.ndarray, window: tuple) -> np.ndarray:
    x, y, zoom = window
    if zoom >= 1.0:
        return src
    h, w = src.shape[:2]
    cw, ch = zoom * w, zoom * h
    x0, y0 = x * (w - cw), y * (h - ch)
    # A sub-pixel affine crop: a pan at a steady speed stays steady (no 1-pixel stutter).
    m = np.float32([[1, 0, -x0], [0, 1, -y0]])
    return cv2.warpAffine(src, m, (int(round(cw)), int(round(ch))), flags=cv2.INTER_LINEAR)


def _fit(src: np.ndarray, width: int, height: int) -> np.ndarray:
    """``src`` scaled to fit inside ``width`` x ``height``, keeping its shape."""
    h, w = src.shape[:2]
    scale = min(width / w, height / h)
    size = (max(1, int(round(w * scale))), max(1, int(round(h * scale))))
    return cv2.resize(src, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)


def _letterbox(picture: np.ndarray, width: int, height: int) -> np.ndarray:
    h, w = picture.shape[:2]
    if (w, h) == (width, height):
        return picture
    canvas = np.zeros((height, width, 3), np.uint8)
    x0, y0 = (width - w) // 2, (height - h) // 2
    canvas[y0 : y0 + h, x0 : x0 + w] = picture
    return canvas


def _apply(effect: dict, frame: np.ndarray, t: int, frame_of: FrameOf) -> np.ndarray:
    kind, at = effect["type"], effect.get("at", 0)
    if kind == "gain" and t >= at:
        return frame * effect["gain"]
    if kind == "tint" and t >= at:
        return frame * np.float32(effect["rgb"])
    if kind == "lightning" and t >= at:
        frame = frame * effect["gain"]
        return _flash(frame, 0.8 * 0.6 ** (t - at)) if t < at + 2 else frame
    if kind == "flash" and at <= t < at + effect["frames"]:
        return _flash(frame, effect["strength"] * 0.7 ** (t - at))
    if kind == "object" and at <= t < at + effect["frames"]:
        return _paste(frame, effect, (t - at) / max(1, effect["frames"] - 1), frame_of)
    return frame


def _flash(frame: np.ndarray, a: float) -> np.ndarray:
    return frame * (1 - a) + 255 * a


def _paste(frame: np.ndarray, effect: dict, progress: float, frame_of: FrameOf) -> np.ndarray:
    """An elliptical patch of another shot sliding across the frame, left to right."""
    h, w = frame.shape[:2]
    ph = int(round(effect["size"] * h))
    pw = int(round(ph * effect.get("aspect", 1.0)))
    src = frame_of(effect["video"], effect["frame"])
    sh, sw = src.shape[:2]
    ch = sh // 2
    cw = min(sw, int(ch * pw / ph))
    centre = src[(sh - ch) // 2 : (sh + ch) // 2, (sw - cw) // 2 : (sw + cw) // 2]
    patch = cv2.resize(centre, (pw, ph), interpolation=cv2.INTER_AREA).astype(np.float32)
    mask = np.zeros((ph, pw), np.float32)
    cv2.ellipse(mask, (pw // 2, ph // 2), (pw // 2 - 1, ph // 2 - 1), 0, 0, 360, 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), 1.5)[..., None]
    x = int(round(-pw + progress * (w + pw)))
    y = int(round(effect.get("y", 0.5) * h - ph / 2))
    x0, x1, y0, y1 = max(0, x), min(w, x + pw), max(0, y), min(h, y + ph)
    if x1 <= x0 or y1 <= y0:
        return frame
    region = (slice(y0, y1), slice(x0, x1))
    p, m = patch[y0 - y : y1 - y, x0 - x : x1 - x], mask[y0 - y : y1 - y, x0 - x : x1 - x]
    frame[region] = frame[region] * (1 - m) + p * m
    return frame


def _effect_span(effect: dict, n: int) -> tuple[int, int]:
    """Frames of the piece where the effect could fool a detector (inclusive)."""
    kind, at = effect["type"], effect.get("at", 0)
    if kind in ("pan", "shake"):
        return 0, n - 1
    if kind in ("flash", "object"):
        return at, at + effect["frames"] - 1
    if kind == "lightning":
        return at, at + 2
    return at, at
