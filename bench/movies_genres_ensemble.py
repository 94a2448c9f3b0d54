"""Ensemble trained fusion heads across several runs (training seeds) of the same split, tune its
thresholds on validation, evaluate it on the test subsets and save it (float16; a candidate, never
deployed: ``manage.py train_genres`` builds the deployed model).

    nice -n 10 .venv/bin/python bench/movies_genres_ensemble.py /work/shared/data/genres \
        --runs var/genres/exp3 var/genres/exp3_seed1 var/genres/exp3_seed2 --kinds late attention cross gmu \
        --out var/genres/ens3

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
from apps.genres.ml.metrics import metrics_line
from apps.genres.ml.experiment import evaluate_save, split_data
from apps.genres.ml.predictor import GenrePredictor
from apps.genres.ml.suggest.crossfit import ensemble_of


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--runs", nargs="+", required=True)
    ap.add_argument("--kinds", nargs="+", default=["late", "attention", "cross", "gmu"])
    ap.add_argument("--out", default="var/genres/ens")
    args = ap.parse_args()
    torch.set_num_threads(1)
    runs = [json.loads((Path(r) / "results.json").read_text()) for r in args.runs]
    split_seed = {r["config"].get("split_seed", r["config"]["seed"]) for r in runs}  # older runs: split = seed
    assert len(split_seed) == 1, f"runs use different splits: {split_seed}"
    heads = [GenrePredictor.load(Path(r) / f"{k}.pt").head for r in args.runs for k in args.kinds]
    ens = ensemble_of(heads)  # rounded through float16: the figures below are those of the saved artifact
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
        if subset in metrics:
            print(f"{subset:>14}: {metrics_line(metrics[subset])}")
    print(f"validation half-split macro-F1 {metrics['val_both'].get('f1_macro_halfsplit')}")
    summary = {
        "version": res["version"],
        "sha256": res["sha256"],
        "members": [f"{r}:{k}" for r in args.runs for k in args.kinds],
        "metrics": metrics,
        "data": runs[0]["data"],
    }
    (out / "results.json").write_text(json.dumps(summary, indent=1))
    print(f"saved {out / 'ensemble.pt'} ({(out / 'ensemble.pt').stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
