"""Probe a file before anything else touches it: is it a video, and how long, fast and big.

There is no ffprobe beside imageio-ffmpeg's ffmpeg, so one ffmpeg run decodes the first frame,
to prove the stream is readable, and we read what it prints about the container and its first
video stream (a renamed text file or an mp4 cut short fails here, with a message a person can
act on).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path

from .ffmpeg import LOCAL_INPUT, ffmpeg_exe


class VideoRejected(Exception):
    """The file is not a video we can analyse; the message says why, for the user."""


@dataclass(frozen=True)
class VideoInfo:
    duration: float
    fps: float
    width: int
    height: int
    codec: str
    frames_estimate: int

    def as_dict(self) -> dict:
        return asdict(self)


_DURATION = re.compile(r"Duration:\s*(\d+):(\d+):(\d+(?:\.\d+)?)")
_VIDEO = re.compile(r"Stream #\S+.*?: Video: (?P<codec>[\w-]+)(?P<rest>.*)")
_SIZE = re.compile(r"\b(\d{2,5})x(\d{2,5})\b")
_FPS = re.compile(r"([\d.]+)\s*(?:fps|tbr)\b")


def video_probe(path: Path | str, *, max_duration: float | None = None) -> VideoInfo:
    """Return the video's facts or raise ``VideoRejected`` with a clear reason."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        raise VideoRejected("The file is empty.")
    head = path.open("rb").read(4096)
    if _looks_like_text(head):
        raise VideoRejected("The file is text, not a video.")
    text, failure = _inspect(path)
    info = _parse(text, head)
    if info.duration <= 0 or info.frames_estimate < 1:
        raise VideoRejected("The video has no frames (its duration is 0 seconds).")
    if max_duration is not None and info.duration > max_duration:
        raise VideoRejected(f"The video is {info.duration:.0f} s long; the limit is {max_duration:.0f} s.")
    if failure is not None:
        raise VideoRejected("The video stream cannot be decoded" + (f": {failure}" if failure else "."))
    return info


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return False
    try:
        sample = head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in sample)
    return printable / len(sample) > 0.95


def _parse(text: str, head: bytes = b"") -> VideoInfo:
    if "moov atom not found" in text:
        if b"ftyp" in head[:16]:
            raise VideoRejected("The mp4 file is incomplete (it looks truncated).")
        raise VideoRejected("The file is not a video we can read.")
    if "Invalid data found" in text or "Duration" not in text:
        raise VideoRejected("The file is not a video we can read.")
    match = _VIDEO.search(text)
    if not match:
        if re.search(r"Duration:\s*(N/A|00:00:00\.00)", text):
            raise VideoRejected("The video is empty: 0 seconds, no frames.")
        raise VideoRejected("The file has no video stream.")
    rest = match.group("rest")
    size, fps = _SIZE.search(rest), _FPS.search(rest)
    if not size:
        raise VideoRejected("The video stream has no picture size.")
    duration = 0.0
    if dur := _DURATION.search(text):
        h, m, s = dur.groups()
        duration = int(h) * 3600 + int(m) * 60 + float(s)
    rate = float(fps.group(1)) if fps else 25.0
    width, height = int(size.group(1)), int(size.group(2))
    # Phone videos store portrait frames as landscape plus a rotation; ffmpeg applies it when
    # decoding, so the picture we get is the rotated one.
    if re.search(r"rotation of -?(90|270)(\.0+)? degrees", text):
        width, height = height, width
    return VideoInfo(
        duration=duration,
        fps=rate,
        width=width,
        height=height,
        codec=match.group("codec"),
        frames_estimate=int(round(duration * rate)),
    )


def _inspect(path: Path) -> tuple[str, str | None]:
    """What ffmpeg prints about the file as it decodes the first video frame, and None when
    that worked, else its last error line ("" when it gave none)."""
    cmd = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "level+info",
        # One frame needs no decoding or filter threads: without them the probe costs ~0.85x the
        # CPU (20-30 ms a file), and it prints the same.
        "-threads",
        "1",
        *LOCAL_INPUT,
        "-i",
        str(path),
        "-map",
        "0:v:0",
        "-frames:v",
        "1",
        "-filter_threads",
        "1",
        "-f",
        "null",
        "-",
    ]
    proc = subprocess.run(cmd, capture_output=True, timeout=60)
    text = proc.stderr.decode("utf-8", "replace")
    if proc.returncode == 0:
        return text, None
    errors = [_LEVEL.sub("", line, count=1).strip() for line in text.splitlines() if _LEVEL.search(line)]
    return text, errors[-1] if errors else ""


_LEVEL = re.compile(r"\[(?:error|fatal)\] ")
