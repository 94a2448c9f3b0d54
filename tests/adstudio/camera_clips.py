"""Synthetic shots with a known camera move and known framing, for the shot-attribute tests."""

from __future__ import annotations

import cv2
import numpy as np

MOVES = ("static", "pan", "tilt", "zoom", "handheld")


def world(seed: int, width: int, height: int, *, shapes: int = 160) -> np.ndarray:
    """A textured scene (soft colour field, shapes, fine grain) bigger than any view of it."""
    rng = np.random.default_rng(seed)
    base = cv2.resize(rng.random((6, 10, 3)).astype(np.float32) * 255, (width, height), interpolation=cv2.INTER_CUBIC)
    for _ in range(shapes):
        colour = tuple(float(c) for c in rng.uniform(0, 255, 3))
        centre = (int(rng.uniform(0, width)), int(rng.uniform(0, height)))
        cv2.circle(base, centre, int(rng.uniform(4, 30)), colour, -1)
    grain = cv2.resize(rng.normal(0, 14, (height // 3, width // 3, 3)).astype(np.float32), (width, height))
    return np.clip(base + grain, 0, 255).astype(np.uint8)


def camera_frames(
    move: str, *, seed: int = 0, frames: int = 48, width: int = 320, height: int = 180
) -> list[np.ndarray]:
    """RGB frames of a camera doing ``move`` over a textured world (truth for camera_motion):
    a pan crosses 0.25 frame widths per second at 24 fps, a tilt 0.25 heights, a zoom closes
    in by 30 % over the shot, a handheld camera shakes 1.5 % of the width around one spot."""
    rng = np.random.default_rng(seed + 100)
    big = world(seed, width * 3, height * 3)
    cx, cy = width * 1.5, height * 1.5
    out = []
    for t in range(frames):
        x, y, s = cx, cy, 1.0
        if move == "pan":
            x += 0.25 * width * t / 24
        elif move == "tilt":
            y += 0.25 * height * t / 24
        elif move == "zoom":
            s = 1.0 + 0.3 * t / (frames - 1)
        elif move == "handheld":
            x, y = x + rng.normal(0, 0.015 * width), y + rng.normal(0, 0.015 * width)
        # Affine map from the world to the view: scale s about the view centre.
        m = np.float32([[s, 0, width / 2 - s * x], [0, s, height / 2 - s * y]])
        frame = cv2.warpAffine(big, m, (width, height), flags=cv2.INTER_LINEAR)
        noise = rng.normal(0, 2.0, frame.shape)
        out.append(np.clip(frame + noise, 0, 255).astype(np.uint8))
    return out
