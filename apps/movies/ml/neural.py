"""A small convolutional text model trained from scratch (torch), used beside the linear model.

It reads BPE sub-word tokens (vocabulary learned with the ``tokenizers`` library on the training
texts), so it sees word order and morphology that hashed n-grams miss; its errors are only partly
correlated with the linear model's, which is why averaging the two helps. It has two heads: a
sentiment logit (trained on the protocol's negative/positive ratings) and a rating (trained on
every rating, including the 5-8 ones the classifier drops).
"""

from __future__ import annotations

import io
import json
import math
import time

import numpy as np
import torch
from torch import nn
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, trainers

PAD, UNK = "[PAD]", "[UNK]"


def tokenizer_train(texts: list[str], *, vocab_size: int) -> Tokenizer:
    """Learn a byte-free BPE vocabulary on normalised texts (deterministic for a given input)."""
    tokenizer = Tokenizer(models.BPE(unk_token=UNK))
    tokenizer.normalizer = normalizers.NFC()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.WhitespaceSplit(), pre_tokenizers.Punctuation()]
    )
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, min_frequency=3, special_tokens=[PAD, UNK], show_progress=False
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return tokenizer


def encode(tokenizer: Tokenizer, texts: list[str], *, max_len: int) -> torch.Tensor:
    """Token ids padded with 0 to the longest text (at most ``max_len``; at least 5 for the convs).

    Long texts keep their head and tail (reviews often end with the verdict).
    """
    encodings = tokenizer.encode_batch(texts)
    rows = []
    for enc in encodings:
        ids = enc.ids
        if len(ids) > max_len:
            half = max_len // 2
            ids = ids[:half] + ids[-(max_len - half):]
        rows.append(ids or [1])
    width = max(5, max(len(r) for r in rows))
    out = np.zeros((len(rows), width), dtype=np.int64)
    for i, ids in enumerate(rows):
        out[i, : len(ids)] = ids
    return torch.from_numpy(out)


class ConvText(nn.Module):
    """Embedding -> convolutions of width 2, 3 and 5 -> max + mean pooling -> two heads."""

    def __init__(self, vocab_size: int, dim: int = 64, channels: int = 128, dropout: float = 0.3):
        super().__init__()
        self.config = {"vocab_size": vocab_size, "dim": dim, "channels": channels, "dropout": dropout}
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.convs = nn.ModuleList(nn.Conv1d(dim, channels, k, padding=k // 2) for k in (2, 3, 5))
        self.drop = nn.Dropout(dropout)
        width = channels * len(self.convs) * 2
        self.sentiment = nn.Linear(width, 1)
        self.rating = nn.Linear(width, 1)

    def forward(self, ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mask = (ids != 0).unsqueeze(1)  # (B, 1, T)
        x = self.embed(ids).transpose(1, 2)  # (B, D, T)
        pooled = []
        for conv in self.convs:
            h = torch.relu(conv(x))[:, :, : ids.shape[1]]
            pooled.append(h.masked_fill(~mask, -1e4).amax(dim=2))
            pooled.append((h * mask).sum(2) / mask.sum(2).clamp(min=1))
        z = self.drop(torch.cat(pooled, dim=1))
        return self.sentiment(z).squeeze(1), self.rating(z).squeeze(1)


def _batches(n: int, size: int, rng: np.random.Generator | None):
    order = rng.permutation(n) if rng is not None else np.arange(n)
    for start in range(0, n, size):
        yield order[start : start + size]


def _bucketed_batches(lengths: np.ndarray, size: int, rng: np.random.Generator):
    """Random batches of similar length: shuffle, sort inside windows of 50 batches, shuffle
    the batches. Halves padding (and convolution work) compared with plain random batches."""
    order = rng.permutation(len(lengths))
    batches = []
    window = size * 50
    for start in range(0, len(order), window):
        chunk = order[start : start + window]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
    for index in rng.permutation(len(batches)):
        yield batches[index]


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
    seed: int = 13,
    log=print,
) -> tuple[Tokenizer, ConvText]:
    """Train the tokenizer and the network. ``labels`` is 0/1, or -1 where only the rating counts.

    Texts must already be normalised. Deterministic for a given seed on one machine (torch CPU).
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    tokenizer = tokenizer_train(texts, vocab_size=vocab_size)
    model = ConvText(tokenizer.get_vocab_size())
    # Sort-free bucketing would be faster, but random batches keep training simple and stable.
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    steps = epochs * math.ceil(len(texts) / batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps, pct_start=0.1)
    y = torch.from_numpy(labels.astype(np.float32))
    r = torch.from_numpy(((ratings - 5.5) / 3.0).astype(np.float32))
    bce = nn.BCEWithLogitsLoss(reduction="none")
    lengths = np.array([len(t) for t in texts])
    model.train()
    for epoch in range(epochs):
        started, total = time.time(), 0.0
        for step, index in enumerate(_bucketed_batches(lengths, batch_size, rng)):
            ids = encode(tokenizer, [texts[i] for i in index], max_len=max_len)
            logit, rating = model(ids)
            yb, known = y[index], y[index] >= 0
            loss_cls = (bce(logit, yb.clamp(min=0)) * known).sum() / known.sum().clamp(min=1)
            loss_reg = nn.functional.smooth_l1_loss(rating, r[index])
            loss = loss_cls + loss_reg
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item()
            if step % 200 == 0:
                log(f"  conv epoch {epoch + 1} step {step} loss {total / (step + 1):.4f} "
                    f"({time.time() - started:.0f}s)")
    model.eval()
    return tokenizer, model


@torch.inference_mode()
def conv_predict(
    tokenizer: Tokenizer, model: ConvText, texts: list[str], *, max_len: int, batch_size: int = 512
) -> tuple[np.ndarray, np.ndarray]:
    """Return (sentiment logits, ratings on the 1-10 scale) for normalised texts."""
    logits, ratings = [], []
    # Sorting by length keeps padding (and wasted convolution work) small in each batch.
    order = np.argsort([len(t) for t in texts], kind="stable")
    for index in _batches(len(texts), batch_size, None):
        chunk = order[index]
        logit, rating = model(encode(tokenizer, [texts[i] for i in chunk], max_len=max_len))
        logits.append(logit.numpy())
        ratings.append(rating.numpy() * 3.0 + 5.5)
    out_l, out_r = np.empty(len(texts), np.float32), np.empty(len(texts), np.float32)
    if texts:
        out_l[order] = np.concatenate(logits)
        out_r[order] = np.concatenate(ratings)
    return out_l, out_r


def conv_to_bytes(tokenizer: Tokenizer, model: ConvText) -> dict:
    """Serialisable parts: tokenizer JSON, config, and float16 weights (halves the artifact)."""
    state = {k: v.to(torch.float16) for k, v in model.state_dict().items()}
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return {"tokenizer": tokenizer.to_str(), "config": json.dumps(model.config), "state": buffer.getvalue()}


def conv_from_bytes(parts: dict) -> tuple[Tokenizer, ConvText]:
    tokenizer = Tokenizer.from_str(parts["tokenizer"])
    model = ConvText(**json.loads(parts["config"]))
    state = torch.load(io.BytesIO(parts["state"]), weights_only=True)
    model.load_state_dict({k: v.to(torch.float32) for k, v in state.items()})
    model.eval()
    return tokenizer, model
