"""Model registry: trained artifacts in `models_store/` described by `MANIFEST.json`.

`ml_model_get(name)` loads a model once per process (the `ml` worker keeps it warm between jobs),
checks the artifact's sha256 against the manifest on first load, and reloads when the manifest's
version for that name changes. ML code stays pure: loaders get a path and the manifest entry.
"""

import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from django.conf import settings

MANIFEST_NAME = "MANIFEST.json"


class ModelUnavailable(Exception):
    """The manifest has no such model, or its artifact is missing or corrupt."""


@dataclass(frozen=True)
class LoadedModel:
    name: str
    version: str
    obj: Any
    entry: dict


_LOADERS: dict[str, Callable[[Path, dict], Any]] = {}
_CACHE: dict[str, LoadedModel] = {}
_LOCK = threading.Lock()


def ml_model_register(name: str, loader: Callable[[Path, dict], Any]) -> None:
    _LOADERS[name] = loader


def manifest_path(store: Path | None = None) -> Path:
    return Path(store if store is not None else settings.MODELS_STORE) / MANIFEST_NAME


def manifest_read(store: Path | None = None) -> dict:
    path = manifest_path(store)
    if not path.exists():
        return {"models": {}}
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    data.setdefault("models", {})
    return data


def manifest_write_entry(name: str, entry: dict, *, store: Path | None = None) -> None:
    """Add or replace one model's entry; the file is rewritten atomically.

    `store` defaults to settings.MODELS_STORE; training code that runs without Django names it.
    """
    missing = {"version", "path", "sha256"} - entry.keys()
    if missing:
        raise ValueError(f"manifest entry for {name!r} lacks {sorted(missing)}")
    with _LOCK:
        data = manifest_read(store)
        data["models"][name] = entry
        data["models"] = dict(sorted(data["models"].items()))
        path = manifest_path(store)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".manifest-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; workers may run as another user
        os.replace(tmp, path)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ml_model_entry(name: str) -> dict:
    entry = manifest_read()["models"].get(name)
    if entry is None:
        raise ModelUnavailable(f"model {name!r} is not in {manifest_path()}; train it first")
    return entry


def ml_model_get(name: str) -> LoadedModel:
    entry = ml_model_entry(name)
    cached = _CACHE.get(name)
    if cached is not None and cached.version == entry["version"]:
        return cached
    with _LOCK:
        cached = _CACHE.get(name)
        if cached is not None and cached.version == entry["version"]:
            return cached
        loaded = _load(name, entry)
        _CACHE[name] = loaded
        return loaded


def _load(name: str, entry: dict) -> LoadedModel:
    loader = _LOADERS.get(name)
    if loader is None:
        raise ModelUnavailable(f"no loader registered for model {name!r}")
    path = Path(settings.MODELS_STORE) / entry["path"]
    if not path.exists():
        raise ModelUnavailable(f"artifact for {name!r} is missing: {path}")
    if path.is_file() and file_sha256(path) != entry["sha256"]:
        raise ModelUnavailable(f"artifact for {name!r} does not match its manifest sha256")
    return LoadedModel(name=name, version=entry["version"], obj=loader(path, entry), entry=entry)


def ml_models_loaded() -> list[str]:
    return sorted(_CACHE)


def ml_cache_clear() -> None:
    _CACHE.clear()
