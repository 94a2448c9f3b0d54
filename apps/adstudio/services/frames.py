"""Keyframes at full resolution.

The analysis stores each keyframe at most ``pipeline.KEYFRAME_MAX_WIDTH`` (640) px wide, as a
JPEG: enough for pages, tags and collages. "Full resolution" is the source video's own frame
size: the same frame (same index, same passthrough frame numbering as the analysis) decoded from
the stored source when the owner first downloads it (a POST), kept as a lossless PNG beside the
keyframe and served from storage afterwards. The API's GET sends the stored PNG, or one decoded for
that answer alone: a GET stores nothing.
"""

import io
from contextlib import closing

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from apps.adstudio.models import Shot
from apps.adstudio.services.storage import local_path, workspace
from apps.adstudio.video.ffmpeg import FFmpegError, frames_read
from apps.core.errors import ApplicationError


def _own(owner, shot: Shot) -> None:
    if shot.analysis.owner_id != owner.pk:
        raise ApplicationError("Shot not found.", code="not_found", status=404)


def _name(shot: Shot) -> str:
    return workspace(shot.analysis.owner_id, "analyses", str(shot.analysis_id), f"shot-{shot.index:04d}-full.png")


def shot_frame_full_stored(*, owner, shot: Shot) -> str | None:
    """The storage name of the shot's full-resolution PNG when it is stored, else None. Raises
    ApplicationError (404) for another user's shot."""
    _own(owner, shot)
    return _name(shot) if default_storage.exists(_name(shot)) else None


def shot_frame_full(*, owner, shot: Shot) -> str:
    """The storage name of the shot's keyframe at the video's resolution (PNG), decoding and storing
    it now if it was not yet (a POST's work: never call it for a GET). Raises ApplicationError as
    ``shot_frame_full_png``."""
    stored = shot_frame_full_stored(owner=owner, shot=shot)
    if stored:
        return stored
    name = _name(shot)
    saved = default_storage.save(name, ContentFile(shot_frame_full_png(owner=owner, shot=shot)))
    if saved != name:  # another request stored it meanwhile: keep one copy
        default_storage.delete(saved)
    return name


def shot_frame_full_png(*, owner, shot: Shot) -> bytes:
    """The shot's keyframe at the video's resolution as PNG bytes, decoded from the source now;
    nothing is stored. Raises ApplicationError: 404 for another user's shot, 409 when the source
    is no longer stored or the frame cannot be decoded from it."""
    _own(owner, shot)
    video = shot.analysis.video
    stored = bool(video.file) and default_storage.exists(video.file.name)
    if not (stored and video.width and video.height):
        raise ApplicationError(
            "The source video is not stored, so only the preview keyframe exists.", code="source_missing", status=409
        )
    try:
        with (
            local_path(video.file.name) as path,
            closing(frames_read(path, width=video.width, height=video.height, select=[shot.keyframe_frame])) as frames,
        ):
            frame = next(frames, None)
    except (FFmpegError, OSError) as exc:  # ffmpeg's message names server paths: not for users
        raise ApplicationError(
            "The frame could not be decoded from the source video.", code="frame_unreadable", status=409
        ) from exc
    if frame is None:
        raise ApplicationError("The source video ends before this frame.", code="frame_unreadable", status=409)
    out = io.BytesIO()
    Image.fromarray(frame).save(out, format="PNG")
    return out.getvalue()
