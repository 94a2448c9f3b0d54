"""Video sources: an upload or a URL, checked, stored in the owner's workspace."""
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
from apps.adstudio.video.ffmpeg import ffmpeg_exe
from apps.adstudio.video.source import SourceLimits, SourceRejected, url_check
from apps.core.errors import ApplicationError

ALLOWED_SUFFIXES = {".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi", ".mpg", ".mpeg"}


def source_limits() -> SourceLimits:
    return SourceLimits(max_bytes=settings.ADSTUDIO_MAX_UPLOAD_BYTES,
                        max_seconds=settings.ADSTUDIO_MAX_SECONDS,
                        allow_loopback=settings.NET_ALLOW_LOOPBACK)


def video_url_check(url: str) -> str:
    """The URL if it may be fetched, else ApplicationError (not http(s), private address...)."""
    try:
        return url_check(url, limits=source_limits())
    except SourceRejected as exc:
        raise ApplicationError(str(exc), code="unsafe_url") from exc


@transaction.atomic
def video_create_from_url(*, owner, url: str, title: str = "") -> Video:
    """Record a URL source (nothing is downloaded here; the analysis job downloads it).

    Raises ApplicationError when the URL is not http(s) or points to a private address.
    """
    url = video_url_check(url)
    video = Video(owner=owner, source_url=url, title=(title or "").strip()[:200])
    video.full_clean()
    video.save()
    return video


@transaction.atomic
def video_create_from_upload(*, owner, upload, title: str = "") -> Video:
    """Store an uploaded file in the owner's workspace and record it with its content hash.

    Raises ApplicationError for an empty or over-large file or a non-video file name.
    Content is checked (probed) by the analysis job, which fails with a clear message.
    """
    name = Path(upload.name or "video.mp4").name
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ApplicationError(f"Files ending in {suffix or '(nothing)'} are not videos we "
                               f"accept ({', '.join(sorted(ALLOWED_SUFFIXES))}).",
                               code="invalid_file")
    if not upload.size:
        raise ApplicationError("The file is empty.", code="invalid_file")
    if upload.size > settings.ADSTUDIO_MAX_UPLOAD_BYTES:
        raise ApplicationError(f"The file is larger than the "
                               f"{settings.ADSTUDIO_MAX_UPLOAD_BYTES // 2**20} MB limit.",
                               code="too_large", status=413)
    video = Video(owner=owner, title=(title or "").strip()[:200] or Path(name).stem[:200])
    video.full_clean()
    video.save()
    stored = default_storage.save(
        workspace(owner.pk, "videos", str(video.pk), f"source{suffix}"), upload)
    video.file.name = stored
    video.size_bytes = default_storage.size(stored)
    video.content_hash = sha256_of(stored)
    video.save(update_fields=["file", "size_bytes", "content_hash", "updated_at"])
    return video


def video_fetch(*, video: Video, progress) -> None:
    """Download a URL video into its owner's workspace (once); fills file, size and hash.

    Raises SourceRejected / ytdlp.DownloadFailed with a message for the user.
    """
    if video.file:
        return
    url_check(video.source_url, limits=source_limits())  # again: DNS may have changed
    limits = source_limits()
    with tempfile.TemporaryDirectory(prefix="adstudio-dl-") as tmp:
        result = ytdlp.download(
            video.source_url, Path(tmp) / uuid.uuid4().hex, max_bytes=limits.max_bytes,
            max_seconds=limits.max_seconds, ffmpeg_location=ffmpeg_exe(),
            progress=_download_logger(progress))
        if result.get("url"):
            url_check(result["url"], limits=limits)  # where the bytes finally came from
        path: Path = result["path"]
        if path.stat().st_size > limits.max_bytes:
            raise SourceRejected(f"The video is larger than the {limits.max_bytes // 2**20} MB "
                                 "limit.")
        with path.open("rb") as handle:
            stored = default_storage.save(
                workspace(video.owner_id, "videos", str(video.pk), f"source{path.suffix}"),
                File(handle))
    video.file.name = stored
    video.size_bytes = default_storage.size(stored)
    video.content_hash = sha256_of(stored)
    if not video.title:
        video.title = (result.get("title") or "")[:200]
    video.save(update_fields=["file", "size_bytes", "content_hash", "title", "updated_at"])


def _download_logger(progress):
    """Log a line every 16 MiB downloaded (yt-dlp calls back far more often)."""
    state = {"next": 16 << 20}

    def hook(done: int, total: int) -> None:
        if done >= state["next"]:
            state["next"] += 16 << 20
            progress.log(f"Downloaded {done >> 20} MiB" + (f" of {total >> 20} MiB" if total
                                                            else ""))

    return hook
