"""Ensemble trained fusion heads across several runs (training seeds) of the same split, tune its
thresholds on validation, evaluate it on the test subsets, save it (float16) and optionally deploy it.

    nice -n 10 .venv/bin/python bench/movies_genres_ensemble.py /work/shared/data/genres \
        --runs var/genres/exp3 var/genres/exp3_seed1 var/genres/exp3_seed2 --kinds late attention cross gmu \
        --out var/genres/ens3 [--deploy]

The runs must come from bench/movies_genres_experiment.py with the same --split-seed.
"""
import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from apps.movies.ml.genres.data import assign_splits, label_matrix, load_dataset  # noqa: E402
from apps.movies.ml.genres.encoders import EncoderSpec  # noqa: E402
from apps.movies.ml.genres.features import features_load_or_extract  # noqa: E402
from apps.movies.ml.genres.heads import EnsembleHead  # noqa: E402
from apps.movies.ml.genres.metrics import metrics_compute, thresholds_apply, thresholds_by_pattern  # noqa: E402
from apps.movies.ml.genres.predictor import GenrePredictor, artifact_save  # noqa: E402
from apps.movies.ml.genres.train import predict_probs  # noqa: E402
from apps.movies.ml.genres.vocab import IMDB_GENRES  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--runs", nargs="+", required=True)
    ap.add_argument("--kinds", nargs="+", default=["late", "attention", "cross", "gmu"])
    ap.add_argument("--out", default="var/genres/ens")
    ap.add_argument("--deploy", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    runs = [json.loads((Path(r) / "results.json").read_text()) for r in args.runs]
    split_seed = {r["config"].get("split_seed", r["config"]["seed"]) for r in runs}  # older runs: split = seed
    assert len(split_seed) == 1, f"runs use different splits: {split_seed}"
    heads = [GenrePredictor.load(Path(r) / f"{k}.pt").head for r in args.runs for k in args.kinds]
    ens = EnsembleHead(members=[h.config for h in heads])
    for sub, h in zip(ens.members, heads):
        sub.load_state_dict(h.state_dict())
    # Round-trip through float16 first, so the figures below are those of the saved artifact.
    ens.load_state_dict({k: v.half().float() if v.is_floating_point() else v for k, v in ens.state_dict().items()})
    ens.eval()
    records = load_dataset(args.data)
    splits = assign_splits(records, seed=split_seed.pop())
    feats = features_load_or_extract(records, EncoderSpec(), Path("var/cache/genres"))
    data = {n: (feats.rows([r.id for r in recs]), label_matrix(recs), np.array([r.pattern for r in recs]))
            for n, recs in splits.items()}
    (vf, vy, vp), (tf, ty, tp) = data["val"], data["test"]
    p_val, p_test = predict_probs(ens, vf), predict_probs(ens, tf)
    table = thresholds_by_pattern(vy, p_val, vp)
    th_val, th_test = thresholds_apply(table, vp), thresholds_apply(table, tp)
    metrics = {"val_both": metrics_compute(vy[vp == "both"], p_val[vp == "both"], th_val[vp == "both"], IMDB_GENRES)}
    for subset, rows in (("test_all", slice(None)), ("test_both", tp == "both"), ("test_image", tp == "image")):
        metrics[subset] = metrics_compute(ty[rows], p_test[rows], th_test[rows], IMDB_GENRES)
    for subset in ("val_both", "test_both", "test_image", "test_all"):
        m = metrics[subset]
        print(f"{subset:>10}: macro-F1 {m['f1_macro']:.4f}  micro-F1 {m['f1_micro']:.4f}  mAP {m['map_macro']:.4f}"
              f"  AUC {m['roc_auc_macro']:.4f}  n={m['n']}")
    out = Path(args.out)
    version = f"genres-ensemble{len(heads)}-{time.strftime('%Y%m%d%H%M%S')}"
    scalars = {s: {k: v for k, v in m.items() if not isinstance(v, dict)} for s, m in metrics.items()}
    sha = artifact_save(out / "ensemble.pt", head=ens, thresholds=table, spec=EncoderSpec(), vocabulary=IMDB_GENRES,
                        version=version, metrics=scalars, half=True)
    summary = {"version": version, "sha256": sha, "members": [f"{r}:{k}" for r in args.runs for k in args.kinds],
               "metrics": metrics, "data": runs[0]["data"]}
    (out / "results.json").write_text(json.dumps(summary, indent=1))
    print(f"saved {out / 'ensemble.pt'} ({(out / 'ensemble.pt').stat().st_size / 1e6:.1f} MB)")
    if args.deploy:
        deploy(out, summary, scalars, runs, args)


def deploy(out, summary, scalars, runs, args):
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")
    django.setup()
    from apps.movies.services.genres_experiments import genre_model_deploy

    trains = [f"python bench/movies_genres_experiment.py {args.data} --out {path} --threads 1 --seed {r['config']['seed']}"
              f" --split-seed {r['config'].get('split_seed', r['config']['seed'])}" for path, r in zip(args.runs, runs)]
    command = " && ".join([*trains, " ".join(["python", *sys.argv])])
    entry = genre_model_deploy(artifact_path=out / "ensemble.pt", kind="ensemble", version=summary["version"],
                               metrics=scalars, dataset=summary["data"], command=command)
    print(f"deployed -> models_store/{entry['path']} ({entry['version']})")


if __name__ == "__main__":
    main()
