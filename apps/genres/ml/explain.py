"""Explanations for one movie: Grad-CAM over the poster, token attributions over the plot, and the
weight each modality got (GMU, attention and late fusion).

Grad-CAM (Selvaraju et al., 2017) is taken on the image encoder's last feature map: the encoder
itself stays frozen and runs without gradients; the map is detached and re-enters the graph as a
leaf, so only the (small) head is differentiated. Token attributions are gradient x activation on
the text encoder's output tokens, merged from word pieces to words.
"""

from __future__ import annotations

import io

import cv2
import numpy as np
import torch
from PIL import Image

from .encoders import map_to_features


def gradcam(head, batch: dict, fmap: torch.Tensor, genre: int, cells: int) -> np.ndarray | None:
    """Heat map (h, w) in [0, 1] on the feature-map grid for logit ``genre`` of movie 0 in ``batch``
    (None when the head does not look at the poster, e.g. the text-only head)."""
    fmap = fmap.detach().clone().requires_grad_(True)
    pooled, grid = map_to_features(fmap, cells)
    b = dict(batch, image_global=pooled, image_cells=grid, has_image=torch.ones(fmap.shape[0], dtype=torch.bool))
    head.eval()
    head.zero_grad(set_to_none=True)
    logit = head(b)[0, genre]
    (grad,) = torch.autograd.grad(logit, fmap, allow_unused=True)
    if grad is None:
        return None
    weights = grad[0].mean(dim=(1, 2))  # (C,)
    cam = torch.relu((weights[:, None, None] * fmap[0]).sum(0)).detach().numpy()
    return cam / cam.max() if cam.max() > 0 else cam


def heatmap_overlay_png(image: Image.Image, cam: np.ndarray, alpha: float = 0.45) -> bytes:
    """The poster with the heat map blended over it, as PNG bytes."""
    rgb = np.asarray(image.convert("RGB"))
    heat = cv2.resize(cam.astype(np.float32), (rgb.shape[1], rgb.shape[0]), interpolation=cv2.INTER_CUBIC)
    colour = cv2.applyColorMap(np.uint8(255 * np.clip(heat, 0, 1)), cv2.COLORMAP_JET)[:, :, ::-1]
    blended = np.uint8((1 - alpha) * rgb + alpha * colour)
    buf = io.BytesIO()
    Image.fromarray(blended).save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def token_attributions(head, batch: dict, genre: int, words: list[tuple[str, list[int]]]) -> list[dict] | None:
    """Per-word scores (signed, scaled to max |score| = 1) for logit ``genre`` of movie 0
    (None when the head does not read the plot, e.g. the image-only head).

    ``words`` lists each word and the token positions it spans (from the tokenizer's ``word_ids``).
    """
    tokens = batch["text_tokens"].detach().float().clone().requires_grad_(True)
    head.eval()
    head.zero_grad(set_to_none=True)
    b = {k: v for k, v in batch.items() if k != "text_pooled"}
    logit = head(dict(b, text_tokens=tokens))[0, genre]
    (grad,) = torch.autograd.grad(logit, tokens, allow_unused=True)
    if grad is None:
        return None
    per_token = (grad[0] * tokens[0]).sum(-1).detach().numpy()
    scores = [float(per_token[pos].sum()) for _, pos in words]
    top = max((abs(s) for s in scores), default=0.0) or 1.0
    return [{"word": w, "score": round(s / top, 4)} for (w, _), s in zip(words, scores)]


def words_from_encoding(encoding, text: str) -> list[tuple[str, list[int]]]:
    """Group token positions by source word using a fast tokenizer's offsets (special tokens skipped)."""
    word_ids = encoding.word_ids(0)
    offsets = encoding["offset_mapping"][0].tolist()
    groups: dict[int, list[int]] = {}
    for pos, wid in enumerate(word_ids):
        if wid is not None:
            groups.setdefault(wid, []).append(pos)
    out = []
    for wid in sorted(groups):
        pos = groups[wid]
        start, end = offsets[pos[0]][0], offsets[pos[-1]][1]
        out.append((text[start:end], pos))
    return out


def modality_weights(head) -> dict | None:
    """Text/image weight of movie 0 from the last forward, for heads that learn one."""
    w = getattr(head, "modality_weights", None)
    if w is None:
        return None
    return {"text": round(float(w[0, 0]), 4), "image": round(float(w[0, 1]), 4)}
