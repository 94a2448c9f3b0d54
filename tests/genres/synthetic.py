"""Synthetic features and labels for the genre tests (no encoders), and a small synthetic data set."""

import json
from pathlib import Path

import numpy as np
from PIL import Image

from apps.genres.ml.features import FeatureSet

TEXT_DIM, IMAGE_DIM, N_GENRES, TOKENS, CELLS = 16, 24, 5, 6, 4


def synthetic_features(n: int, *, seed: int = 0, missing: bool = True):
    """Features whose labels depend on the text mean (genres 0-2) and the image (genres 3-4)."""
    rng = np.random.default_rng(seed)
    tokens = rng.normal(size=(n, TOKENS, TEXT_DIM)).astype(np.float16)
    mask = np.ones((n, TOKENS), dtype=bool)
    mask[:, 4:] = rng.random((n, 2)) < 0.5
    image_global = rng.normal(size=(n, IMAGE_DIM)).astype(np.float16)
    image_cells = (image_global[:, None, :] + rng.normal(scale=0.1, size=(n, CELLS, IMAGE_DIM))).astype(np.float16)
    has_text = np.ones(n, dtype=bool)
    has_image = np.ones(n, dtype=bool)
    if missing:
        has_text[::4] = False
        has_image[1::5] = False
        mask[~has_text] = False
    y = np.zeros((n, N_GENRES), dtype=np.float32)
    text_mean = (tokens.astype(np.float32) * mask[..., None]).sum(1) / mask.sum(1, keepdims=True).clip(1)
    y[:, :3] = text_mean[:, :3] > 0.2
    y[:, 3:] = image_global[:, :2] > 0.3
    feats = FeatureSet([f"m{i}" for i in range(n)], tokens, mask, has_text, image_global, image_cells, has_image)
    return feats, y


WORDS = {
    "Horror": "ghost blood scream haunted night",
    "Comedy": "funny wedding prank laugh party",
    "Romance": "love kiss heart wedding letter",
    "Action": "explosion chase gun fight car",
}
COLOURS = {"Horror": (20, 0, 0), "Comedy": (250, 220, 0), "Romance": (240, 120, 160), "Action": (200, 80, 0)}


def synthetic_dataset(folder, n: int = 48, *, seed: int = 0):
    """A data set in the shared JSONL layout: ``n`` movies whose plot words and poster colour follow
    their genres (one in four has a poster only). Returns the folder."""
    folder, rng = Path(folder), np.random.default_rng(seed)
    (folder / "posters").mkdir(parents=True, exist_ok=True)
    names, rows = list(WORDS), []
    for i in range(n):
        genres = sorted(set(rng.choice(names, size=rng.integers(1, 3)).tolist()))
        words = " ".join(w for g in genres for w in WORDS[g].split() if rng.random() < 0.7)
        colour = np.mean([COLOURS[g] for g in genres], axis=0) + rng.normal(0, 20, 3)
        pixels = np.clip(colour + rng.normal(0, 30, (48, 32, 3)), 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(folder / "posters" / f"tt{i:07d}.jpg", "JPEG")
        plot = None if i % 4 == 3 else f"A story of {words or 'people'}."
        rows.append(
            {
                "imdb_id": f"tt{i:07d}",
                "title": f"Movie {i}",
                "plot": plot,
                "genres": genres,
                "poster": f"posters/tt{i:07d}.jpg",
            }
        )
    (folder / "movies.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder
