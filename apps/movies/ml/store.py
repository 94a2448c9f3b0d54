"""Writing an artifact's manifest entry (also from the training CLI, which runs without Django).

One writer for every store: ``apps.core.registry.manifest_write_entry`` (atomic rewrite of
``{"models": {name: entry}}``) with the store folder named explicitly.
"""

from __future__ import annotations

from pathlib import Path


def manifest_write(store: Path, name: str, entry: dict) -> None:
    from apps.core.registry import manifest_write_entry

    manifest_write_entry(name, entry, store=store)
