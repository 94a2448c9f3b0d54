"""Re-evaluate trained heads of earlier runs with the current threshold rule (no retraining), and
compare threshold strategies on validation only.

    nice -n 10 .venv/bin/python bench/movies_genres_reevaluate.py /work/shared/data/genres \
        --runs var/genres/exp3 var/genres/exp3_seed1 var/genres/exp3_seed2 [--strategies | --combos]

Without ``--strategies``: per run and model, thresholds re-tuned on validation (per modality
pattern, shrunk toward a single threshold) and macro/micro-F1, mAP, AUC on the test subsets.
With ``--strategies``: for the 4-head ensemble of each run, macro-F1 on validation movies with both
modalities, thresholds tuned on one half and scored on the other (both ways, averaged).
With ``--combos``: the same validation score (shrunk thresholds) for ensembles of several head sets.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import torch

from apps.genres.ml.data import assign_splits, label_matrix, load_dataset
from apps.genres.ml.encoders import EncoderSpec
from apps.genres.ml.features import features_load_or_extract
from apps.genres.ml.heads import EnsembleHead
from apps.genres.ml.metrics import (
    metrics_compute,
    thresholds_apply,
    thresholds_by_pattern,
    thresholds_tune,
)
from apps.genres.ml.predictor import GenrePredictor
from apps.genres.ml.train import predict_probs
from apps.genres.ml.vocab import IMDB_GENRES

FUSION = ["late", "attention", "cross", "gmu"]
COMBOS = [
    ("late", "attention", "cross", "gmu"),
    ("late", "gmu"),
    ("late", "attention", "gmu"),
    ("late", "attention", "cross", "gmu", "text"),
    ("late", "attention", "gmu", "text"),
]


def load_split(data, split_seed):
    records = load_dataset(data)
    feats = features_load_or_extract(records, EncoderSpec(), Path("var/cache/genres"))
    out = {}
    for name, recs in assign_splits(records, seed=split_seed).items():
        out[name] = (feats.rows([r.id for r in recs]), label_matrix(recs), np.array([r.pattern for r in recs]))
    return out


def heads_of(run: Path, kinds):
    heads = {k: GenrePredictor.load(run / f"{k}.pt").head for k in kinds if (run / f"{k}.pt").exists()}
    if all(k in heads for k in FUSION):
        ens = EnsembleHead(members=[heads[k].config for k in FUSION])
        for sub, k in zip(ens.members, FUSION):
            sub.load_state_dict(heads[k].state_dict())
        heads["ensemble"] = ens.eval()
    return heads


def evaluate(head, split) -> dict:
    (vf, vy, vp), (tf, ty, tp) = split["val"], split["test"]
    p_val, p_test = predict_probs(head, vf), predict_probs(head, tf)
    table = thresholds_by_pattern(vy, p_val, vp)
    th = thresholds_apply(table, tp)
    return {
        s: metrics_compute(ty[rows], p_test[rows], th[rows], IMDB_GENRES)
        for s, rows in (("test_both", tp == "both"), ("test_image", tp == "image"))
    }


def strategies(head, split) -> dict:
    vf, vy, vp = split["val"]
    both = vp == "both"
    y, p = vy[both], predict_probs(head, vf)[both]
    idx = np.arange(len(y))
    halves = [(idx % 2 == 0, idx % 2 == 1), (idx % 2 == 1, idx % 2 == 0)]
    out = {}
    for name, shrink in (("per-genre", 0.0), ("shrunk 0.5", 0.5), ("single", 1.0)):
        scores = [
            metrics_compute(y[s], p[s], thresholds_tune(y[t], p[t], shrink=shrink), IMDB_GENRES)["f1_macro"]
            for t, s in halves
        ]
        out[name] = round(float(np.mean(scores)), 4)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--runs", nargs="+", required=True)
    ap.add_argument("--kinds", nargs="+", default=["text", "image", "early", *FUSION])
    ap.add_argument("--strategies", action="store_true")
    ap.add_argument("--combos", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.combos:
        return combos(args)
    rows = {}
    for run in map(Path, args.runs):
        cfg = json.loads((run / "results.json").read_text())["config"]
        split = load_split(args.data, cfg.get("split_seed", cfg["seed"]))
        for kind, head in heads_of(run, args.kinds if not args.strategies else FUSION).items():
            if args.strategies:
                if kind == "ensemble":
                    print(run.name, strategies(head, split), flush=True)
                continue
            m = evaluate(head, split)
            rows.setdefault(kind, []).append(m)
            b, i = m["test_both"], m["test_image"]
            print(
                f"{run.name:>12} {kind:>10}: both macro-F1 {b['f1_macro']:.4f} micro-F1 {b['f1_micro']:.4f} "
                f"mAP {b['map_macro']:.4f} AUC {b['roc_auc_macro']:.4f} | poster-only macro-F1 {i['f1_macro']:.4f}",
                flush=True,
            )
    for kind, ms in rows.items():
        f = [m["test_both"]["f1_macro"] for m in ms]
        print(
            f"{kind:>10}: test-both macro-F1 mean {np.mean(f):.4f} (min {min(f):.4f}, max {max(f):.4f}, runs {len(f)})"
        )


def combos(args):
    scores = {}
    for run in map(Path, args.runs):
        cfg = json.loads((run / "results.json").read_text())["config"]
        split = load_split(args.data, cfg.get("split_seed", cfg["seed"]))
        heads = {k: GenrePredictor.load(run / f"{k}.pt").head for k in {k for c in COMBOS for k in c}}
        for combo in COMBOS:
            ens = EnsembleHead(members=[heads[k].config for k in combo])
            for sub, k in zip(ens.members, combo):
                sub.load_state_dict(heads[k].state_dict())
            score = strategies(ens.eval(), split)["shrunk 0.5"]
            scores.setdefault(combo, []).append(score)
            print(f"{run.name:>12} {'+'.join(combo):>32}: validation half-split macro-F1 {score:.4f}", flush=True)
    for combo, s in scores.items():
        print(f"{'+'.join(combo):>32}: mean {np.mean(s):.4f}")


if __name__ == "__main__":
    main()
