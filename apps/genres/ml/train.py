"""Train one head on cached features: BCE with logits, AdamW with linear warm-up then cosine decay,
modality dropout (so missing plots/posters are learned, not just tolerated), early stopping on
validation mAP, fixed seeds."""

from __future__ import annotations

import math
import random
from dataclasses import asdict, dataclass

import numpy as np
import torch
import torch.nn.functional as F

from .features import FeatureSet
from .heads import GenreHead, masked_mean


@dataclass
class TrainConfig:
    epochs: int = 40
    batch_size: int = 64
    lr: float = 1e-3
    weight_decay: float = 0.05
    warmup_frac: float = 0.06
    patience: int = 6
    modality_dropout: float = 0.15
    pos_weight_power: float = 0.5  # pos_weight = (neg/pos) ** power, clipped; 0 = plain BCE
    aux_weight: float = 0.5  # late fusion: weight of the per-branch losses
    seed: int = 13

    def as_dict(self) -> dict:
        return asdict(self)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def batch_slice(t: dict[str, torch.Tensor], idx) -> dict[str, torch.Tensor]:
    """Rows ``idx``, with the token axis cut to the longest plot in the batch (most are short)."""
    b = {k: v[idx] for k, v in t.items()}
    used = b["text_mask"].any(0).nonzero()
    length = int(used.max()) + 1 if len(used) else 1
    b["text_tokens"], b["text_mask"] = b["text_tokens"][:, :length], b["text_mask"][:, :length]
    return b


def feature_tensors(feats: FeatureSet | dict) -> dict[str, torch.Tensor]:
    """Tensors for training/evaluation, with the pooled plot vector computed once."""
    if not isinstance(feats, FeatureSet):
        return feats
    t = feats.tensors()
    if "text_pooled" not in t:
        chunks = [
            masked_mean(t["text_tokens"][s : s + 512].float(), t["text_mask"][s : s + 512])
            for s in range(0, len(t["text_mask"]), 512)
        ]
        t["text_pooled"] = torch.cat(chunks) if chunks else torch.zeros(0, t["text_tokens"].shape[-1])
    return t


def modality_dropout(b: dict, p: float, gen: torch.Generator) -> dict:
    """For movies with both modalities, hide the plot (p) or the poster (p) — never both."""
    if p <= 0:
        return b
    both = b["has_text"] & b["has_image"]
    u = torch.rand(both.shape[0], generator=gen)
    b = dict(b)
    b["has_text"] = b["has_text"] & ~(both & (u < p))
    b["has_image"] = b["has_image"] & ~(both & (u >= p) & (u < 2 * p))
    return b


@torch.no_grad()
def predict_probs(head: GenreHead, feats: FeatureSet | dict, batch_size: int = 256) -> np.ndarray:
    head.eval()
    t = feature_tensors(feats)
    n = len(t["has_text"])
    out = [torch.sigmoid(head(batch_slice(t, slice(s, s + batch_size)))) for s in range(0, n, batch_size)]
    return torch.cat(out).numpy() if out else np.zeros((0, head.config["n_genres"]), dtype=np.float32)


@torch.no_grad()
def logits_of(head: GenreHead, feats: FeatureSet | dict, batch_size: int = 256) -> np.ndarray:
    """The head's logits for every row (float32; an ensemble's members are averaged on this scale)."""
    head.eval()
    t = feature_tensors(feats)
    n = len(t["has_text"])
    out = [head(batch_slice(t, slice(s, s + batch_size))) for s in range(0, n, batch_size)]
    return torch.cat(out).numpy() if out else np.zeros((0, head.config["n_genres"]), dtype=np.float32)


def _map(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    present = np.flatnonzero(y.sum(0) > 0)
    return float(np.mean([average_precision_score(y[:, g], p[:, g]) for g in present]))


def train_head(
    head: GenreHead,
    train: FeatureSet,
    y_train: np.ndarray,
    val: FeatureSet,
    y_val: np.ndarray,
    cfg: TrainConfig,
    *,
    progress=None,
    val_select: np.ndarray | None = None,
) -> dict:
    """Train ``head`` in place (best validation epoch restored); return the history.

    ``val_select`` (bool per validation row) restricts the early-stopping score to the population
    the model is judged on (e.g. movies with both a plot and a poster).
    """
    seed_everything(cfg.seed)
    gen = torch.Generator().manual_seed(cfg.seed)
    t, y = feature_tensors(train), torch.from_numpy(y_train)
    val_t = feature_tensors(val)
    sel = np.ones(len(y_val), dtype=bool) if val_select is None else np.asarray(val_select)
    n = len(y)
    steps_per_epoch = max(1, math.ceil(n / cfg.batch_size))
    total = steps_per_epoch * cfg.epochs
    opt = torch.optim.AdamW(head.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    warm = max(1, int(cfg.warmup_frac * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / warm if s < warm else 0.5 * (1 + math.cos(math.pi * (s - warm) / max(1, total - warm)))
    )
    pos_weight = _pos_weight(y_train, cfg.pos_weight_power)
    best, best_state, history, bad = -1.0, None, [], 0
    for epoch in range(cfg.epochs):
        head.train()
        perm, losses = torch.randperm(n, generator=gen), []
        for s in range(0, n, cfg.batch_size):
            idx = perm[s : s + cfg.batch_size]
            b = modality_dropout(batch_slice(t, idx), cfg.modality_dropout, gen)
            loss = _loss(head, b, y[idx], pos_weight, cfg)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(head.parameters(), 5.0)
            opt.step()
            sched.step()
            losses.append(loss.item())
        score = _map(y_val[sel], predict_probs(head, val_t)[sel])
        history.append({"epoch": epoch + 1, "loss": float(np.mean(losses)), "val_map": score})
        if progress:
            progress(epoch + 1, cfg.epochs, f"epoch {epoch + 1}: loss {np.mean(losses):.4f}, val mAP {score:.4f}")
        if score > best + 1e-4:
            best, bad = score, 0
            best_state = {k: v.detach().clone() for k, v in head.state_dict().items()}
        else:
            bad += 1
            if bad >= cfg.patience:
                break
    head.load_state_dict(best_state)
    head.eval()
    return {"history": history, "best_val_map": best, "epochs_run": len(history)}


def _pos_weight(y: np.ndarray, power: float) -> torch.Tensor | None:
    if power <= 0:
        return None
    pos = y.sum(0)
    ratio = (len(y) - pos) / np.maximum(pos, 1)
    return torch.from_numpy(np.clip(ratio, 1, 50) ** power).float()


def _loss(head, b, y, pos_weight, cfg: TrainConfig) -> torch.Tensor:
    loss = F.binary_cross_entropy_with_logits(head(b), y, pos_weight=pos_weight)
    aux = getattr(head, "aux_logits", None)
    if aux is not None and cfg.aux_weight > 0:
        lt, li = aux
        mt, mi = b["has_text"], b["has_image"]
        if mt.any():
            loss = loss + cfg.aux_weight * F.binary_cross_entropy_with_logits(lt[mt], y[mt], pos_weight=pos_weight)
        if mi.any():
            loss = loss + cfg.aux_weight * F.binary_cross_entropy_with_logits(li[mi], y[mi], pos_weight=pos_weight)
    return loss
