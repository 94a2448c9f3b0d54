"""yt-dlp client: download one video from a URL into a folder. The only module importing yt_dlp.

yt-dlp runs inside ``apps.core.net.guarded()``: every socket it opens (the page, each redirect,
every URL an extractor finds, HLS/DASH fragments) is checked where it connects. So that no
network URL ever reaches a child process the guard cannot see, yt-dlp gets no ffmpeg (HLS
streams it cannot read natively and live streams fail instead of going to ffmpeg), native
downloaders only, formats over http(s) or HLS only (no rtmp/rtsp/websocket), one fragment at a
time (fragments stay on the guarded thread) and no proxy. Also a size cap, a duration filter,
no playlists and a quiet logger. Errors come back as ``DownloadFailed`` with a message a user
can act on: an HTTP status or "no video" when a server answered, otherwise one neutral message.
"""

from __future__ import annotations

import http
from collections.abc import Callable
from pathlib import Path

from apps.core.net import guarded

UNREACHABLE = "The video could not be fetched from that URL. Check that it is a public web " "address of a video."
# The best format up to 1080p, over http(s) (direct files, DASH) or HLS: native downloaders.
FORMAT = (
    "best[height<=?1080][protocol^=http]/best[height<=?1080][protocol^=m3u8]/"
    "best[protocol^=http]/best[protocol^=m3u8]"
)


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
    url: str,
    folder: Path,
    *,
    max_bytes: int,
    max_seconds: float,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Download ``url`` into ``folder``; return ``{"path", "title", "url", "extractor"}``.

    Raises ``DownloadFailed``; a connection the guard refuses is one of its neutral failures.
    """
    import yt_dlp

    folder.mkdir(parents=True, exist_ok=True)
    logger = _QuietLogger()

    def hook(d: dict) -> None:
        done = int(d.get("downloaded_bytes") or 0)
        if done > max_bytes:
            raise _TooLarge()
        if progress and d.get("status") == "downloading":
            with guarded(False):  # our callback, talking to our own services
                progress(done, int(d.get("total_bytes") or d.get("total_bytes_estimate") or 0))

    def duration_filter(info: dict, *, incomplete: bool) -> str | None:
        duration = info.get("duration")
        if duration and duration > max_seconds:
            return f"The video is {duration:.0f} s long; the limit is {max_seconds:.0f} s."
        return None

    opts = {
        "outtmpl": str(folder / "source.%(ext)s"),
        "format": FORMAT,
        "max_filesize": max_bytes,
        "noplaylist": True,
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "socket_timeout": 30,
        "retries": 2,
        "match_filter": duration_filter,
        "progress_hooks": [hook],
        "logger": logger,
        "cachedir": False,
        "restrictfilenames": True,
        "overwrites": True,
        # A path that does not exist: yt-dlp then has no ffmpeg (it would otherwise find one
        # on PATH) and cannot hand a URL to an ffmpeg child process.
        "ffmpeg_location": str(folder / "no-ffmpeg"),
        "external_downloader": {"default": "native"},
        "hls_prefer_native": True,
        "concurrent_fragment_downloads": 1,
        "proxy": "",
    }
    try:
        with guarded(), yt_dlp.YoutubeDL(opts) as ydl:
            info = ydl.extract_info(url, download=True)
    except _TooLarge as exc:
        raise DownloadFailed(f"The video is larger than the {max_bytes // 2**20} MB limit.") from exc
    except yt_dlp.utils.DownloadError as exc:
        if isinstance(exc.exc_info[1] if exc.exc_info else None, _TooLarge):
            raise DownloadFailed(f"The video is larger than the {max_bytes // 2**20} MB limit.") from exc
        raise DownloadFailed(_explain(exc)) from exc
    return _result(info, folder, logger, max_bytes)


def _result(info: dict | None, folder: Path, logger: _QuietLogger, max_bytes: int) -> dict:
    if not info:
        reason = next((e for e in logger.errors if "limit" in e), "")
        raise DownloadFailed(reason or "Nothing was downloaded from that URL.")
    files = [Path(d["filepath"]) for d in info.get("requested_downloads") or [] if d.get("filepath")]
    files = [f for f in files if f.exists()] or sorted(folder.glob("source.*"))
    if not files:
        # yt-dlp skips (without raising) a file whose announced size is over max_filesize.
        raise DownloadFailed(
            f"The video is larger than the {max_bytes // 2**20} MB limit, " "or the URL had no downloadable video."
        )
    return {
        "path": files[0],
        "title": str(info.get("title") or "")[:200],
        "url": info.get("url") or info.get("webpage_url") or "",
        "extractor": info.get("extractor_key") or info.get("extractor") or "",
    }


def _explain(exc: Exception) -> str:
    """An HTTP status (only an address the guard approved can answer one) or "no video" keep
    their meaning; anything else (refused address, refused or reset connection, timeout,
    unknown host) is one neutral message, so the errors cannot map an internal network."""
    from yt_dlp.networking.exceptions import HTTPError
    from yt_dlp.utils import UnsupportedError

    for err in _causes(exc):
        if isinstance(err, HTTPError):
            try:
                phrase = http.HTTPStatus(err.status).phrase
            except ValueError:
                phrase = "error"
            return f"The URL could not be downloaded: HTTP {err.status} {phrase}."
        if isinstance(err, UnsupportedError):
            return "No video was found at that URL."
    return UNREACHABLE


def _causes(exc: BaseException):
    """``exc`` and what it wraps: yt-dlp's ``exc_info`` and ``cause``, then Python's chain."""
    todo, seen = [exc], set()
    while todo:
        err = todo.pop(0)
        if not isinstance(err, BaseException) or id(err) in seen:
            continue
        seen.add(id(err))
        yield err
        exc_info = getattr(err, "exc_info", None) or (None, None)
        todo += [exc_info[1], getattr(err, "cause", None), err.__cause__, err.__context__]
