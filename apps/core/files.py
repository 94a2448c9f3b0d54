"""Stored files over HTTP, and no stored file left behind by a write that failed.

``file_response`` is the one way a view sends a stored file: it reads through
``default_storage`` (any backend), answers HEAD and a single byte range (206, or 416 past the
end) so a ``<video>`` can seek, and with ``MEDIA_PRIVATE_SERVE = "x-accel"`` hands private
files to nginx instead. Private files are only ever passed in by views that looked their object
up by primary key for its owner; the generic /media/ route passes public names only
(``media_public_name``).
"""

import mimetypes
import re
from contextlib import contextmanager
from urllib.parse import quote, unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpResponse, StreamingHttpResponse

CHUNK_BYTES = 256 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class _Unsatisfiable(Exception):
    pass


def media_public_name(path: str) -> str | None:
    """The storage name a /media/ URL path stands for when it is public, else None.

    The path is judged after normalising it the way any layer below might: percent-decoded
    until it stops changing (``%252e`` → ``%2e`` → ``.``), backslashes read as slashes, empty
    and ``.`` segments dropped. ``..`` and segments ending in a dot or a space (which Windows
    reads as other names) are refused outright; what is left must start with one of
    ``settings.MEDIA_PUBLIC_PREFIXES``, compared case for case.
    """
    for _ in range(4):
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    else:
        return None
    parts = [part for part in path.replace("\\", "/").split("/") if part not in ("", ".")]
    if any(part[-1] in ". " or "\x00" in part for part in parts):
        return None
    name = "/".join(parts)
    return name if name.startswith(tuple(settings.MEDIA_PUBLIC_PREFIXES)) else None


def file_response(request, name: str, *, private: bool, content_type: str = ""):
    """Send stored file ``name``: whole (200), one requested byte range (206), or 416 with the
    size when the range starts past the end; headers only for HEAD.

    A ``private`` file is marked ``Cache-Control: private``; with MEDIA_PRIVATE_SERVE "x-accel"
    the answer is an empty response whose X-Accel-Redirect makes nginx send the file (ranges
    included). Raises Http404 when the file is not in storage.
    """
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if private and settings.MEDIA_PRIVATE_SERVE == "x-accel":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(settings.MEDIA_PRIVATE_ACCEL_LOCATION + name)
        return _cache_headers(response, private)
    try:
        size = default_storage.size(name)
    except (OSError, ValueError) as exc:
        raise Http404("No such file.") from exc
    try:
        span = _requested_range(request, size)
    except _Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        response = _file_body(request, name, size, span, content_type)
    response["Accept-Ranges"] = "bytes"  # (nginx says so itself when it sends the file)
    return _cache_headers(response, private)


def _file_body(request, name: str, size: int, span, content_type: str):
    first, last = span or (0, size - 1)
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type)
    else:
        response = StreamingHttpResponse(_read(name, first, last - first + 1), content_type=content_type)
    response["Content-Length"] = str(last - first + 1)
    if span:
        response.status_code = 206
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response


def _requested_range(request, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a single ``Range: bytes=...``; None to send the whole file (no
    Range, not exactly one valid range, or an If-Range: we send no validators, so it cannot
    match). Raises _Unsatisfiable when the range starts at or past the end of the file."""
    match = _RANGE.fullmatch(request.headers.get("Range", "").strip())
    if match is None or "If-Range" in request.headers or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if not first:  # the last N bytes
        if int(last) == 0 or size == 0:
            raise _Unsatisfiable
        return max(0, size - int(last)), size - 1
    first = int(first)
    if last and int(last) < first:  # "bytes=5-2" is no valid range
        return None
    if first >= size:
        raise _Unsatisfiable
    return first, min(int(last) if last else size - 1, size - 1)


def _read(name: str, first: int, length: int):
    # Opened on the first chunk: a response that is never sent never opens the file, and the
    # server closing the response closes this generator and so the file.
    with default_storage.open(name, "rb") as handle:
        handle.seek(first)
        while length > 0:
            chunk = handle.read(min(CHUNK_BYTES, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk


def _cache_headers(response, private: bool):
    response["Cache-Control"] = "private, max-age=3600" if private else "public, max-age=86400"
    return response


@contextmanager
def atomic_with_files():
    """``transaction.atomic()`` for a write that stores files: yields a list, and the storage
    names added to it are deleted when the block fails, so its rows and its files go together.

    Files are kept once the transaction has committed, even if an on_commit hook raises later.
    Inside an outer transaction the block is a savepoint, and its files follow that savepoint.
    """
    stored: list[str] = []
    committed: list[bool] = []
    try:
        with transaction.atomic():
            transaction.on_commit(lambda: committed.append(True))  # runs before later hooks
            yield stored
    except BaseException:
        if not committed:
            for name in stored:
                default_storage.delete(name)
        raise
