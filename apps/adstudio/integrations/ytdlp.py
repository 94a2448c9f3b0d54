"""yt-dlp client: download one video from a URL into a folder. The only module importing yt_dlp.

yt-dlp gets imageio-ffmpeg's ffmpeg (for formats that need merging), a size cap, a duration
filter, no playlists and a quiet logger; its errors come back as ``DownloadFailed`` with a
message a user can act on. The caller checks the URL first (``apps.core.net.url_validate``).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path


class DownloadFailed(Exception):
    """The download did not produce a file; the message is for the user."""


class _TooLarge(Exception):
    pass


class _QuietLogger:
    def __init__(self):
        self.errors: list[str] = []

    def debug(self, msg):
        pass

    def info(self, msg):
        pass

    def warning(self, msg):
        pass

    def error(self, msg):
        self.errors.append(str(msg))


def download(
    url: str, folder: Path, *, max_bytes: int, max_seconds: float, ffmpeg_location: str,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Download ``url`` into ``folder``; return ``{"path", "title", "url", "extractor"}``."""
    import yt_dlp

    folder.mkdir(parents=True, exist_ok=True)
    logger = _QuietLogger()

    def hook(d: dict) -> None:
        done = int(d.get("downloaded_bytes") or 0)
        if done > max_bytes:
            raise _TooLarge()
        if progress and d.get("status") == "downloading":
            progress(done, int(d.get("total_bytes") or d.get("total_bytes_estimate") or 0))

    def duration_filter(info: dict, *, incomplete: bool) -> str | None:
        duration = info.get("duration")
        if duration and duration > max_seconds:
            return f"The video is {duration:.0f} s long; the limit is {max_seconds:.0f} s."
        return None

    opts = {
        "outtmpl": str(folder / "source.%(ext)s"), "format": "best[height<=1080]/best",
        "max_filesize": max_bytes, "noplaylist": True, "quiet": True, "no_warnings": True,
        "noprogress": True, "ffmpeg_location": ffmpeg_location, "socket_timeout": 30,
        "retries": 2, "match_filter": duration_filter, "progress_hooks": [hook],
        "logger": logger, "cachedir": False, "restrictfilenames": True, "overwrites": True,
    }
    try:
        with yt_dlp.YoutubeDL(opts) as ydl:
            info = ydl.extract_info(url, download=True)
    except _TooLarge as exc:
        raise DownloadFailed(f"The video is larger than the {max_bytes // 2**20} MB limit.") \
            from exc
    except yt_dlp.utils.DownloadError as exc:
        if isinstance(exc.exc_info[1] if exc.exc_info else None, _TooLarge):
            raise DownloadFailed(
                f"The video is larger than the {max_bytes // 2**20} MB limit.") from exc
        raise DownloadFailed(_explain(str(exc))) from exc
    return _result(info, folder, logger, max_bytes)


def _result(info: dict | None, folder: Path, logger: _QuietLogger, max_bytes: int) -> dict:
    if not info:
        reason = next((e for e in logger.errors if "limit" in e), "")
        raise DownloadFailed(reason or "Nothing was downloaded from that URL.")
    files = [Path(d["filepath"]) for d in info.get("requested_downloads") or []
             if d.get("filepath")]
    files = [f for f in files if f.exists()] or sorted(folder.glob("source.*"))
    if not files:
        # yt-dlp skips (without raising) a file whose announced size is over max_filesize.
        raise DownloadFailed(f"The video is larger than the {max_bytes // 2**20} MB limit, "
                             "or the URL had no downloadable video.")
    return {"path": files[0], "title": str(info.get("title") or "")[:200],
            "url": info.get("url") or info.get("webpage_url") or "",
            "extractor": info.get("extractor_key") or info.get("extractor") or ""}


def _explain(message: str) -> str:
    text = re.sub(r"^ERROR:\s*", "", message.strip())
    if m := re.search(r"HTTP Error (\d{3}):?\s*([^\n(]*)", text):
        return f"The URL could not be downloaded: HTTP {m.group(1)} {m.group(2).strip()}."
    if "Unsupported URL" in text:
        return "No video was found at that URL."
    if "timed out" in text.lower():
        return "The download timed out."
    return f"The download failed: {text[:300]}"
