"""Synthetic clips with known shot boundaries, for the tests, the benchmark and the demo.

Each shot is a camera moving over its own painted "world" (smooth colour fields, shapes and
fine texture in a random palette) with sprites crossing it, sensor noise and H.264 compression.
Shots are joined by cuts, dissolves or fades; flashes (a few near-white frames) and fast pans
with hand-held shake are the usual traps for a shot detector. The returned ground truth lists
every transition with its frame span, so a detector is scored the same way for every kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from .ffmpeg import frames_write

KINDS = ("cuts", "dissolves", "fades", "flashes", "motion", "mixed")


@dataclass
class _Shot:
    world: np.ndarray
    frames: int
    x0: float
    y0: float
    vx: float
    vy: float
    shake: float
    sprites: list = field(default_factory=list)
    drift: float = 0.0

    def render(self, t: int, w: int, h: int, rng: np.random.Generator) -> np.ndarray:
        jx, jy = rng.normal(0, self.shake, 2) if self.shake else (0.0, 0.0)
        x = int(np.clip(self.x0 + self.vx * t + jx, 0, self.world.shape[1] - w))
        y = int(np.clip(self.y0 + self.vy * t + jy, 0, self.world.shape[0] - h))
        frame = self.world[y : y + h, x : x + w].astype(np.float32)
        for colour, radius, sx, sy, svx, svy in self.sprites:
            cx, cy = int(sx + svx * t) % (w + 2 * radius) - radius, int(sy + svy * t) % h
            cv2.circle(frame, (cx, cy), radius, colour, -1, lineType=cv2.LINE_AA)
        if self.drift:
            frame *= 1.0 + self.drift * t / max(self.frames, 1)
        return frame


def _palette(rng: np.random.Generator, n: int) -> np.ndarray:
    hsv = np.stack([rng.uniform(0, 180, n), rng.uniform(60, 255, n), rng.uniform(50, 255, n)], 1)
    base_hue = rng.uniform(0, 180)
    hsv[:, 0] = (base_hue + rng.normal(0, 25, n)) % 180
    return cv2.cvtColor(hsv.astype(np.uint8)[None], cv2.COLOR_HSV2RGB)[0].astype(np.float32)


def _world(rng: np.random.Generator, palette: np.ndarray, w: int, h: int) -> np.ndarray:
    field_ = cv2.resize(rng.random((4, max(4, w * 4 // h))).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    ranks = np.clip((field_ - field_.min()) / (np.ptp(field_) + 1e-6), 0, 0.999)
    idx = (ranks * len(palette)).astype(int)
    world = palette[idx]
    world = cv2.GaussianBlur(world, (0, 0), max(1.0, h / 60))
    scale = h / 90
    for _ in range(int(w / h * 6)):
        tint = palette[rng.integers(len(palette))] * rng.uniform(0.6, 1.3)
        colour = tuple(float(c) for c in tint)
        centre = (int(rng.uniform(0, w)), int(rng.uniform(0, h)))
        if rng.random() < 0.5:
            cv2.circle(world, centre, int(rng.uniform(4, 20) * scale), colour, -1)
        else:
            size = (int(rng.uniform(5, 30) * scale), int(rng.uniform(5, 30) * scale))
            cv2.rectangle(world, centre, (centre[0] + size[0], centre[1] + size[1]), colour, -1)
    texture = cv2.resize(rng.normal(0, 12, (h // 3 + 1, w // 3 + 1)).astype(np.float32), (w, h))
    return np.clip(world + texture[..., None], 0, 255)


def _shot(rng, w, h, frames, palette, *, fast: bool) -> _Shot:
    speed = rng.uniform(0.04, 0.10) * w if fast else rng.uniform(0, 0.006) * w
    vx = speed * rng.choice([-1, 1])
    vy = rng.uniform(-0.002, 0.002) * h
    ww = int(w + abs(vx) * frames + 8 * w / 160 + 2)
    wh = int(h + abs(vy) * frames + 8 * h / 90 + 2)
    world = _world(rng, palette, ww, wh)
    x0 = (ww - w) / 2 - vx * frames / 2
    y0 = (wh - h) / 2 - vy * frames / 2
    sprites = []
    for _ in range(int(rng.integers(0, 3))):
        colour = tuple(float(c) for c in palette[rng.integers(len(palette))] * 0.7)
        sprites.append(
            (
                colour,
                int(rng.uniform(3, 9) * h / 90),
                rng.uniform(0, w),
                rng.uniform(0, h),
                rng.uniform(-0.03, 0.03) * w,
                rng.uniform(-1, 1),
            )
        )
    return _Shot(
        world,
        frames,
        x0,
        y0,
        vx,
        vy,
        shake=(2.0 * w / 160 if fast else 0.0),
        sprites=sprites,
        drift=rng.uniform(-0.15, 0.15),
    )


def _plan(rng: np.random.Generator, kind: str, n_shots: int) -> list[str]:
    if kind in ("cuts", "flashes", "motion"):
        return ["cut"] * (n_shots - 1)
    if kind == "dissolves":
        return ["dissolve"] * (n_shots - 1)
    if kind == "fades":
        return ["fade"] * (n_shots - 1)
    return [str(rng.choice(["cut", "cut", "dissolve", "fade"])) for _ in range(n_shots - 1)]


def clip_make(
    path: Path | str,
    *,
    kind: str = "mixed",
    seed: int = 0,
    seconds: float = 12.0,
    width: int = 160,
    height: int = 90,
    fps: float = 24.0,
) -> dict:
    """Write a synthetic mp4 and return its ground truth.

    Returns ``{"fps", "frames", "transitions": [{"type", "start", "end"}], "shots",
    "flashes": [frame, ...]}``; a transition's span covers every frame that belongs to neither
    shot alone (for a cut, start == end == the first frame of the new shot).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown clip kind {kind!r}; expected one of {KINDS}")
    rng = np.random.default_rng(seed)
    frames, gt = _timeline(rng, kind, seconds, width, height, fps)
    noise_rng = np.random.default_rng(seed + 1)

    def finished():
        for frame in frames:
            noise = noise_rng.normal(0, 2.0, frame.shape).astype(np.float32)
            noisy = frame.astype(np.float32) + noise
            yield np.clip(noisy, 0, 255).astype(np.uint8)

    frames_write(path, finished(), fps=fps, width=width, height=height)
    return gt


def _timeline(rng, kind, seconds, w, h, fps):
    total = int(seconds * fps)
    lengths = []
    while sum(lengths) < total:
        lengths.append(int(rng.uniform(1.0, 3.0) * fps))
    plan = _plan(rng, kind, len(lengths))
    palette = _palette(rng, 5)
    shots = []
    for i, n in enumerate(lengths):
        # One cut in four stays in the same palette (another angle of the same place): colour
        # histograms alone cannot see that cut.
        if i and not (plan[i - 1] == "cut" and rng.random() < 0.25):
            palette = _palette(rng, 5)
        fast = kind == "motion" or (kind == "mixed" and rng.random() < 0.3)
        shots.append(_shot(rng, w, h, n, palette, fast=fast))
    flash_every = {"flashes": 1.0, "mixed": 0.3}.get(kind, 0.0)
    return _assemble(rng, shots, plan, w, h, flash_every, fps)


def _u8(frame: np.ndarray) -> np.ndarray:
    return np.clip(frame, 0, 255).astype(np.uint8)


def _assemble(rng, shots, plan, w, h, flash_every, fps):
    out: list[np.ndarray] = []
    transitions, flashes, cuts_at = [], [], []
    pure_from = 0  # first frame after the previous transition: a transition never eats into it
    for i, shot in enumerate(shots):
        frames = [_u8(shot.render(t, w, h, rng)) for t in range(shot.frames)]
        at = None
        # Flashes stay clear of both transitions so each trap is scored on its own.
        if rng.random() < flash_every and shot.frames > 40:
            at = int(rng.integers(14, shot.frames - 26))
            for k in range(int(rng.integers(1, 4))):
                a = rng.uniform(0.6, 0.9) * (0.7**k)
                frames[at + k] = _u8(frames[at + k] * (1 - a) + 255 * a)
        kind = plan[i - 1] if i else None
        first = len(out)
        if kind is None or kind == "cut":
            if kind:
                transitions.append({"type": "cut", "start": len(out), "end": len(out)})
                cuts_at.append(len(out))
            out.extend(frames)
        elif kind == "dissolve":
            n = int(min(rng.uniform(0.35, 1.0) * fps, (len(out) - pure_from) // 2, len(frames) // 3))
            start = first = len(out) - n
            for k in range(n):
                a = (k + 1) / (n + 1)
                out[start + k] = _u8(out[start + k] * (1 - a) + frames[k].astype(np.float32) * a)
            out.extend(frames[n:])
            transitions.append({"type": "dissolve", "start": start, "end": start + n - 1})
            cuts_at.append(start + n // 2)
        else:
            n_out = int(min(rng.uniform(0.25, 0.7) * fps, (len(out) - pure_from) // 2))
            n_black = int(rng.integers(0, 7))
            n_in = int(min(rng.uniform(0.25, 0.7) * fps, len(frames) // 3))
            start = len(out) - n_out
            for k in range(n_out):
                out[start + k] = _u8(out[start + k] * (1 - (k + 1) / (n_out + 1)))
            out.extend([np.zeros_like(frames[0])] * n_black)
            for k in range(min(n_in, len(frames))):
                frames[k] = _u8(frames[k] * ((k + 1) / (n_in + 1)))
            mid = len(out) - n_black // 2 if n_black else len(out)
            first = len(out)
            out.extend(frames)
            end = len(out) - len(frames) + n_in - 1
            transitions.append({"type": "fade", "start": start, "end": end})
            cuts_at.append(mid)
        if at is not None:
            flashes.append(first + at)
        pure_from = transitions[-1]["end"] + 1 if transitions else 0
    bounds = [0, *cuts_at, len(out)]
    shot_list = [[bounds[k], bounds[k + 1] - 1] for k in range(len(bounds) - 1)]
    gt = {"fps": fps, "frames": len(out), "transitions": transitions, "shots": shot_list, "flashes": flashes}
    return out, gt
