"""The ffmpeg binary that imageio-ffmpeg ships, driven through pipes.

The only module that starts ffmpeg. Frames travel as raw RGB24 bytes, so decoding and scaling
run in ffmpeg's own threads while Python only sees small numpy arrays. Every read uses
``-fps_mode passthrough`` so frame *n* here is frame *n* everywhere else (no duplicated or
dropped frames from a frame-rate conversion).
"""
from __future__ import annotations

import subprocess
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np


class FFmpegError(Exception):
    """ffmpeg could not read or write a file; the message is ffmpeg's last error line."""


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


# Before every "-i" of a stored file: an upload can be a playlist (HLS, ffconcat) naming URLs,
# and ffmpeg, a child process, is beyond the in-process address guard (apps.core.net).
LOCAL_INPUT = ("-protocol_whitelist", "file,pipe")


def ffmpeg_info(path: Path | str, *, timeout: float = 30) -> str:
    """Return what ``ffmpeg -i`` prints about a file (its stderr); ffmpeg itself exits 1."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", *LOCAL_INPUT, "-i", str(path)]
    proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
    return proc.stderr.decode("utf-8", "replace")


def frames_read(
    path: Path | str, *, width: int, height: int, select: Sequence[int] | None = None,
    threads: int = 0,
) -> Iterator[np.ndarray]:
    """Yield the video's frames scaled to ``width``x``height`` as uint8 RGB arrays (H, W, 3).

    With ``select`` only those frame indices come out (ffmpeg's select filter decodes the rest
    without converting them), in increasing order.
    """
    if select is not None:
        picks = sorted(set(int(n) for n in select))
        # ffmpeg refuses select expressions much past 100 terms: one decoding pass per chunk.
        for k in range(0, len(picks), SELECT_CHUNK):
            yield from _frames_read(path, width, height, picks[k:k + SELECT_CHUNK], threads)
        return
    yield from _frames_read(path, width, height, None, threads)


SELECT_CHUNK = 90


def _frames_read(path, width, height, picks, threads):
    filters = []
    if picks:
        terms = "+".join(f"eq(n\\,{n})" for n in picks)
        filters.append(f"select='{terms}'")
    filters.append(f"scale={width}:{height}:flags=area")
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-threads", str(threads),
        *LOCAL_INPUT, "-i", str(path), "-map", "0:v:0", "-vf", ",".join(filters),
        "-fps_mode", "passthrough",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-",
    ]
    size = width * height * 3
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while True:
            buf = proc.stdout.read(size)
            if len(buf) < size:
                break
            yield np.frombuffer(buf, np.uint8).reshape(height, width, 3)
    finally:
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        code = proc.wait()
    if code != 0:
        last = [line for line in err.strip().splitlines() if line.strip()]
        raise FFmpegError(last[-1] if last else f"ffmpeg exited with {code}")


def frames_write(
    path: Path | str, frames: Iterator[np.ndarray], *, fps: float, width: int, height: int,
    crf: int = 23,
) -> None:
    """Encode RGB frames to an H.264 mp4 (yuv420p, so every player and OpenCV can read it)."""
    cmd = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", f"{fps}",
        "-i", "-", "-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf),
        "-pix_fmt", "yuv420p", "-threads", "1", str(path),
    ]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for frame in frames:
            proc.stdin.write(np.ascontiguousarray(frame, dtype=np.uint8).tobytes())
    finally:
        proc.stdin.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        code = proc.wait()
    if code != 0:
        raise FFmpegError(err.strip().splitlines()[-1] if err.strip() else f"exit {code}")
