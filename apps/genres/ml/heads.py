"""Genre heads over cached (or live) encoder features. Every head takes the same batch dict:

``text_tokens (B, L, Dt)``, ``text_mask (B, L)``, ``has_text (B,)``, ``image_global (B, Di)``,
``image_cells (B, C, Di)``, ``has_image (B,)`` and returns logits ``(B, G)``. A missing plot or
poster is never fed as zeros: each branch swaps in a learned "missing" embedding, and fusion
weights are masked so a missing modality gets weight 0. ``head.modality_weights`` (after a
forward) holds the per-movie text/image weight for heads that learn one.
"""

from __future__ import annotations

import torch
import torch.nn as nn

HEAD_KINDS = ("text", "image", "early", "late", "attention", "cross", "gmu")


def _mlp(d_in: int, hidden: int, d_out: int, dropout: float) -> nn.Sequential:
    return nn.Sequential(
        nn.LayerNorm(d_in),
        nn.Dropout(dropout),
        nn.Linear(d_in, hidden),
        nn.GELU(),
        nn.Dropout(dropout),
        nn.Linear(hidden, d_out),
    )


def masked_mean(tokens: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    m = mask.unsqueeze(-1).to(tokens.dtype)
    return (tokens * m).sum(1) / m.sum(1).clamp(min=1.0)


class GenreHead(nn.Module):
    """Shared parts: pooled per-modality vectors with learned missing embeddings."""

    kind = ""

    def __init__(
        self,
        *,
        text_dim: int,
        image_dim: int,
        n_genres: int,
        hidden: int = 512,
        dropout: float = 0.3,
        d_model: int = 256,
    ):
        super().__init__()
        self.config = dict(
            kind=self.kind,
            text_dim=text_dim,
            image_dim=image_dim,
            n_genres=n_genres,
            hidden=hidden,
            dropout=dropout,
            d_model=d_model,
        )
        self.missing_text = nn.Parameter(torch.zeros(text_dim))
        self.missing_image = nn.Parameter(torch.zeros(image_dim))
        self.modality_weights: torch.Tensor | None = None

    def text_vector(self, b) -> torch.Tensor:
        # Training passes the masked mean precomputed once ("text_pooled"); live inference and
        # token attributions pass only tokens, so gradients reach each token.
        pooled = b["text_pooled"] if "text_pooled" in b else masked_mean(b["text_tokens"].float(), b["text_mask"])
        return torch.where(b["has_text"].unsqueeze(-1), pooled, self.missing_text.expand_as(pooled))

    def image_vector(self, b) -> torch.Tensor:
        pooled = b["image_global"].float()
        return torch.where(b["has_image"].unsqueeze(-1), pooled, self.missing_image.expand_as(pooled))


class TextHead(GenreHead):
    kind = "text"

    def __init__(self, **kw):
        super().__init__(**kw)
        c = self.config
        self.mlp = _mlp(c["text_dim"], c["hidden"], c["n_genres"], c["dropout"])

    def forward(self, b):
        return self.mlp(self.text_vector(b))


class ImageHead(GenreHead):
    kind = "image"

    def __init__(self, **kw):
        super().__init__(**kw)
        c = self.config
        self.mlp = _mlp(c["image_dim"], c["hidden"], c["n_genres"], c["dropout"])

    def forward(self, b):
        return self.mlp(self.image_vector(b))


class EarlyFusionHead(GenreHead):
    """Concatenate the pooled text and image vectors, then one MLP."""

    kind = "early"

    def __init__(self, **kw):
        super().__init__(**kw)
        c = self.config
        self.mlp = _mlp(c["text_dim"] + c["image_dim"], c["hidden"], c["n_genres"], c["dropout"])

    def forward(self, b):
        return self.mlp(torch.cat([self.text_vector(b), self.image_vector(b)], dim=-1))


def _availability(b) -> torch.Tensor:
    """(B, 2) bool: [has_text, has_image]; a movie with neither counts as having both (prior only)."""
    avail = torch.stack([b["has_text"], b["has_image"]], dim=-1)
    return avail | ~avail.any(dim=-1, keepdim=True)


class LateFusionHead(GenreHead):
    """One MLP per modality; logits mixed with learned per-genre weights over available modalities."""

    kind = "late"

    def __init__(self, **kw):
        super().__init__(**kw)
        c = self.config
        self.text_mlp = _mlp(c["text_dim"], c["hidden"], c["n_genres"], c["dropout"])
        self.image_mlp = _mlp(c["image_dim"], c["hidden"], c["n_genres"], c["dropout"])
        self.mix = nn.Parameter(torch.zeros(2, c["n_genres"]))
        self.aux_logits: tuple[torch.Tensor, torch.Tensor] | None = None

    def forward(self, b):
        lt, li = self.text_mlp(self.text_vector(b)), self.image_mlp(self.image_vector(b))
        avail = _availability(b).unsqueeze(-1)  # (B, 2, 1)
        scores = self.mix.unsqueeze(0).expand(lt.shape[0], -1, -1)  # (B, 2, G)
        w = torch.softmax(scores.masked_fill(~avail, float("-inf")), dim=1)
        self.modality_weights = w.mean(-1).detach()
        self.aux_logits = (lt, li)
        return w[:, 0] * lt + w[:, 1] * li


class AttentionFusionHead(GenreHead):
    """Project each modality, score it, softmax over the available ones (weights reported)."""

    kind = "attention"

    def __init__(self, **kw):
        super().__init__(**kw)
        c, d = self.config, self.config["d_model"]
        self.proj_t = nn.Sequential(nn.LayerNorm(c["text_dim"]), nn.Linear(c["text_dim"], d), nn.GELU())
        self.proj_i = nn.Sequential(nn.LayerNorm(c["image_dim"]), nn.Linear(c["image_dim"], d), nn.GELU())
        self.score = nn.Sequential(nn.Linear(d, d // 2), nn.Tanh(), nn.Linear(d // 2, 1))
        self.mlp = _mlp(d, c["hidden"], c["n_genres"], c["dropout"])

    def forward(self, b):
        h = torch.stack([self.proj_t(self.text_vector(b)), self.proj_i(self.image_vector(b))], dim=1)
        s = self.score(h).squeeze(-1).masked_fill(~_availability(b), float("-inf"))
        w = torch.softmax(s, dim=1)
        self.modality_weights = w.detach()
        return self.mlp((w.unsqueeze(-1) * h).sum(1))


class CrossAttentionHead(GenreHead):
    """Text tokens attend to poster cells and poster cells attend to text tokens (both ways)."""

    kind = "cross"

    def __init__(self, **kw):
        super().__init__(**kw)
        c, d = self.config, self.config["d_model"]
        self.proj_t = nn.Sequential(nn.LayerNorm(c["text_dim"]), nn.Linear(c["text_dim"], d))
        self.proj_i = nn.Sequential(nn.LayerNorm(c["image_dim"]), nn.Linear(c["image_dim"], d))
        self.t2i = nn.MultiheadAttention(d, 4, dropout=c["dropout"] / 2, batch_first=True)
        self.i2t = nn.MultiheadAttention(d, 4, dropout=c["dropout"] / 2, batch_first=True)
        self.norm_t, self.norm_i = nn.LayerNorm(d), nn.LayerNorm(d)
        # One learned token stands in for a missing modality so attention always has a key.
        self.missing_text_token = nn.Parameter(torch.zeros(1, 1, d))
        self.missing_image_token = nn.Parameter(torch.zeros(1, 1, d))
        self.mlp = _mlp(2 * d, c["hidden"], c["n_genres"], c["dropout"])
        self.attention: tuple[torch.Tensor, torch.Tensor] | None = None

    max_segments = 32

    def forward(self, b):
        tokens, text_mask = segment_tokens(b["text_tokens"].float(), b["text_mask"], self.max_segments)
        t, i = self.proj_t(tokens), self.proj_i(b["image_cells"].float())
        B = t.shape[0]
        t = torch.cat([self.missing_text_token.expand(B, -1, -1), t], dim=1)
        i = torch.cat([self.missing_image_token.expand(B, -1, -1), i], dim=1)
        has_t, has_i = b["has_text"].unsqueeze(-1), b["has_image"].unsqueeze(-1)
        # Key masks (True = ignore): the stand-in token is used only when the modality is missing.
        t_ignore = torch.cat([has_t, ~text_mask | ~has_t], dim=1)
        i_ignore = torch.cat([has_i, (~has_i).expand(-1, i.shape[1] - 1)], dim=1)
        t_att, w_ti = self.t2i(t, i, i, key_padding_mask=i_ignore)
        i_att, w_it = self.i2t(i, t, t, key_padding_mask=t_ignore)
        self.attention = (w_ti.detach(), w_it.detach())
        t_out, i_out = self.norm_t(t + t_att), self.norm_i(i + i_att)
        pooled_t = masked_mean(t_out, ~t_ignore)
        pooled_i = masked_mean(i_out, ~i_ignore)
        return self.mlp(torch.cat([pooled_t, pooled_i], dim=-1))


def segment_tokens(tokens: torch.Tensor, mask: torch.Tensor, max_segments: int):
    """Average runs of consecutive tokens so at most ``max_segments`` remain (CPU cost of attention
    grows with length; genre cues are phrases, not single word pieces). Gradients still reach
    every token, so token attributions keep their resolution."""
    B, L, D = tokens.shape
    size = -(-L // max_segments)
    if size <= 1:
        return tokens, mask
    pad = (-L) % size
    if pad:
        tokens = torch.cat([tokens, tokens.new_zeros(B, pad, D)], dim=1)
        mask = torch.cat([mask, mask.new_zeros(B, pad)], dim=1)
    m = mask.reshape(B, -1, size, 1).to(tokens.dtype)
    summed = (tokens.reshape(B, -1, size, D) * m).sum(2)
    count = m.sum(2)
    return summed / count.clamp(min=1.0), count.squeeze(-1) > 0


class GMUHead(GenreHead):
    """Gated multimodal unit (Arevalo et al., 2017): z gates tanh-projected text vs image."""

    kind = "gmu"

    def __init__(self, **kw):
        super().__init__(**kw)
        c, d = self.config, self.config["d_model"]
        self.norm_t, self.norm_i = nn.LayerNorm(c["text_dim"]), nn.LayerNorm(c["image_dim"])
        self.h_t, self.h_i = nn.Linear(c["text_dim"], d), nn.Linear(c["image_dim"], d)
        self.gate = nn.Linear(c["text_dim"] + c["image_dim"], d)
        self.mlp = _mlp(d, c["hidden"], c["n_genres"], c["dropout"])

    def forward(self, b):
        xt, xi = self.norm_t(self.text_vector(b)), self.norm_i(self.image_vector(b))
        z = torch.sigmoid(self.gate(torch.cat([xt, xi], dim=-1)))
        avail = _availability(b)
        # A missing modality gets gate 0 (its projection of the missing embedding is ignored).
        z = torch.where(avail[:, :1] & ~avail[:, 1:], torch.ones_like(z), z)
        z = torch.where(~avail[:, :1] & avail[:, 1:], torch.zeros_like(z), z)
        self.modality_weights = torch.stack([z.mean(-1), 1 - z.mean(-1)], dim=-1).detach()
        return self.mlp(z * torch.tanh(self.h_t(xt)) + (1 - z) * torch.tanh(self.h_i(xi)))


class EnsembleHead(nn.Module):
    """Mean of the logits of several trained heads (e.g. the fusion heads of one experiment).

    Explanations still work: Grad-CAM and token attributions differentiate through the mean, and
    the modality weight is the mean over members that report one.
    """

    kind = "ensemble"

    def __init__(self, *, members: list[dict], **_ignored):
        super().__init__()
        self.members = nn.ModuleList(head_build(**m) for m in members)
        self.config = {
            "kind": self.kind,
            "members": [dict(m.config) for m in self.members],
            "n_genres": self.members[0].config["n_genres"],
        }
        self.modality_weights = None

    def forward(self, b):
        logits = torch.stack([m(b) for m in self.members]).mean(0)
        weights = [m.modality_weights for m in self.members if getattr(m, "modality_weights", None) is not None]
        self.modality_weights = torch.stack(weights).mean(0) if weights else None
        return logits


HEADS = {
    cls.kind: cls
    for cls in (
        TextHead,
        ImageHead,
        EarlyFusionHead,
        LateFusionHead,
        AttentionFusionHead,
        CrossAttentionHead,
        GMUHead,
        EnsembleHead,
    )
}


def head_build(kind: str, **config) -> GenreHead:
    """Build a head by kind (``text``, ``image``, ``early``, ``late``, ``attention``, ``cross``, ``gmu``,
    or ``ensemble`` with ``members=[config, ...]``)."""
    if kind not in HEADS:
        raise ValueError(f"unknown head kind {kind!r}; choose one of {', '.join(HEAD_KINDS)}")
    config.pop("kind", None)
    return HEADS[kind](**config)
