"""EfficientNet-Lite0 (ImageNet) for object tags and image embeddings. Pure: no ORM.

The network and its shipped weights are the shared ones of ``apps/core/ml/efficientnet.py``. Its
class probabilities are never shown as they are: ``vocabulary.py`` maps them onto the tags a video
editor uses. The pooled 1280-d features double as the embedding for "looks like this shot" search
and for grouping shots into scenes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from apps.core.ml.efficientnet import LITE0_ARCH, batchnorm_fold, lite0_load, lite0_weights_path
from apps.core.ml.files import file_sha256

ARCH = LITE0_ARCH
INPUT = 224
EMBED_DIM = 1280
LITE0_BATCHNORMS = 49  # stem, head, 1 depthwise-separable block (2), 15 inverted residual blocks (3 each)


@dataclass
class ImagePrediction:
    labels: list[tuple[str, float]]  # (ImageNet name, probability), best first
    embedding: np.ndarray  # (1280,) float32, L2-normalised
    probs: np.ndarray  # (1000,) float32, every class (vocabulary.py reads it)


class ImageModel:
    """Load once per process (the ml worker keeps it warm); ``predict`` takes RGB arrays."""

    def __init__(self, weights: Path | None = None, *, threads: int | None = None):
        import torch

        if threads:
            torch.set_num_threads(threads)
        self.torch = torch
        self.model = lite0_load(weights)
        # Inference only: BatchNorm folded into the convolutions (a third less time, same outputs).
        if batchnorm_fold(self.model) != LITE0_BATCHNORMS:
            raise RuntimeError("EfficientNet-Lite0's BatchNorms were not all folded: has timm's layout changed?")
        from timm.data import ImageNetInfo  # after lite0_load, which imports timm the safe way

        info = ImageNetInfo()
        self.names = [info.index_to_description(i).split(",")[0].strip() for i in range(1000)]

    def predict(self, images: list[np.ndarray], *, top: int = 5) -> list[ImagePrediction]:
        if not images:
            return []
        torch = self.torch
        batch = torch.from_numpy(np.stack([_prepare(img) for img in images]))
        with torch.inference_mode():
            feats = self.model.forward_head(self.model.forward_features(batch), pre_logits=True)
            probs = self.model.get_classifier()(feats).softmax(-1)
        feats = torch.nn.functional.normalize(feats, dim=-1).numpy().astype(np.float32)
        probs = probs.numpy()
        out = []
        for row, emb in zip(probs, feats):
            best = np.argsort(row)[::-1][:top]
            out.append(ImagePrediction([(self.names[i], float(row[i])) for i in best], emb, row.astype(np.float32)))
        return out


def _prepare(rgb: np.ndarray) -> np.ndarray:
    """Resize the short side to 256 (bicubic), centre-crop 224, scale to [-1, 1], CHW."""
    img = Image.fromarray(rgb)
    w, h = img.size
    scale = 256 / min(w, h)
    img = img.resize((max(INPUT, round(w * scale)), max(INPUT, round(h * scale))), Image.Resampling.BICUBIC)
    w, h = img.size
    left, top = (w - INPUT) // 2, (h - INPUT) // 2
    arr = np.asarray(img.crop((left, top, left + INPUT, top + INPUT)), np.float32) / 255.0
    return ((arr - 0.5) / 0.5).transpose(2, 0, 1)


_MODEL: ImageModel | None = None
_MODEL_LOCK = threading.Lock()


def image_model_get() -> ImageModel:
    """The process's model, loaded on first use (workers call this at start to warm it)."""
    global _MODEL
    if _MODEL is None:
        with _MODEL_LOCK:
            if _MODEL is None:
                _MODEL = ImageModel()
    return _MODEL


def model_version() -> str:
    """Names the weights that produced a tag or embedding (stored with every analysis)."""
    return f"{ARCH}@{file_sha256(lite0_weights_path())[:12]}"
