"""Open posters safely: a missing, corrupt, huge or hostile file becomes "no poster", with a reason.

Posters come from curators' uploads and from batch files, so nothing here trusts the file: the
byte size is checked before decoding, PIL's decompression-bomb guard is set to our own limit,
and JPEGs are decoded at reduced scale (``draft``) because the model only needs 224 px.
"""

from __future__ import annotations

import io
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

MAX_POSTER_BYTES = 50 * 1024 * 1024
MAX_POSTER_PIXELS = 60_000_000


@dataclass
class PosterLoad:
    image: Image.Image | None
    reason: str = ""  # why there is no image ("" when there is one)


def poster_open(
    source, *, max_bytes: int = MAX_POSTER_BYTES, max_pixels: int = MAX_POSTER_PIXELS, target: int = 448
) -> PosterLoad:
    """Open ``source`` (path, bytes or binary file object) as an RGB image, or say why not."""
    if source is None:
        return PosterLoad(None, "no poster")
    try:
        data = _read_limited(source, max_bytes)
    except FileNotFoundError:
        return PosterLoad(None, "poster file not found")
    except _TooLarge:
        return PosterLoad(None, f"poster larger than {max_bytes // (1024 * 1024)} MB")
    except OSError as exc:
        return PosterLoad(None, f"poster unreadable ({exc.__class__.__name__})")
    return _decode(data, max_pixels, target)


class _TooLarge(Exception):
    pass


def _read_limited(source, max_bytes: int) -> bytes:
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if path.stat().st_size > max_bytes:
            raise _TooLarge
        data = path.read_bytes()
    else:  # file-like
        data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _TooLarge
    return data


def _decode(data: bytes, max_pixels: int, target: int) -> PosterLoad:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > max_pixels:
                return PosterLoad(None, f"poster has too many pixels ({img.width}x{img.height})")
            img.draft("RGB", (target, target))  # JPEG only: decode at reduced scale
            img = img.convert("RGB")
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return PosterLoad(None, "poster has too many pixels")
    except (OSError, ValueError, SyntaxError, Image.UnidentifiedImageError):
        return PosterLoad(None, "poster is not a readable image")
    if img.width < 8 or img.height < 8:
        return PosterLoad(None, "poster too small")
    return PosterLoad(img)


def image_to_array(img: Image.Image, size: int, mean, std) -> np.ndarray:
    """Resize (the whole poster, no crop: genre cues sit at the edges too) and normalise to CHW."""
    arr = np.asarray(img.resize((size, size), Image.BICUBIC), dtype=np.float32) / 255.0
    arr = (arr - np.asarray(mean, dtype=np.float32)) / np.asarray(std, dtype=np.float32)
    return arr.transpose(2, 0, 1).copy()
