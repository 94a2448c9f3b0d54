"""Synthetic features and labels for the genre tests (no encoders, no data set)."""

import numpy as np

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
