"""Storage helpers: every file goes through ``default_storage`` under the owner's workspace."""

import hashlib
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.files.storage import default_storage


def workspace(user_id: int, *parts: str) -> str:
    """Storage name inside a user's private area: ``adstudio/<user id>/...``."""
    return "/".join(["adstudio", str(int(user_id)), *parts])


def stored_files(folder: str) -> list[str]:
    """The storage names of the files directly in ``folder`` (none when it does not exist)."""
    if not default_storage.exists(folder):
        return []
    return [f"{folder}/{name}" for name in default_storage.listdir(folder)[1]]


def sha256_of(name: str) -> str:
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def local_path(name: str):
    """A filesystem path for a stored file (the file itself, or a temporary copy)."""
    try:
        direct = Path(default_storage.path(name))
    except NotImplementedError:
        direct = None
    if direct is not None:
        yield direct
        return
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        with default_storage.open(name, "rb") as src:
            shutil.copyfileobj(src, tmp)
        tmp.flush()
        yield Path(tmp.name)
