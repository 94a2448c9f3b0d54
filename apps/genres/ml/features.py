"""Per-encoder feature cache, so training and comparing heads on CPU takes seconds, not hours.

The cache folder is ``<cache_root>/<encoder slug>/<data set key>/`` with float16 arrays:
``text_tokens (N, L, Dt)`` + ``text_mask (N, L)``, ``image_global (N, Di)`` and
``image_cells (N, cells*cells, Di)``, plus ``has_text``/``has_image`` flags and the ids in row
order. A missing or unreadable poster is stored as absent (zeros + ``has_image=False``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from .data import MovieRecord
from .encoders import EncoderSpec, ImageEncoder, TextEncoder
from .images import poster_open

ARRAYS = ("text_tokens", "text_mask", "has_text", "image_global", "image_cells", "has_image")


@dataclass
class FeatureSet:
    ids: list[str]
    text_tokens: np.ndarray
    text_mask: np.ndarray
    has_text: np.ndarray
    image_global: np.ndarray
    image_cells: np.ndarray
    has_image: np.ndarray

    def rows(self, ids: list[str]) -> "FeatureSet":
        index = {movie_id: i for i, movie_id in enumerate(self.ids)}
        take = np.asarray([index[i] for i in ids], dtype=np.int64)
        return FeatureSet(list(ids), *(getattr(self, name)[take] for name in ARRAYS))

    def tensors(self) -> dict[str, torch.Tensor]:
        return {name: torch.from_numpy(np.asarray(getattr(self, name))) for name in ARRAYS}


def dataset_key(records: list[MovieRecord]) -> str:
    h = hashlib.sha1()
    for rec in records:
        h.update(f"{rec.id}|{rec.plot or ''}|{rec.poster or ''}\n".encode())
    return h.hexdigest()[:16]


def cache_dir(root: Path, spec: EncoderSpec, records: list[MovieRecord]) -> Path:
    return Path(root) / spec.slug / dataset_key(records)


def features_load_or_extract(
    records, spec: EncoderSpec, root: Path, *, progress=None, batch_size: int = 32
) -> FeatureSet:
    """Return cached features for ``records`` (extracting the missing cache first)."""
    folder = cache_dir(root, spec, records)
    if (folder / "done.json").exists():
        return _load(folder)
    folder.mkdir(parents=True, exist_ok=True)
    feats = extract_features(records, spec, progress=progress, batch_size=batch_size)
    for name in ARRAYS:
        np.save(folder / f"{name}.npy", getattr(feats, name))
    (folder / "ids.json").write_text(json.dumps(feats.ids))
    (folder / "done.json").write_text(json.dumps({"spec": spec.as_dict(), "n": len(feats.ids)}))
    return feats


def _load(folder: Path) -> FeatureSet:
    ids = json.loads((folder / "ids.json").read_text())
    arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS}
    return FeatureSet(ids, **arrays)


def extract_features(
    records, spec: EncoderSpec, *, progress=None, batch_size: int = 32, text_encoder=None, image_encoder=None
) -> FeatureSet:
    text_encoder = text_encoder or TextEncoder(spec)
    image_encoder = image_encoder or ImageEncoder(spec)
    n, total = len(records), 2 * len(records)
    tokens = np.zeros((n, spec.max_tokens, text_encoder.dim), dtype=np.float16)
    mask = np.zeros((n, spec.max_tokens), dtype=bool)
    cells_n = spec.image_cells * spec.image_cells
    image_global = np.zeros((n, image_encoder.dim), dtype=np.float16)
    image_cells = np.zeros((n, cells_n, image_encoder.dim), dtype=np.float16)
    has_image = np.zeros(n, dtype=bool)
    with_plot = [i for i, rec in enumerate(records) if rec.plot]
    # Sort by length so each batch pads to its own longest plot, not to max_tokens.
    with_plot.sort(key=lambda i: len(records[i].plot))
    for start in range(0, len(with_plot), batch_size):
        idx = with_plot[start : start + batch_size]
        tok, msk = text_encoder.encode([records[i].plot for i in idx])
        tokens[idx, : tok.shape[1]] = tok.numpy().astype(np.float16)
        mask[idx, : msk.shape[1]] = msk.numpy()
        _report(progress, start + len(idx), total, "plots")
    for start in range(0, n, batch_size):
        idx = list(range(start, min(n, start + batch_size)))
        loads = [(i, poster_open(records[i].poster).image) for i in idx]
        ok = [(i, img) for i, img in loads if img is not None]
        if ok:
            g, c = image_encoder.encode([img for _, img in ok])
            rows = [i for i, _ in ok]
            image_global[rows], image_cells[rows] = g.numpy(), c.numpy()
            has_image[rows] = True
        _report(progress, n + idx[-1] + 1, total, "posters")
    has_text = mask.any(axis=1)
    return FeatureSet([r.id for r in records], tokens, mask, has_text, image_global, image_cells, has_image)


def _report(progress, done, total, what, every: int = 640):
    if progress is not None:
        # A log line only when the count crosses a multiple of ``every`` (batches never land on it).
        progress(done, total, f"encoded {done}/{total} ({what})" if done % every < 32 or done == total else "")
