"""Fetching a movie's poster from a URL (run by the ``movies.poster_fetch`` job)."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from apps.core.errors import ApplicationError
from apps.core.net import http_download
from apps.movies.models import Movie

POSTER_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def movie_poster_fetch(*, movie: Movie, url: str) -> Movie:
    """Download ``url`` (public addresses only, size and type limits), check it is a real image
    no larger than the pixel limit, and store it as the movie's poster.

    Raises ApplicationError (UnsafeURL / DownloadError included) with a message for the user.
    The download happens outside any transaction; only the final save is atomic.
    """
    max_bytes = settings.MOVIES_POSTER_MAX_BYTES
    with tempfile.TemporaryFile() as tmp:
        http_download(url, dest=tmp, max_bytes=max_bytes, content_types=POSTER_TYPES)
        tmp.seek(0)
        try:
            with Image.open(tmp) as image:
                width, height = image.size
                kind = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise ApplicationError(f"The file at {url} is not a readable image.", code="poster_invalid") from exc
        limit = settings.MOVIES_POSTER_MAX_PIXELS
        if width * height > limit or kind not in EXTENSIONS:
            raise ApplicationError(f"The poster must be a JPEG/PNG/WebP/GIF of at most {limit:,} pixels "
                                   f"(this one is {kind} {width}x{height}).", code="poster_invalid")
        tmp.seek(0)
        with transaction.atomic():
            movie = Movie.objects.select_for_update().get(pk=movie.pk)
            old = movie.poster.name if movie.poster else ""
            movie.poster.save(f"movie-{movie.pk}.{EXTENSIONS[kind]}", File(tmp), save=False)
            movie.poster_url = url
            movie.save(update_fields=["poster", "poster_url", "updated_at"])
            if old and old != movie.poster.name:
                transaction.on_commit(lambda: movie.poster.storage.delete(old))
    return movie
