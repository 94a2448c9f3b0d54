"""Shots of a video file: decode once at analysis size, compute features, detect."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .features import FrameFeatures, analysis_size, features_compute
from .ffmpeg import frames_read
from .shots import ShotParams, shots_detect


def features_from_file(
    path: Path | str,
    *,
    fps: float,
    width: int,
    height: int,
    expected: int = 0,
    progress: Callable[[int, int], None] | None = None,
    scene_colours: bool = True,
) -> FrameFeatures:
    w, h = analysis_size(width, height)
    # One decoding thread and one filter thread: the features are computed on another core
    # meanwhile, and ffmpeg's own threads cost more CPU than they save when the cores are busy.
    frames = frames_read(path, width=w, height=h, threads=1, yuv=True)
    return features_compute(frames, fps=fps, expected=expected, progress=progress, scene_colours=scene_colours)


def shots_from_file(
    path: Path | str,
    *,
    fps: float,
    width: int,
    height: int,
    params: ShotParams = ShotParams(),
) -> dict:
    """Return ``{"fps", "frames", "shots": [[first, last], ...]}`` for a probed video."""
    features = features_from_file(path, fps=fps, width=width, height=height, scene_colours=False)
    return {"fps": fps, "frames": features.count, "shots": shots_detect(features, params)}
