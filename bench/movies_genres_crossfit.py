"""Cross-fitted genre ensemble: K fold models, thresholds tuned on out-of-fold predictions.

Per-genre thresholds tuned on the ~360 validation movies with both modalities are noisy (rare
genres have a handful of positives there). Here the training movies are split into K folds; each
fold model (the head set, e.g. late + attention + GMU + text) is trained on the other K-1 folds
(early stopping on validation as usual), so every training movie gets an out-of-fold (OOF)
prediction. The deployed model is the mean of the K fold models' logits; its thresholds can be tuned
on OOF + validation predictions (~2,100 movies with both modalities instead of ~360).

    # 1. train the fold models, save OOF / validation logits (test movies are not read)
    nice -n 15 .venv/bin/python bench/movies_genres_crossfit.py train /work/shared/data/genres \
        --out var/genres/xfit --folds 4 --seed 13 --split-seed 13 --kinds late attention gmu text
    # 2. compare threshold sources on validation (paired random halvings of validation movies), for the
    #    fold models and (--runs) for ensembles of --subset-size full-data runs (training seeds)
    nice -n 15 .venv/bin/python bench/movies_genres_crossfit.py select /work/shared/data/genres --out var/genres/xfit \
        [--runs var/genres/exp3 var/genres/exp3_seed1 ... --subset-size 4]
    # 3. build the chosen model (the fold models, or --runs: those runs' heads) with thresholds from the chosen
    #    source, report its test figures, optionally deploy; --only text: the text heads alone (research question)
    nice -n 15 .venv/bin/python bench/movies_genres_crossfit.py build /work/shared/data/genres --out var/genres/xfit \
        [--runs ...] --thresholds oof+val --shrink 0.25 [--save-as DIR] [--only text] [--deploy]

Only ``build`` reads test movies.
"""

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np
import torch

from apps.genres.ml.data import assign_splits, load_dataset
from apps.genres.ml.encoders import EncoderSpec
from apps.genres.ml.experiment import _hide_poster, _train_one, config_normalise, split_data
from apps.genres.ml.features import features_load_or_extract
from apps.genres.ml.heads import EnsembleHead
from apps.genres.ml.metrics import (
    THRESHOLD_SHRINK,
    metrics_compute,
    thresholds_apply,
    thresholds_by_pattern,
    thresholds_tune,
)
from apps.genres.ml.predictor import GenrePredictor, artifact_save
from apps.genres.ml.vocab import IMDB_GENRES
from movies_genres_select import halvings, logits_of, macro_f1

SOURCES = ("val", "oof", "oof+val")


def fold_of(movie_id: str, folds: int) -> int:
    return int(hashlib.sha1(f"fold|{movie_id}".encode()).hexdigest(), 16) % folds


def load(data_path, split_seed):
    records = load_dataset(data_path)
    feats = features_load_or_extract(records, EncoderSpec(), Path("var/cache/genres"))
    splits = assign_splits(records, seed=split_seed)
    return {name: split_data(feats, recs) for name, recs in splits.items()}


def subset(d: dict, rows: np.ndarray) -> dict:
    ids = [i for i, keep in zip(d["ids"], rows) if keep]
    return {"feats": d["feats"].rows(ids), "y": d["y"][rows], "patterns": d["patterns"][rows], "ids": ids}


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def train(args):
    cfg = config_normalise(
        {"heads": args.kinds, "seed": args.seed, "split_seed": args.split_seed, "train": json.loads(args.train)}
    )
    data = load(args.data, cfg["split_seed"])
    tr, val = data["train"], data["val"]
    fold = np.array([fold_of(i, args.folds) for i in tr["ids"]])
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    both_tr, both_val = tr["patterns"] == "both", val["patterns"] == "both"
    n, g = len(tr["ids"]), len(IMDB_GENRES)
    oof, oof_hidden = np.zeros((n, g), np.float32), np.zeros((int(both_tr.sum()), g), np.float32)
    val_logits, val_hidden = [], []
    t0 = time.time()
    for k in range(args.folds):
        held = fold == k
        heads = []
        for kind in args.kinds:
            head, fit, _ = _train_one(kind, cfg, {"train": subset(tr, ~held), "val": val})
            artifact_save(
                out / f"fold{k}_{kind}.pt",
                head=head,
                thresholds={"all": [0.5] * g},
                spec=EncoderSpec(),
                vocabulary=IMDB_GENRES,
                version=f"xfit-fold{k}-{kind}",
            )
            heads.append(head)
            print(
                f"{time.time() - t0:7.1f}s fold {k} {kind}: {fit['epochs_run']} epochs, "
                f"val mAP {fit['best_val_map']:.4f}",
                flush=True,
            )
        mean = lambda feats: np.mean([logits_of(h, feats) for h in heads], axis=0)  # noqa: E731
        oof[held] = mean(subset(tr, held)["feats"])
        hidden_rows = held & both_tr
        oof_hidden[held[both_tr]] = mean(_hide_poster(tr["feats"], hidden_rows))
        val_logits.append(mean(val["feats"]))
        val_hidden.append(mean(_hide_poster(val["feats"], both_val)))
    np.savez(
        out / "logits.npz",
        oof=oof,
        oof_hidden=oof_hidden,
        train_y=tr["y"],
        train_patterns=tr["patterns"],
        fold=fold,
        val=np.stack(val_logits),
        val_hidden=np.stack(val_hidden),
        val_y=val["y"],
        val_patterns=val["patterns"],
    )
    (out / "config.json").write_text(json.dumps({**vars(args), "config": cfg}, indent=1, default=str))
    print(f"saved {out}/logits.npz", flush=True)


def tune(source, oof_y, oof_p, val_y, val_p, shrink):
    if source == "val":
        return thresholds_tune(val_y, val_p, shrink=shrink)
    if source == "oof":
        return thresholds_tune(oof_y, oof_p, shrink=shrink)
    return thresholds_tune(np.concatenate([oof_y, val_y]), np.concatenate([oof_p, val_p]), shrink=shrink)


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
        import itertools

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


def thresholds_table(source, z, p_val, p_val_hidden, shrink):
    """Per pattern, as metrics.thresholds_by_pattern (+ the plot-only row), on OOF and/or validation rows."""
    parts_y, parts_p, parts_pat = [], [], []
    if source in ("oof", "oof+val"):
        parts_y.append(z["train_y"])
        parts_p.append(sigmoid(z["oof"]))
        parts_pat.append(z["train_patterns"])
    if source in ("val", "oof+val"):
        parts_y.append(z["val_y"])
        parts_p.append(p_val)
        parts_pat.append(z["val_patterns"])
    y, p, pat = np.concatenate(parts_y), np.concatenate(parts_p), np.concatenate(parts_pat)
    table = thresholds_by_pattern(y, p, pat, shrink=shrink)
    hy, hp = [], []
    if source in ("oof", "oof+val"):
        hy.append(z["train_y"][z["train_patterns"] == "both"])
        hp.append(sigmoid(z["oof_hidden"]))
    if source in ("val", "oof+val"):
        hy.append(z["val_y"][z["val_patterns"] == "both"])
        hp.append(p_val_hidden)
    hy, hp = np.concatenate(hy), np.concatenate(hp)
    local = thresholds_tune(hy, hp, min_pos=3, shrink=shrink)
    few = hy.sum(0) < 3
    local[few] = np.asarray(table["all"], dtype=np.float32)[few]
    table["text"] = local.tolist()
    return table


def oof_logits(out: Path, tr: dict, fold: np.ndarray, folds: int, kinds) -> dict:
    both = tr["patterns"] == "both"
    oof, hidden = np.zeros((len(fold), len(IMDB_GENRES)), np.float32), np.zeros((int(both.sum()), len(IMDB_GENRES)))
    for k in range(folds):
        heads = [GenrePredictor.load(out / f"fold{k}_{kind}.pt").head for kind in kinds]
        held = fold == k
        oof[held] = np.mean([logits_of(h, subset(tr, held)["feats"]) for h in heads], axis=0)
        hidden[held[both]] = np.mean([logits_of(h, _hide_poster(tr["feats"], held & both)) for h in heads], axis=0)
    return {"oof": oof, "oof_hidden": hidden}


def build(args):
    out = Path(args.out)
    z = np.load(out / "logits.npz")
    meta = json.loads((out / "config.json").read_text())
    if args.only and args.deploy:
        raise SystemExit("--only builds a research comparison, not a model to deploy")
    kinds, folds, cfg = args.only or meta["kinds"], meta["folds"], meta["config"]
    data = load(args.data, cfg["split_seed"])
    if args.only:  # a part of the head set (e.g. text only, for the research question): its own OOF rows
        z = {**z, **oof_logits(out, data["train"], z["fold"], folds, kinds)}
    # The model: the fold models themselves, or (--runs) the same head set trained on the whole
    # training split with several seeds; the OOF rows for the thresholds come from the fold models.
    members = (
        [(Path(r) / f"{kind}.pt", f"{r}:{kind}") for r in args.runs for kind in kinds]
        if args.runs
        else [(out / f"fold{k}_{kind}.pt", f"fold{k}:{kind}") for k in range(folds) for kind in kinds]
    )
    heads = [GenrePredictor.load(path).head for path, _ in members]
    ens = EnsembleHead(members=[h.config for h in heads])
    for sub, h in zip(ens.members, heads):
        sub.load_state_dict(h.state_dict())
    # The figures below are those of the saved float16 artifact.
    ens.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in ens.state_dict().items()})
    ens.eval()
    val, test = data["val"], data["test"]
    vb, tb = val["patterns"] == "both", test["patterns"] == "both"
    p_val = sigmoid(logits_of(ens, val["feats"]))
    p_val_hidden = sigmoid(logits_of(ens, _hide_poster(val["feats"], vb)))
    table = thresholds_table(args.thresholds, z, p_val, p_val_hidden, args.shrink)
    p_test = sigmoid(logits_of(ens, test["feats"]))
    th_val, th_test = thresholds_apply(table, val["patterns"]), thresholds_apply(table, test["patterns"])
    metrics = {
        "val": metrics_compute(val["y"], p_val, th_val, IMDB_GENRES),
        "val_both": metrics_compute(val["y"][vb], p_val[vb], th_val[vb], IMDB_GENRES),
    }
    # The validation-selection score of this very model (thresholds from OOF rows + one half of the
    # validation movies, scored on the other half; 50 random halvings, as ``select``).
    tr_b = z["train_patterns"] == "both"
    oy, op, y, p = z["train_y"][tr_b], sigmoid(z["oof"])[tr_b], val["y"][vb], p_val[vb]
    metrics["val_both"]["f1_macro_halfsplit"] = float(
        np.mean(
            [
                macro_f1(y[s_], p[s_], tune(args.thresholds, oy, op, y[t], p[t], args.shrink))
                for t, s_ in halvings(len(y), 50)
            ]
        )
    )
    for name, rows in (("test_all", slice(None)), ("test_both", tb), ("test_image", test["patterns"] == "image")):
        metrics[name] = metrics_compute(test["y"][rows], p_test[rows], th_test[rows], IMDB_GENRES)
    p_hidden = sigmoid(logits_of(ens, _hide_poster(test["feats"], tb)))
    metrics["test_plot_only"] = metrics_compute(
        test["y"][tb], p_hidden, np.tile(np.asarray(table["text"], np.float32), (len(p_hidden), 1)), IMDB_GENRES
    )
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
    for s in ("val_both", "test_both", "test_image", "test_plot_only", "test_all"):
        m = metrics[s]
        print(
            f"{s:>14}: macro-F1 {m['f1_macro']:.4f}  micro-F1 {m['f1_micro']:.4f}  mAP {m['map_macro']:.4f}"
            f"  AUC {m['roc_auc_macro']:.4f}  n={m['n']}"
        )
    summary = {
        "version": version,
        "sha256": sha,
        "members": [name for _, name in members],
        "thresholds_from": args.thresholds,
        "shrink": args.shrink,
        "metrics": metrics,
        "data": _data_summary(args.data, cfg["split_seed"]),
    }
    (dest / "results.json").write_text(json.dumps(summary, indent=1))
    print(f"saved {dest / 'ensemble.pt'} ({(dest / 'ensemble.pt').stat().st_size / 1e6:.1f} MB), version {version}")
    if args.deploy:
        deploy(dest, summary, scalars, meta, args)


def _data_summary(data_path, split_seed):
    from apps.genres.ml.experiment import _data_summary as summary

    return summary(data_path, assign_splits(load_dataset(data_path), seed=split_seed))


def deploy(out, summary, scalars, meta, args):
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")
    django.setup()
    from apps.genres.services.experiments import genre_model_deploy

    trains = []
    for run in args.runs:
        c = json.loads((Path(run) / "results.json").read_text())["config"]
        trains.append(
            f"python bench/movies_genres_experiment.py {args.data} --out {run} --threads 1 --seed {c['seed']}"
            f" --split-seed {c.get('split_seed', c['seed'])} --heads {' '.join(c['heads'])}"
        )
    runs = f" --runs {' '.join(args.runs)}" if args.runs else ""
    command = " && ".join(
        [
            *trains,
            f"python bench/movies_genres_crossfit.py train {args.data} --out {args.out} --folds {meta['folds']}"
            f" --seed {meta['seed']} --split-seed {meta['split_seed']} --kinds {' '.join(meta['kinds'])}",
            f"python bench/movies_genres_crossfit.py build {args.data} --out {args.out}{runs}"
            f" --thresholds {args.thresholds} --shrink {args.shrink}"
            + (f" --save-as {args.save_as}" if args.save_as else "")
            + " --deploy",
        ]
    )
    entry = genre_model_deploy(
        artifact_path=out / "ensemble.pt",
        kind="ensemble",
        version=summary["version"],
        metrics=scalars,
        dataset=summary["data"],
        command=command,
    )
    print(f"deployed -> models_store/{entry['path']} ({entry['version']})")


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
    ap.add_argument("--only", nargs="+", help="build: only these kinds of the head set (no deploy)")
    ap.add_argument("--save-as", default="", help="build: folder for ensemble.pt + results.json (default --out)")
    ap.add_argument("--deploy", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    {"train": train, "select": select, "build": build}[args.step](args)


if __name__ == "__main__":
    main()
