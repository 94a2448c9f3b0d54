"""Posters: the one check every poster image passes (uploads and URLs), and fetching a movie's
poster from a URL (run by the ``movies.poster_fetch`` job)."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from PIL import Image

from apps.core.errors import ApplicationError
from apps.core.files import atomic_with_files
from apps.core.net import http_download
from apps.movies.cache import catalog_changed
from apps.movies.models import Movie

POSTER_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
FORMATS = tuple(EXTENSIONS)  # the only decoders Pillow may try on a poster


def movie_poster_fetch(*, movie: Movie, url: str) -> Movie:
    """Download ``url`` (public addresses only, size and type limits), check it is a real image
    no larger than the pixel limit, and store it as the movie's poster.

    Raises ApplicationError (UnsafeURL / DownloadError included) with a message for the user.
    The download happens outside any transaction; only the final save is atomic.
    """
    max_bytes = settings.MOVIES_POSTER_MAX_BYTES
    with tempfile.TemporaryFile() as tmp:
        http_download(url, dest=tmp, max_bytes=max_bytes, content_types=POSTER_TYPES)
        extension = poster_image_check(tmp, source=f"The image at {url}")
        with atomic_with_files() as stored:
            movie = Movie.objects.select_for_update().get(pk=movie.pk)
            old = movie.poster.name if movie.poster else ""
            movie.poster.save(f"movie-{movie.pk}.{extension}", File(tmp), save=False)
            stored.append(movie.poster.name)
            movie.poster_url = url
            movie.save(update_fields=["poster", "poster_url", "updated_at"])
            catalog_changed(movie.pk)
            if old and old != movie.poster.name:
                transaction.on_commit(lambda: movie.poster.storage.delete(old))
    return movie


def poster_image_check(handle, *, source: str) -> str:
    """The file extension for the poster image in ``handle`` (a binary file; left at 0), or
    ApplicationError saying what to fix. Used for uploads and URL downloads alike.

    Order matters: the size is read from the header before any pixel is decoded (a small file
    that claims a huge image is refused cheaply, and Pillow's decompression-bomb guard stays
    on), then ``verify`` checks the structure (PNG checksums) and a full decode catches
    truncated or corrupt data.
    """
    limit = settings.MOVIES_POSTER_MAX_PIXELS
    too_large = f"a poster may have at most {limit:,} pixels: scale it down and try again."
    try:
        handle.seek(0)
        with Image.open(handle, formats=FORMATS) as image:
            kind, (width, height) = image.format, image.size
    except Image.DecompressionBombError as exc:
        raise ApplicationError(f"{source} is far too large; {too_large}", code="poster_too_large") from exc
    except Exception as exc:  # Pillow raises many types (OSError, SyntaxError, struct.error...)
        raise ApplicationError(
            f"{source} is not a readable image: use a JPEG, PNG, WebP or GIF file.", code="poster_invalid"
        ) from exc
    if width * height > limit:
        raise ApplicationError(
            f"{source} is {width:,}×{height:,} pixels ({width * height:,}); {too_large}", code="poster_too_large"
        )
    try:
        for check in ("verify", "load"):  # verify leaves the image unusable: open it again
            handle.seek(0)
            with Image.open(handle, formats=FORMATS) as image:
                getattr(image, check)()
    except Exception as exc:
        raise ApplicationError(
            f"{source} is damaged or incomplete (truncated or corrupt image data): "
            "export it again as JPEG, PNG, WebP or GIF and use that file.",
            code="poster_invalid",
        ) from exc
    finally:
        handle.seek(0)
    return EXTENSIONS[kind]
