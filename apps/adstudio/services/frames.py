"""Keyframes at full resolution.

The analysis stores each keyframe at most ``pipeline.KEYFRAME_MAX_WIDTH`` (640) px wide, as a
JPEG: enough for pages, tags and collages. "Full resolution" is the source video's own frame
size: the same frame (same index, same passthrough frame numbering as the analysis) decoded from
the stored source on the first request, kept as a lossless PNG beside the keyframe and served
from storage afterwards.
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


def shot_frame_full(*, owner, shot: Shot) -> str:
    """The storage name of the shot's keyframe at the video's resolution (PNG), decoding it from
    the source now if it was not yet. Raises ApplicationError: 404 for another user's shot,
    409 when the source is no longer stored or the frame cannot be decoded from it."""
    if shot.analysis.owner_id != owner.pk:
        raise ApplicationError("Shot not found.", code="not_found", status=404)
    name = workspace(owner.pk, "analyses", str(shot.analysis_id), f"shot-{shot.index:04d}-full.png")
    if default_storage.exists(name):
        return name
    video = shot.analysis.video
    stored = bool(video.file) and default_storage.exists(video.file.name)
    if not (stored and video.width and video.height):
        raise ApplicationError(
            "The source video is not stored, so only the preview keyframe " "exists.", code="source_missing", status=409
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
    saved = default_storage.save(name, ContentFile(out.getvalue()))
    if saved != name:  # another request stored it meanwhile: keep one copy
        default_storage.delete(saved)
    return name
