"""Measure cross-fitted genre ensembles: K fold models, thresholds tuned on out-of-fold predictions.

The cross-fitting itself is ``apps/genres/ml/suggest/crossfit.py`` (why: its docstring); the deployed
model is built by ``manage.py train_genres`` (the same code, the whole recipe in one process). This
script keeps the research steps: fold models saved for reuse, threshold sources compared on
validation, and candidate ensembles built and measured (``ensemble.pt`` + ``results.json``, never
deployed).

    # 1. train the fold models, save OOF / validation logits (test movies are not read)
    nice -n 15 .venv/bin/python bench/movies_genres_crossfit.py train /work/shared/data/genres \
        --out var/genres/xfit --folds 4 --seed 13 --split-seed 13 --kinds late attention gmu text
    # 2. compare threshold sources on validation (paired random halvings of validation movies), for the
    #    fold models and (--runs) for ensembles of --subset-size full-data runs (training seeds)
    nice -n 15 .venv/bin/python bench/movies_genres_crossfit.py select /work/shared/data/genres --out var/genres/xfit \
        [--runs var/genres/exp3 var/genres/exp3_seed1 ... --subset-size 4]
    # 3. build a candidate (the fold models, or --runs: those runs' heads) with thresholds from the chosen
    #    source and report its test figures; --only text: the text heads alone (research question)
    nice -n 15 .venv/bin/python bench/movies_genres_crossfit.py build /work/shared/data/genres --out var/genres/xfit \
        [--runs ...] --thresholds oof+val --shrink 0.25 [--save-as DIR] [--only text]

Only ``build`` reads test movies.
"""

import argparse
import itertools
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import torch

from apps.genres.ml.data import assign_splits, load_dataset
from apps.genres.ml.encoders import EncoderSpec
from apps.genres.ml.experiment import config_normalise, data_summary, posters_hidden, split_data
from apps.genres.ml.features import features_load_or_extract
from apps.genres.ml.metrics import THRESHOLD_SHRINK, halvings, macro_f1, metrics_line, thresholds_tune
from apps.genres.ml.predictor import GenrePredictor, artifact_save
from apps.genres.ml.suggest.crossfit import (
    SOURCES,
    crossfit_train,
    ensemble_evaluate,
    ensemble_of,
    mean_logits,
    sigmoid,
    subset,
    tune,
)
from apps.genres.ml.suggest.train import REPORTED
from apps.genres.ml.train import logits_of
from apps.genres.ml.vocab import IMDB_GENRES


def load(data_path, split_seed):
    records = load_dataset(data_path)
    feats = features_load_or_extract(records, EncoderSpec(), Path("var/cache/genres"))
    splits = assign_splits(records, seed=split_seed)
    return {name: split_data(feats, recs) for name, recs in splits.items()}, splits


def train(args):
    cfg = config_normalise(
        {"heads": args.kinds, "seed": args.seed, "split_seed": args.split_seed, "train": json.loads(args.train)}
    )
    data, _ = load(args.data, cfg["split_seed"])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    z, fold_heads = crossfit_train(
        args.kinds, cfg, data, args.folds, progress=lambda note: print(f"{time.time() - t0:7.1f}s {note}", flush=True)
    )
    for k, heads in enumerate(fold_heads):
        for kind, head in zip(args.kinds, heads):
            artifact_save(
                out / f"fold{k}_{kind}.pt",
                head=head,
                thresholds={"all": [0.5] * len(IMDB_GENRES)},
                spec=EncoderSpec(),
                vocabulary=IMDB_GENRES,
                version=f"xfit-fold{k}-{kind}",
            )
    np.savez(out / "logits.npz", **z)
    (out / "config.json").write_text(json.dumps({**vars(args), "config": cfg}, indent=1, default=str))
    print(f"saved {out}/logits.npz", flush=True)


def select(args):
    z = np.load(Path(args.out) / "logits.npz")
    vb, tb = z["val_patterns"] == "both", z["train_patterns"] == "both"
    y, p = z["val_y"][vb], sigmoid(z["val"].mean(0))[vb]
    oy, op = z["train_y"][tb], sigmoid(z["oof"])[tb]
    splits = halvings(len(y), args.repeats)
    report = {}
    for source in SOURCES:
        for shrink in (0.0, 0.25, 0.5, 0.75):
            s = float(np.mean([macro_f1(y[s_], p[s_], tune(source, oy, op, y[t], p[t], shrink)) for t, s_ in splits]))
            report[f"{source} shrink {shrink}"] = s
            print(f"thresholds from {source:>8}, shrink {shrink}: validation macro-F1 {s:.4f}", flush=True)
    if args.runs:
        # The same threshold sources for ensembles of full-training-set runs (training seeds): the
        # OOF rows come from the fold models, the validation rows from the ensemble itself. Every
        # subset of ``--subset-size`` runs (up to 30, drawn at random) is scored; the mean is reported.
        from movies_genres_select import val_both

        feats, y_runs = val_both(args.data, args.split_seed)
        assert (y_runs == y).all()
        per_run = {
            r: np.mean([logits_of(GenrePredictor.load(Path(r) / f"{k}.pt").head, feats) for k in args.kinds], axis=0)
            for r in args.runs
        }
        subsets = list(itertools.combinations(args.runs, args.subset_size or len(args.runs)))
        if len(subsets) > 30:
            subsets = [subsets[i] for i in np.random.default_rng(1).choice(len(subsets), 30, replace=False)]
        for source in SOURCES:
            for shrink in (0.25, 0.5, 0.75):
                vals = []
                for sub in subsets:
                    pr = sigmoid(np.mean([per_run[r] for r in sub], axis=0))
                    vals.append(
                        float(
                            np.mean(
                                [macro_f1(y[s_], pr[s_], tune(source, oy, op, y[t], pr[t], shrink)) for t, s_ in splits]
                            )
                        )
                    )
                report[f"runs of {len(subsets[0])}: {source} shrink {shrink}"] = vals
                print(
                    f"ensembles of {len(subsets[0])} runs ({len(subsets)} subsets), thresholds from {source:>8}, "
                    f"shrink {shrink}: validation macro-F1 mean {np.mean(vals):.4f} (sd {np.std(vals):.4f})",
                    flush=True,
                )
    one = [
        float(
            np.mean(
                [
                    macro_f1(
                        y[s_], sigmoid(v)[vb][s_], thresholds_tune(y[t], sigmoid(v)[vb][t], shrink=THRESHOLD_SHRINK)
                    )
                    for t, s_ in splits
                ]
            )
        )
        for v in z["val"]
    ]
    report["single fold model, thresholds from val"] = one
    print(f"single fold models, thresholds from val, shrink 0.5: {np.round(one, 4)} (mean {np.mean(one):.4f})")
    (Path(args.out) / "select.json").write_text(json.dumps(report, indent=1))


def oof_logits(out: Path, tr: dict, fold: np.ndarray, folds: int, kinds) -> dict:
    """OOF logits of a part of the head set, from the saved fold models."""
    both = tr["patterns"] == "both"
    oof, hidden = np.zeros((len(fold), len(IMDB_GENRES)), np.float32), np.zeros((int(both.sum()), len(IMDB_GENRES)))
    for k in range(folds):
        heads = [GenrePredictor.load(out / f"fold{k}_{kind}.pt").head for kind in kinds]
        held = fold == k
        oof[held] = mean_logits(heads, subset(tr, held)["feats"])
        hidden[held[both]] = mean_logits(heads, posters_hidden(tr["feats"], held & both))
    return {"oof": oof, "oof_hidden": hidden}


def build(args):
    out = Path(args.out)
    z = dict(np.load(out / "logits.npz"))
    meta = json.loads((out / "config.json").read_text())
    kinds, folds, cfg = args.only or meta["kinds"], meta["folds"], meta["config"]
    data, splits = load(args.data, cfg["split_seed"])
    if args.only:  # a part of the head set (e.g. text only, for the research question): its own OOF rows
        z = {**z, **oof_logits(out, data["train"], z["fold"], folds, kinds)}
    # The model: the fold models themselves, or (--runs) the same head set trained on the whole
    # training split with several seeds; the OOF rows for the thresholds come from the fold models.
    members = (
        [(Path(r) / f"{kind}.pt", f"{r}:{kind}") for r in args.runs for kind in kinds]
        if args.runs
        else [(out / f"fold{k}_{kind}.pt", f"fold{k}:{kind}") for k in range(folds) for kind in kinds]
    )
    ens = ensemble_of([GenrePredictor.load(path).head for path, _ in members])
    table, metrics = ensemble_evaluate(ens, data, z, args.thresholds, args.shrink)
    name = f"{len(args.runs)}seeds" if args.runs else f"{folds}folds"
    version = f"genres-ens{name}x{len(kinds)}-xfit-{time.strftime('%Y%m%d%H%M%S')}"
    scalars = {s: {k: v for k, v in m.items() if not isinstance(v, dict)} for s, m in metrics.items()}
    dest = Path(args.save_as or out)
    sha = artifact_save(
        dest / "ensemble.pt",
        head=ens,
        thresholds=table,
        spec=EncoderSpec(),
        vocabulary=IMDB_GENRES,
        version=version,
        metrics=scalars,
        half=True,
        extra={"thresholds_from": f"{args.thresholds} (shrink {args.shrink})"},
    )
    print(f"validation half-split macro-F1 {metrics['val_both']['f1_macro_halfsplit']:.4f}")
    for s in REPORTED:
        print(f"{s:>14}: {metrics_line(metrics[s])}")
    summary = {
        "version": version,
        "sha256": sha,
        "members": [name for _, name in members],
        "thresholds_from": args.thresholds,
        "shrink": args.shrink,
        "metrics": metrics,
        "data": data_summary(args.data, splits),
    }
    (dest / "results.json").write_text(json.dumps(summary, indent=1))
    print(f"saved {dest / 'ensemble.pt'} ({(dest / 'ensemble.pt').stat().st_size / 1e6:.1f} MB), version {version}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("step", choices=("train", "select", "build"))
    ap.add_argument("data")
    ap.add_argument("--out", default="var/genres/xfit")
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--split-seed", type=int, default=13)
    ap.add_argument("--kinds", nargs="+", default=["late", "attention", "gmu", "text"])
    ap.add_argument("--runs", nargs="*", default=[], help="select: also score ensembles of these full-data runs")
    ap.add_argument("--subset-size", type=int, default=0, help="select: runs per ensemble (default: all)")
    ap.add_argument("--train", default="{}", help="JSON TrainConfig overrides (e.g. a quick smoke run)")
    ap.add_argument("--repeats", type=int, default=50)
    ap.add_argument("--thresholds", choices=SOURCES, default="oof+val")
    ap.add_argument("--shrink", type=float, default=THRESHOLD_SHRINK)
    ap.add_argument("--only", nargs="+", help="build: only these kinds of the head set")
    ap.add_argument("--save-as", default="", help="build: folder for ensemble.pt + results.json (default --out)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    {"train": train, "select": select, "build": build}[args.step](args)


if __name__ == "__main__":
    main()
