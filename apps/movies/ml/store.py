"""Writing an artifact's manifest entry.

The foundation's ``apps.core.registry.manifest_write_entry`` owns ``models_store/MANIFEST.json``
(``{"models": {name: entry}}``, atomic rewrite). The pure-Python training CLI can run without
Django; then this module writes the same structure the same way (temp file + rename).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def _django_store() -> Path | None:
    try:
        from django.conf import settings

        return Path(settings.MODELS_STORE) if settings.configured else None
    except ImportError:
        return None


def manifest_write(store: Path, name: str, entry: dict) -> None:
    django_store = _django_store()
    if django_store is not None and django_store.resolve() == store.resolve():
        from apps.core.registry import manifest_write_entry

        manifest_write_entry(name, entry)
        return
    path = store / "MANIFEST.json"
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    manifest.pop(name, None)  # an entry written by an older version of this helper
    manifest.setdefault("models", {})[name] = entry
    manifest["models"] = dict(sorted(manifest["models"].items()))
    fd, tmp = tempfile.mkstemp(dir=store, prefix=".manifest-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, ensure_ascii=False)
        handle.write("\n")
    os.replace(tmp, path)
