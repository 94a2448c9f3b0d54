"""Load genre data sets into one record type, and split them deterministically.

Two layouts are supported:

* the shared JSONL layout: ``movies.jsonl`` with ``imdb_id, title, plot, genres, poster`` (poster
  path relative to the file's folder);
* the MM-IMDb layout: a folder with ``split.json`` (``{"train": [ids], "dev": [...], "test": [...]}``)
  and per movie ``<id>.json`` (``plot`` is a list of strings or a string, ``genres`` a list) and
  ``<id>.jpeg``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .vocab import IMDB_GENRES, genre_normalise

SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class MovieRecord:
    id: str
    plot: str | None
    poster: Path | None
    genres: tuple[str, ...]
    title: str | None = None
    split: str | None = field(default=None, compare=False)  # set by layouts that ship a split

    @property
    def pattern(self) -> str:
        """Which modalities the record has: ``both``, ``text``, ``image`` or ``none``."""
        return modality_pattern(bool(self.plot), self.poster is not None)


def modality_pattern(has_text: bool, has_image: bool) -> str:
    if has_text and has_image:
        return "both"
    return "text" if has_text else ("image" if has_image else "none")


def load_dataset(path: str | Path) -> list[MovieRecord]:
    """Load either layout: a ``.jsonl`` file, a folder holding ``movies.jsonl``, or an MM-IMDb folder."""
    path = Path(path)
    if path.is_dir() and (path / "split.json").exists():
        return load_mmimdb(path)
    if path.is_dir():
        path = path / "movies.jsonl"
    return load_jsonl(path)


def load_jsonl(path: Path) -> list[MovieRecord]:
    records = []
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            row = json.loads(line)
            movie_id = str(row.get("imdb_id") or row.get("id") or f"line{line_no}")
            poster = row.get("poster")
            records.append(
                MovieRecord(
                    id=movie_id,
                    plot=_clean_plot(row.get("plot")),
                    poster=(path.parent / poster) if poster else None,
                    genres=_clean_genres(row.get("genres") or []),
                    title=row.get("title"),
                )
            )
    return records


def load_mmimdb(folder: Path) -> list[MovieRecord]:
    split = json.loads((folder / "split.json").read_text(encoding="utf-8"))
    names = {"train": "train", "dev": "val", "val": "val", "test": "test"}
    records = []
    for split_name, ids in split.items():
        for movie_id in ids:
            records.append(_mmimdb_record(folder, str(movie_id), names.get(split_name, split_name)))
    return records


def _mmimdb_record(folder: Path, movie_id: str, split: str) -> MovieRecord:
    meta_dir = folder / "dataset" if (folder / "dataset").is_dir() else folder
    meta = json.loads((meta_dir / f"{movie_id}.json").read_text(encoding="utf-8"))
    plot = meta.get("plot")
    if isinstance(plot, list):  # MM-IMDb keeps several plot summaries; the first is the main one
        plot = plot[0] if plot else None
    poster = meta_dir / f"{movie_id}.jpeg"
    return MovieRecord(
        id=movie_id,
        plot=_clean_plot(plot),
        poster=poster if poster.exists() else None,
        genres=_clean_genres(meta.get("genres") or []),
        title=meta.get("title"),
        split=split,
    )


def _clean_plot(plot) -> str | None:
    if not isinstance(plot, str):
        return None
    plot = " ".join(plot.split())
    return plot or None


def _clean_genres(genres) -> tuple[str, ...]:
    known = set(IMDB_GENRES)
    return tuple(sorted({g for g in map(genre_normalise, genres) if g in known}))


def split_of(movie_id: str, *, seed: int = 13, fractions=(0.70, 0.15)) -> str:
    """Deterministic 70/15/15 split by a hash of the id: stable when movies are added or reordered."""
    digest = hashlib.sha1(f"{seed}:{movie_id}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    if u < fractions[0]:
        return "train"
    return "val" if u < fractions[0] + fractions[1] else "test"


def assign_splits(records: list[MovieRecord], *, seed: int = 13) -> dict[str, list[MovieRecord]]:
    """Group records by split: a layout's own split wins, else the hash split."""
    out: dict[str, list[MovieRecord]] = {name: [] for name in SPLITS}
    for rec in records:
        out.setdefault(rec.split or split_of(rec.id, seed=seed), []).append(rec)
    return out


def label_matrix(records: list[MovieRecord], vocab=IMDB_GENRES):
    import numpy as np

    index = {g: i for i, g in enumerate(vocab)}
    y = np.zeros((len(records), len(vocab)), dtype=np.float32)
    for row, rec in enumerate(records):
        for g in rec.genres:
            if g in index:
                y[row, index[g]] = 1.0
    return y
