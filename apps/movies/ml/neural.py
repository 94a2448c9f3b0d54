"""A small neural text model trained from scratch (torch), used beside the linear model.

It reads BPE sub-word tokens (vocabulary learned with the ``tokenizers`` library on the training
texts) or, for pre-split texts such as Kiwi morphemes, a word-level vocabulary, so it sees word
order and morphology that hashed n-grams miss; its errors are only partly correlated with the
linear model's, which is why averaging the two helps. Two architectures share
one interface: ``conv`` (convolutions of width 2, 3, 5; the Korean BPE network) and ``gru``
(embedding -> bidirectional GRU -> max + mean pooling; the Korean network over Kiwi morphemes).
Both have two heads: a sentiment logit (trained on the protocol's negative/positive ratings) and a
rating (trained on every rating, including the 5-8 ones the classifier drops).

The ``conv_*`` names (and the artifact's ``conv_*`` keys) are historical: they mean "the neural
model", whichever architecture its config names.
"""

from __future__ import annotations

import copy
import io
import json
import time

import numpy as np
import torch
from torch import nn
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

from apps.core.ml.optim import optimiser_step
from apps.core.ml.quant import table_load, table_quantise

PAD, UNK = "[PAD]", "[UNK]"


def tokenizer_train(texts: list[str], *, vocab_size: int, kind: str = "bpe") -> Tokenizer:
    """Learn a byte-free BPE vocabulary on normalised texts (deterministic for a given input).

    ``kind="words"``: a word-level vocabulary of the most frequent space-separated tokens
    instead (for texts that are already split, e.g. Kiwi morphemes joined by spaces).
    """
    if kind == "words":
        tokenizer = Tokenizer(models.WordLevel(unk_token=UNK))
        tokenizer.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
        trainer = trainers.WordLevelTrainer(
            vocab_size=vocab_size, min_frequency=3, special_tokens=[PAD, UNK], show_progress=False
        )
        tokenizer.train_from_iterator(texts, trainer=trainer)
        return tokenizer
    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation()])
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=3, special_tokens=[PAD, UNK], show_progress=False
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


def _clip(ids: list[int], max_len: int) -> list[int]:
    """Long texts keep their head and tail (reviews often end with the verdict)."""
    if len(ids) > max_len:
        half = max_len // 2
        ids = ids[:half] + ids[-(max_len - half) :]
    return ids or [1]


def _pad(rows: list[list[int]]) -> torch.Tensor:
    width = max(5, max(len(r) for r in rows))
    out = np.zeros((len(rows), width), dtype=np.int64)
    for i, ids in enumerate(rows):
        out[i, : len(ids)] = ids
    return torch.from_numpy(out)


def encode(tokenizer: Tokenizer, texts: list[str], *, max_len: int) -> torch.Tensor:
    """Token ids padded with 0 to the longest text (at most ``max_len``; at least 5 for the convs)."""
    return _pad([_clip(enc.ids, max_len) for enc in tokenizer.encode_batch(texts)])


def _pool(h: torch.Tensor, mask: torch.Tensor) -> list[torch.Tensor]:
    """Max and mean over the real (non-padding) positions; ``h`` is (B, T, C), mask (B, T, 1)."""
    return [h.masked_fill(~mask, -1e4).amax(dim=1), (h * mask).sum(1) / mask.sum(1).clamp(min=1)]


class ConvText(nn.Module):
    """Embedding -> convolutions of width 2, 3 and 5 -> max + mean pooling -> two heads."""

    def __init__(
        self,
        vocab_size: int,
        dim: int = 64,
        channels: int = 128,
        dropout: float = 0.3,
        kernels: tuple[int, ...] = (2, 3, 5),
    ):
        super().__init__()
        self.config = {
            "arch": "conv",
            "vocab_size": vocab_size,
            "dim": dim,
            "channels": channels,
            "dropout": dropout,
            "kernels": list(kernels),
        }
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(dim, channels, k, padding=k // 2) for k in kernels)
        self.drop = nn.Dropout(dropout)
        width = channels * len(self.convs) * 2
        self.sentiment = nn.Linear(width, 1)
        self.rating = nn.Linear(width, 1)

    def forward(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mask = (ids != 0).unsqueeze(2)  # (B, T, 1)
        x = self.embed(ids).transpose(1, 2)  # (B, D, T)
        pooled = []
        for conv in self.convs:
            pooled.extend(_pool(torch.relu(conv(x))[:, :, : ids.shape[1]].transpose(1, 2), mask))
        z = self.drop(torch.cat(pooled, dim=1))
        return self.sentiment(z).squeeze(1), self.rating(z).squeeze(1)


class GRUText(nn.Module):
    """Embedding -> one bidirectional GRU layer -> max + mean pooling -> two heads.

    The embedding is sparse (only the rows of a batch's tokens get gradients and Adam updates):
    with ~10 tokens per Korean review, a dense update of the whole table was most of a step.

    The two directions are two GRUs. The backward one reads each text reversed within its own
    length (padding stays at the end), so it starts at the text's last real token, not at the
    padding: a text scores the same alone (on save) as in a padded batch (bulk scoring). This is
    what a packed bidirectional GRU computes, at the speed of the unpacked one (packing takes
    torch off its fused CPU kernel: 437 s against 230 s an epoch for the Korean network).
    """

    def __init__(self, vocab_size: int, dim: int = 128, hidden: int = 128, dropout: float = 0.3):
        super().__init__()
        self.config = {"arch": "gru", "vocab_size": vocab_size, "dim": dim, "hidden": hidden, "dropout": dropout}
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=0, sparse=True)
        self.fwd = nn.GRU(dim, hidden, batch_first=True)
        self.bwd = nn.GRU(dim, hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.sentiment = nn.Linear(4 * hidden, 1)
        self.rating = nn.Linear(4 * hidden, 1)

    def forward(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mask = (ids != 0).unsqueeze(2)
        x = self.drop(self.embed(ids))
        steps = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        lengths = mask.sum(1)  # (B, 1)
        # Position t of the reversed text is position length-1-t; padding positions stay put.
        flip = torch.where(steps < lengths, lengths - 1 - steps, steps).unsqueeze(2)
        back = self.bwd(x.gather(1, flip.expand(-1, -1, x.shape[2])))[0]
        h = torch.cat([self.fwd(x)[0], back.gather(1, flip.expand(-1, -1, back.shape[2]))], dim=2)
        z = self.drop(torch.cat(_pool(h, mask), dim=1))
        return self.sentiment(z).squeeze(1), self.rating(z).squeeze(1)

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # Artifacts written before the split hold one bidirectional ``gru``: its ``*_reverse``
        # weights are the backward GRU's.
        for key in [k for k in state_dict if k.startswith(f"{prefix}gru.")]:
            name = key[len(f"{prefix}gru.") :]
            target = f"bwd.{name[: -len('_reverse')]}" if name.endswith("_reverse") else f"fwd.{name}"
            state_dict[prefix + target] = state_dict.pop(key)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)


def build_model(config: dict) -> nn.Module:
    config = dict(config)
    arch = config.pop("arch", "conv")
    return {"conv": ConvText, "gru": GRUText}[arch](**config)


def _bucketed_batches(lengths: np.ndarray, size: int, rng: np.random.Generator):
    """Random batches of similar length: shuffle, sort inside windows of 50 batches, shuffle
    the batches. Almost no padding (wasted work)."""
    order = rng.permutation(len(lengths))
    batches = []
    window = size * 50
    for start in range(0, len(order), window):
        chunk = order[start : start + window]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
    for index in rng.permutation(len(batches)):
        yield batches[index]


def _optimizers(model: nn.Module, lr: float, total_steps: int):
    """Adam for the sparse embedding, AdamW for the rest; linear warm-up (5%) then linear decay."""
    sparse = [p for n, p in model.named_parameters() if n.startswith("embed") and model.embed.sparse]
    dense = [p for n, p in model.named_parameters() if not any(p is q for q in sparse)]
    opts = [torch.optim.AdamW(dense, lr=lr, weight_decay=1e-4)]
    if sparse:
        opts.append(torch.optim.SparseAdam(sparse, lr=lr))
    warm = max(1, int(0.05 * total_steps))

    def factor(step: int) -> float:
        return min((step + 1) / warm, max(0.02, (total_steps - step) / max(1, total_steps - warm)))

    return opts, [torch.optim.lr_scheduler.LambdaLR(o, factor) for o in opts]


def _balanced_accuracy(logits: np.ndarray, labels: np.ndarray) -> float:
    known = labels >= 0
    hits = (logits[known] > 0).astype(int) == labels[known]
    return float(np.mean([hits[labels[known] == c].mean() for c in (0, 1)]))


def conv_train(
    texts: list[str],
    labels: np.ndarray,
    ratings: np.ndarray,
    *,
    vocab_size: int = 16000,
    max_len: int = 128,
    epochs: int = 2,
    batch_size: int = 256,
    lr: float = 3e-3,
    arch: str = "conv",
    size: int = 128,
    dim: int | None = None,
    seed: int = 13,
    valid: tuple[list[str], np.ndarray] | None = None,
    tokens: str = "bpe",
    kernels: tuple[int, ...] = (2, 3, 5),
    log=print,
) -> tuple[Tokenizer, nn.Module]:
    """Train the tokenizer and the network. ``labels`` is 0/1, or -1 where only the rating counts.

    With ``valid`` (normalised texts, 0/1/-1 labels) the weights of the epoch with the best
    validation balanced accuracy are kept (early stopping without a stopping rule that depends
    on timing). Texts must already be normalised. Deterministic for a given seed on one machine.
    ``tokens``: ``bpe`` (learn sub-words) or ``words`` (texts are pre-split tokens, see
    :func:`tokenizer_train`).
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    tokenizer = tokenizer_train(texts, vocab_size=vocab_size, kind=tokens)
    rows = [_clip(enc.ids, max_len) for enc in tokenizer.encode_batch(texts)]  # encoded once
    vocab = tokenizer.get_vocab_size()
    # ``size``: GRU width, or convolution channels; ``dim``: embedding width (default: the GRU
    # width, or half the channels).
    model = (
        GRUText(vocab, dim=dim or size, hidden=size)
        if arch == "gru"
        else ConvText(vocab, dim=dim or size // 2, channels=size, kernels=tuple(kernels))
    )
    steps = epochs * -(-len(texts) // batch_size)
    opts, scheds = _optimizers(model, lr, steps)
    y = torch.from_numpy(labels.astype(np.float32))
    r = torch.from_numpy(((ratings - 5.5) / 3.0).astype(np.float32))
    bce = nn.BCEWithLogitsLoss(reduction="none")
    lengths = np.array([len(row) for row in rows])
    best = (-1.0, None, 0)
    for epoch in range(epochs):
        model.train()
        started, total = time.time(), 0.0
        for step, index in enumerate(_bucketed_batches(lengths, batch_size, rng)):
            logit, rating = model(_pad([rows[i] for i in index]))
            yb, known = y[index], y[index] >= 0
            loss_cls = (bce(logit, yb.clamp(min=0)) * known).sum() / known.sum().clamp(min=1)
            loss = loss_cls + nn.functional.smooth_l1_loss(rating, r[index])
            optimiser_step(loss, opts, scheds)
            total += loss.item()
            if step % 500 == 0:
                log(
                    f"  net epoch {epoch + 1} step {step} loss {total / (step + 1):.4f} "
                    f"({time.time() - started:.0f}s)"
                )
        model.eval()
        if valid is not None:
            score = _balanced_accuracy(conv_predict(tokenizer, model, valid[0], max_len=max_len)[0], valid[1])
            log(f"  net epoch {epoch + 1}: validation balanced accuracy {score:.4f} ({time.time() - started:.0f}s)")
            if score > best[0]:
                best = (score, copy.deepcopy(model.state_dict()), epoch + 1)
    if best[1] is not None:
        model.load_state_dict(best[1])
        log(f"  net: kept epoch {best[2]} (validation balanced accuracy {best[0]:.4f})")
    model.eval()
    return tokenizer, model


@torch.inference_mode()
def conv_predict(
    tokenizer: Tokenizer, model: nn.Module, texts: list[str], *, max_len: int, batch_size: int = 512
) -> tuple[np.ndarray, np.ndarray]:
    """Return (sentiment logits, ratings on the 1-10 scale) for normalised texts."""
    out_l, out_r = np.empty(len(texts), np.float32), np.empty(len(texts), np.float32)
    if not texts:
        return out_l, out_r
    rows = [_clip(enc.ids, max_len) for enc in tokenizer.encode_batch(texts)]
    # Sorting by token count keeps padding (wasted work) small.
    order = np.argsort([len(row) for row in rows], kind="stable")
    for start in range(0, len(texts), batch_size):
        chunk = order[start : start + batch_size]
        logit, rating = model(_pad([rows[i] for i in chunk]))
        out_l[chunk] = logit.numpy()
        out_r[chunk] = rating.numpy() * 3.0 + 5.5
    return out_l, out_r


def conv_to_bytes(tokenizer: Tokenizer, model: nn.Module) -> dict:
    """Serialisable parts: tokenizer JSON, config, and the weights: embedding tables as int8 with
    one scale per row (``<key>.q`` + ``<key>.rowscale``; the tables are most of the bytes), the
    rest as float16."""
    state = {}
    for key, value in model.state_dict().items():
        if key.endswith("embed.weight"):
            q, scale = table_quantise(value.numpy())
            state[f"{key}.q"], state[f"{key}.rowscale"] = torch.from_numpy(q), torch.from_numpy(scale)
        else:
            state[key] = value.to(torch.float16)
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return {"tokenizer": tokenizer.to_str(), "config": json.dumps(model.config), "state": buffer.getvalue()}


def conv_from_bytes(parts: dict) -> tuple[Tokenizer, nn.Module]:
    """Inverse of :func:`conv_to_bytes`; also reads artifacts whose embeddings are float16."""
    tokenizer = Tokenizer.from_str(parts["tokenizer"])
    model = build_model(json.loads(parts["config"]))
    stored = torch.load(io.BytesIO(parts["state"]), weights_only=True)
    state = {k: v.to(torch.float32) for k, v in stored.items() if not k.endswith((".q", ".rowscale"))}
    for key in (k[: -len(".q")] for k in stored if k.endswith(".q")):
        table = {"t_q": stored[f"{key}.q"].numpy(), "t_rowscale": stored[f"{key}.rowscale"].numpy()}
        state[key] = torch.from_numpy(table_load(table, "t"))
    model.load_state_dict(state)
    model.eval()
    return tokenizer, model
