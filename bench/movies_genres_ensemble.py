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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from apps.genres.ml.data import assign_splits, load_dataset
from apps.genres.ml.encoders import EncoderSpec
from apps.genres.ml.features import features_load_or_extract
from apps.genres.ml.heads import EnsembleHead
from apps.genres.ml.experiment import evaluate_save, split_data
from apps.genres.ml.predictor import GenrePredictor


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
    data = {name: split_data(feats, recs) for name, recs in splits.items()}
    out = Path(args.out)
    res = evaluate_save(
        "ensemble",
        ens,
        {"members": len(heads)},
        0.0,
        EncoderSpec(),
        data,
        out,
        f"genres-ensemble{len(heads)}",
        half=True,
    )
    metrics = res["metrics"]
    for subset in ("val_both", "test_both", "test_image", "test_plot_only", "test_all"):
        m = metrics.get(subset)
        if m:
            print(
                f"{subset:>14}: macro-F1 {m['f1_macro']:.4f}  micro-F1 {m['f1_micro']:.4f}  mAP {m['map_macro']:.4f}"
                f"  AUC {m['roc_auc_macro']:.4f}  n={m['n']}"
            )
    print(f"validation half-split macro-F1 {metrics['val_both'].get('f1_macro_halfsplit')}")
    scalars = {s: {k: v for k, v in m.items() if not isinstance(v, dict)} for s, m in metrics.items()}
    summary = {
        "version": res["version"],
        "sha256": res["sha256"],
        "members": [f"{r}:{k}" for r in args.runs for k in args.kinds],
        "metrics": metrics,
        "data": runs[0]["data"],
    }
    (out / "results.json").write_text(json.dumps(summary, indent=1))
    print(f"saved {out / 'ensemble.pt'} ({(out / 'ensemble.pt').stat().st_size / 1e6:.1f} MB)")
    if args.deploy:
        deploy(out, summary, scalars, runs, args)


def deploy(out, summary, scalars, runs, args):
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")
    django.setup()
    from apps.genres.services.experiments import genre_model_deploy

    # Each head is seeded on its own, so the heads listed (all by default) do not change the weights.
    trains = [
        f"python bench/movies_genres_experiment.py {args.data} --out {path} --threads 1 --seed {r['config']['seed']}"
        f" --split-seed {r['config'].get('split_seed', r['config']['seed'])}"
        f" --heads {' '.join(r['config']['heads'])}"
        for path, r in zip(args.runs, runs)
    ]
    command = " && ".join([*trains, " ".join(["python", *sys.argv])])
    entry = genre_model_deploy(
        artifact_path=out / "ensemble.pt",
        kind="ensemble",
        version=summary["version"],
        metrics=scalars,
        dataset=summary["data"],
        command=command,
    )
    print(f"deployed -> models_store/{entry['path']} ({entry['version']})")


if __name__ == "__main__":
    main()
