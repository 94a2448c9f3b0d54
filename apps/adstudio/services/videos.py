"""Video sources: an upload or a URL, checked, stored in the owner's workspace.

URLs go through ``apps.core.net``: only public addresses, checked when submitted and again by
its guard on every connection the job opens. A direct link to a video file is downloaded by
net's client; only a web page (HTML) is handed to yt-dlp to find the video on it, with the
guard on every socket yt-dlp opens (redirects, extracted media URLs, fragments). Whatever the
network did, a failed fetch gives one neutral message (an HTTP status only when a server the
guard approved answered), so job errors cannot be used to scan an internal network.
"""

import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from apps.adstudio.integrations import ytdlp
from apps.adstudio.models import Video
from apps.adstudio.services.storage import sha256_of, workspace
from apps.core.errors import ApplicationError
from apps.core.files import atomic_with_files
from apps.core.net import Unreachable, http_download, url_validate

ALLOWED_SUFFIXES = {".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi", ".mpg", ".mpeg"}
PAGE_TYPES = ("text/html", "application/xhtml+xml")
SUFFIX_OF_TYPE = {
    "video/quicktime": ".mov",
    "video/webm": ".webm",
    "video/x-matroska": ".mkv",
    "video/x-msvideo": ".avi",
    "video/mpeg": ".mpg",
}


@transaction.atomic
def video_create_from_url(*, owner, url: str, title: str = "") -> Video:
    """Record a URL source (nothing is downloaded here; the analysis job downloads it).

    Raises ApplicationError (UnsafeURL) when the URL is not http(s) or points to a private
    or local address.
    """
    url = url_validate(url)
    video = Video(owner=owner, source_url=url, title=(title or "").strip()[:200])
    video.full_clean()
    video.save()
    return video


def video_create_from_upload(*, owner, upload, title: str = "") -> Video:
    """Store an uploaded file in the owner's workspace and record it with its content hash.

    Raises ApplicationError for an empty or over-large file or a non-video file name.
    Content is checked (probed) by the analysis job, which fails with a clear message.
    All or nothing: on any error after the file was stored, the row and the file both go.
    """
    name = Path(upload.name or "video.mp4").name
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ApplicationError(
            f"Files ending in {suffix or '(nothing)'} are not videos we "
            f"accept ({', '.join(sorted(ALLOWED_SUFFIXES))}).",
            code="invalid_file",
        )
    if not upload.size:
        raise ApplicationError("The file is empty.", code="invalid_file")
    if upload.size > settings.ADSTUDIO_MAX_UPLOAD_BYTES:
        raise ApplicationError(
            f"The file is larger than the " f"{settings.ADSTUDIO_MAX_UPLOAD_BYTES // 2**20} MB limit.",
            code="too_large",
            status=413,
        )
    with atomic_with_files() as stored:
        video = Video(owner=owner, title=(title or "").strip()[:200] or Path(name).stem[:200])
        video.full_clean()
        video.save()
        video.file.name = default_storage.save(workspace(owner.pk, "videos", str(video.pk), f"source{suffix}"), upload)
        stored.append(video.file.name)
        video.size_bytes = default_storage.size(video.file.name)
        video.content_hash = sha256_of(video.file.name)
        video.save(update_fields=["file", "size_bytes", "content_hash", "updated_at"])
    return video


def video_fetch(*, video: Video, progress) -> None:
    """Download a URL video into its owner's workspace (once); fills file, size and hash.

    Raises ApplicationError (HTTP error, too large, not reachable) or ytdlp.DownloadFailed,
    each with a message for the user.
    """
    if video.file:
        return
    max_bytes = settings.ADSTUDIO_MAX_UPLOAD_BYTES
    with tempfile.TemporaryDirectory(prefix="adstudio-dl-") as tmp:
        path, title = _download(video.source_url, Path(tmp), max_bytes, progress)
        with path.open("rb") as handle:
            stored = default_storage.save(
                workspace(video.owner_id, "videos", str(video.pk), f"source{path.suffix}"), File(handle)
            )
    video.file.name = stored
    video.size_bytes = default_storage.size(stored)
    video.content_hash = sha256_of(stored)
    video.title = video.title or title[:200]
    video.save(update_fields=["file", "size_bytes", "content_hash", "title", "updated_at"])


def _download(url: str, folder: Path, max_bytes: int, progress) -> tuple[Path, str]:
    """The downloaded file and a title (empty for direct links)."""
    direct = folder / "direct"
    try:
        with direct.open("wb") as handle:
            got = http_download(url, dest=handle, max_bytes=max_bytes, timeout=30)
    except Unreachable:
        raise ApplicationError(ytdlp.UNREACHABLE, code="download_failed") from None
    if got.content_type not in PAGE_TYPES:
        suffix = SUFFIX_OF_TYPE.get(got.content_type) or _suffix_of(got.url)
        return direct.rename(folder / f"source{suffix}"), ""
    progress.log("The URL is a web page: looking for its video with yt-dlp")
    result = ytdlp.download(
        url,
        folder / uuid.uuid4().hex,
        max_bytes=max_bytes,
        max_seconds=settings.ADSTUDIO_MAX_SECONDS,
        progress=_download_logger(progress),
    )
    if result["path"].stat().st_size > max_bytes:
        raise ApplicationError(f"The video is larger than the {max_bytes // 2**20} MB limit.")
    return result["path"], result.get("title", "")


def _suffix_of(url: str) -> str:
    suffix = Path(url.split("?")[0]).suffix.lower()
    return suffix if suffix in ALLOWED_SUFFIXES else ".mp4"


def _download_logger(progress):
    """Log a line every 16 MiB downloaded (yt-dlp calls back far more often)."""
    state = {"next": 16 << 20}

    def hook(done: int, total: int) -> None:
        if done >= state["next"]:
            state["next"] += 16 << 20
            progress.log(f"Downloaded {done >> 20} MiB" + (f" of {total >> 20} MiB" if total else ""))

    return hook
