"""Hyper-parameter sweep on validation only: validation mAP on movies with both modalities, and
macro-F1 with thresholds tuned on one half of those validation movies and scored on the other
half (and the reverse, averaged). The test split is never looked at.

    nice -n 10 .venv/bin/python bench/movies_genres_sweep.py \
        '[{"kind": "late"}, {"kind": "late", "head": {"dropout": 0.5}}, {"kind": "gmu", "pos_weight_power": 0}]' \
        [DATA (default /work/shared/data/genres)]

Each item: ``kind``, optional ``head`` overrides (hidden, dropout, d_model), other keys = TrainConfig.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import torch

from apps.genres.ml.data import assign_splits, label_matrix, load_dataset
from apps.genres.ml.encoders import EncoderSpec
from apps.genres.ml.features import features_load_or_extract
from apps.genres.ml.heads import head_build
from apps.genres.ml.metrics import metrics_compute, thresholds_tune
from apps.genres.ml.train import TrainConfig, predict_probs, train_head
from apps.genres.ml.vocab import IMDB_GENRES


def half_split_f1(y, p) -> float:
    idx = np.arange(len(y))
    a, b = idx % 2 == 0, idx % 2 == 1
    f_ab = metrics_compute(y[b], p[b], thresholds_tune(y[a], p[a]), IMDB_GENRES)["f1_macro"]
    f_ba = metrics_compute(y[a], p[a], thresholds_tune(y[b], p[b]), IMDB_GENRES)["f1_macro"]
    return (f_ab + f_ba) / 2


def main():
    torch.set_num_threads(1)
    grid = json.loads(sys.argv[1])
    records = load_dataset(sys.argv[2] if len(sys.argv) > 2 else "/work/shared/data/genres")
    splits = assign_splits(records)
    feats = features_load_or_extract(records, EncoderSpec(), Path("var/cache/genres"))
    part = {
        name: (feats.rows([r.id for r in recs]), label_matrix(recs), np.array([r.pattern for r in recs]))
        for name, recs in splits.items()
        if name in ("train", "val")
    }
    (tr_f, tr_y, _), (va_f, va_y, va_p) = part["train"], part["val"]
    both = va_p == "both"
    for item in grid:
        t0 = time.time()
        cfg = dict(item)
        kind, head_cfg = cfg.pop("kind"), cfg.pop("head", {})
        torch.manual_seed(13)
        head = head_build(
            kind,
            text_dim=tr_f.text_tokens.shape[-1],
            image_dim=tr_f.image_global.shape[-1],
            n_genres=len(IMDB_GENRES),
            **{"hidden": 512, "dropout": 0.3, "d_model": 256, **head_cfg},
        )
        fit = train_head(head, tr_f, tr_y, va_f, va_y, TrainConfig(**cfg), val_select=both)
        p = predict_probs(head, va_f)[both]
        print(
            f"{kind} {head_cfg} {cfg} val mAP {fit['best_val_map']:.4f}  half-split F1 "
            f"{half_split_f1(va_y[both], p):.4f}  epochs {fit['epochs_run']}  {time.time() - t0:.0f}s",
            flush=True,
        )


if __name__ == "__main__":
    main()
