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

import cv2
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


def frames_read(
    path: Path | str,
    *,
    width: int,
    height: int,
    select: Sequence[int] | None = None,
    threads: int = 0,
    yuv: bool = False,
) -> Iterator[np.ndarray]:
    """Yield the video's frames scaled to ``width``x``height`` as uint8 RGB arrays (H, W, 3).

    With ``select`` only those frame indices come out (ffmpeg's select filter decodes the rest
    without converting them), in increasing order. With ``yuv`` (even sizes only) ffmpeg hands
    over YUV 4:2:0, half the bytes, and OpenCV turns it into RGB (BT.601): less work in all,
    for colours within a level or two of ffmpeg's own conversion. ``threads`` (0: ffmpeg's
    default, one per core) bounds both the decoder's threads and the filter graph's: ffmpeg's
    command line (7.0 on) already runs demuxing, decoding, filtering and muxing each in a thread
    of its own, and at one decoding thread the scaler's default slice threads are pure hand-over
    cost. One clip of 537 frames at 320x180: 17,365 futex calls and 11 threads with them, 10,620
    and 7 without; CPU 0.86x (0.95x on 40 s of 640x360), the output bit-identical on 66 files.
    """
    if select is not None:
        picks = sorted(set(int(n) for n in select))
        # ffmpeg refuses select expressions much past 100 terms: one decoding pass per chunk.
        for k in range(0, len(picks), SELECT_CHUNK):
            yield from _frames_read(path, width, height, picks[k : k + SELECT_CHUNK], threads, yuv)
        return
    yield from _frames_read(path, width, height, None, threads, yuv)


SELECT_CHUNK = 90


def _frames_read(path, width, height, picks, threads, yuv):
    filters = []
    if picks:
        terms = "+".join(f"eq(n\\,{n})" for n in picks)
        filters.append(f"select='{terms}'")
    filters.append(f"scale={width}:{height}:flags=area")
    cmd = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-threads",
        str(threads),
        *LOCAL_INPUT,
        "-i",
        str(path),
        "-map",
        "0:v:0",
        "-vf",
        ",".join(filters),
        # The scaler's slice threads too: on frames this small they only hand work back and forth
        # (see ``frames_read``).
        *(["-filter_threads", str(threads)] if threads else []),
        "-fps_mode",
        "passthrough",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "yuv420p" if yuv else "rgb24",
        "-",
    ]
    size = width * height * 3 // (2 if yuv else 1)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while True:
            buf = proc.stdout.read(size)
            if len(buf) < size:
                break
            frame = np.frombuffer(buf, np.uint8)
            yield (
                cv2.cvtColor(frame.reshape(height * 3 // 2, width), cv2.COLOR_YUV2RGB_I420)
                if yuv
                else frame.reshape(height, width, 3)
            )
    finally:
        proc.stdout.close()
        err = proc.stderr.read().decode("utf-8", "replace")
        proc.stderr.close()
        code = proc.wait()
    if code != 0:
        last = [line for line in err.strip().splitlines() if line.strip()]
        raise FFmpegError(last[-1] if last else f"ffmpeg exited with {code}")


def frames_write(
    path: Path | str,
    frames: Iterator[np.ndarray],
    *,
    fps: float,
    width: int,
    height: int,
    crf: int = 23,
) -> None:
    """Encode RGB frames to an H.264 mp4 (yuv420p, so every player and OpenCV can read it)."""
    cmd = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{width}x{height}",
        "-r",
        f"{fps}",
        "-i",
        "-",
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        str(crf),
        "-pix_fmt",
        "yuv420p",
        "-threads",
        "1",
        str(path),
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
