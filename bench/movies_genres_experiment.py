"""Train and compare the genre heads on cached features; print the comparison and save results.

    nice -n 10 .venv/bin/python bench/movies_genres_experiment.py /work/shared/data/genres \
        --heads text image early late attention cross gmu --out var/genres/exp1 [--limit N] [--threads 1]

Writes ``<out>/results.json`` and one predictor artifact per head (``<out>/<kind>.pt``). Measurements
only: the deployed model is built by ``manage.py train_genres`` (a research run's head can be deployed
from the research page or ``manage.py genres_experiment --deploy``).
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from apps.genres.ml.experiment import experiment_run
from apps.genres.ml.heads import HEAD_KINDS

COLUMNS = ("f1_macro", "f1_micro", "map_macro", "roc_auc_macro")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--heads", nargs="+", default=list(HEAD_KINDS))
    ap.add_argument("--out", default="var/genres/exp")
    ap.add_argument("--cache", default="var/cache/genres")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--split-seed", type=int, default=None, help="seed of the 70/15/15 split (default: --seed)")
    ap.add_argument("--train", default="{}", help="JSON TrainConfig overrides")
    ap.add_argument("--head", default="{}", help="JSON head overrides (hidden, dropout, d_model)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    t0 = time.time()
    config = {
        "heads": args.heads,
        "seed": args.seed,
        "split_seed": args.split_seed,
        "limit": args.limit,
        "train": json.loads(args.train),
        "head": json.loads(args.head),
    }
    res = experiment_run(
        config,
        data_path=args.data,
        cache_root=args.cache,
        out_dir=args.out,
        progress=lambda d, t, note="": note and print(f"{time.time() - t0:7.1f}s {note}", flush=True),
    )
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / "results.json").write_text(json.dumps(res, indent=1))
    print(json.dumps(res["data"], indent=None))
    for subset in ("test_both", "test_image", "test_plot_only", "test_all", "val"):
        print(f"\n{subset}: " + " ".join(f"{c:>14}" for c in COLUMNS))
        for kind, m in res["models"].items():
            row = m["metrics"].get(subset, {})
            print(f"{kind:>10}: " + " ".join(f"{(row.get(c) or 0):14.4f}" for c in COLUMNS) + f"   n={row.get('n')}")
    print("\n" + json.dumps(res["summary"]))
    print(
        "epochs:",
        {k: m["fit"]["epochs_run"] for k, m in res["models"].items()},
        "train s:",
        {k: m["train_seconds"] for k, m in res["models"].items()},
    )


if __name__ == "__main__":
    main()
