"""Model registry: trained artifacts in `models_store/` described by `MANIFEST.json`.

`ml_model_get(name)` loads a model once per process (the `ml` worker keeps it warm between jobs),
checks the artifact's sha256 against the manifest on first load, and reloads when the manifest's
version for that name changes. ML code stays pure: loaders get a path and the manifest entry.

Every model is registered once, in its app's ``AppConfig.ready``, with a :class:`ModelSpec`: the
loader as a dotted path (imported on first use, so start-up stays free of torch), the artifact
format the code reads, and the one command that rebuilds the artifact from the shared data. Each
"cannot load" message names that command. A manifest entry records the format its artifact was
written in (``"format"``; entries from before formats were recorded are format 1).
"""

import json
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from django.conf import settings
from django.utils.module_loading import import_string

from apps.core.ml.files import file_sha256

MANIFEST_NAME = "MANIFEST.json"


class ModelUnavailable(Exception):
    """The manifest has no such model, or its artifact is missing or corrupt."""


@dataclass(frozen=True)
class LoadedModel:
    name: str
    version: str
    obj: Any
    entry: dict


@dataclass(frozen=True)
class ModelSpec:
    """How the code reads one kind of artifact.

    ``loader``: ``"package.module.function"`` (or a callable) taking the artifact path and the
    manifest entry; ``format``: the artifact format that loader reads; ``train``: the command that
    rebuilds the artifact from the shared data alone.
    """

    loader: str | Callable[[Path, dict], Any]
    format: int
    train: str

    def load(self, path: Path, entry: dict) -> Any:
        loader = import_string(self.loader) if isinstance(self.loader, str) else self.loader
        return loader(path, entry)


_SPECS: dict[str, ModelSpec] = {}
_TASK_SPECS: dict[str, ModelSpec] = {}
_CACHE: dict[str, LoadedModel] = {}
_LOCK = threading.Lock()


def ml_model_register(name: str, loader: str | Callable[[Path, dict], Any], *, format: int, train: str) -> None:
    """Register the model ``name`` (call it from the owning app's ``AppConfig.ready``)."""
    _SPECS[name] = ModelSpec(loader, format, train)


def ml_task_register(task: str, loader: str | Callable[[Path, dict], Any], *, format: int, train: str) -> None:
    """Register a loader for every manifest entry whose ``"task"`` is ``task`` (several models of
    one kind side by side, such as genre models kept for comparison)."""
    _TASK_SPECS[task] = ModelSpec(loader, format, train)


def ml_model_spec(name: str, entry: dict | None = None) -> ModelSpec | None:
    spec = _SPECS.get(name)
    if spec is None and entry is not None:
        spec = _TASK_SPECS.get(entry.get("task", ""))
    return spec


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


def ml_model_entry(name: str) -> dict:
    entry = manifest_read()["models"].get(name)
    if entry is None:
        spec = ml_model_spec(name)
        how = f"run `{spec.train}`" if spec else "train it first"
        raise ModelUnavailable(f"model {name!r} is not in {manifest_path()}; {how}")
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
    spec = ml_model_spec(name, entry)
    if spec is None:
        raise ModelUnavailable(f"no loader registered for model {name!r}")
    rebuild = f"rebuild it with `{spec.train}`"
    found = entry.get("format", 1)
    if found != spec.format:
        raise ModelUnavailable(
            f"artifact for {name!r} is in format {found}, and this code reads format {spec.format}; {rebuild}"
        )
    path = Path(settings.MODELS_STORE) / entry["path"]
    if not path.exists():
        raise ModelUnavailable(f"artifact for {name!r} is missing: {path}; {rebuild}")
    if path.is_file() and file_sha256(path) != entry["sha256"]:
        raise ModelUnavailable(f"artifact for {name!r} does not match its manifest sha256; {rebuild}")
    return LoadedModel(name=name, version=entry["version"], obj=spec.load(path, entry), entry=entry)


def ml_models_loaded() -> list[str]:
    return sorted(_CACHE)


def ml_cache_clear() -> None:
    _CACHE.clear()
