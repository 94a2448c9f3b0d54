"""Inference speed and peak memory per trained genre model (``benchmark_models``), on held-out movies.

    nice -n 10 .venv/bin/python bench/movies_genres_benchmark.py /work/shared/data/genres var/genres/exp3 \
        [--movies 64] [--singles 20] [--threads 1] [--kinds text image gmu ...]

Each model runs in a fresh process (peak RSS is its own: torch + both encoders + head). Writes
``<exp dir>/benchmark.json``. On a shared machine timings are noisy: medians are reported.
"""

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.genres.ml.benchmark import benchmark_models
from apps.genres.ml.data import assign_splits, load_dataset


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("exp_dir")
    ap.add_argument("--movies", type=int, default=64)
    ap.add_argument("--singles", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--kinds", nargs="*")
    args = ap.parse_args()
    exp = Path(args.exp_dir)
    test = [r for r in assign_splits(load_dataset(args.data))["test"] if r.pattern == "both"][: args.movies]
    items = exp / "bench_items.jsonl"
    items.write_text("".join(json.dumps({"id": r.id, "plot": r.plot, "poster": str(r.poster)}) + "\n" for r in test))
    kinds = args.kinds or sorted(p.stem for p in exp.glob("*.pt"))
    res = benchmark_models({k: str(exp / f"{k}.pt") for k in kinds}, items, singles=args.singles, threads=args.threads)
    (exp / "benchmark.json").write_text(json.dumps(res, indent=1))
    cols = (
        "single_ms_median",
        "single_ms_max",
        "explain_ms_median",
        "batch_movies_per_s",
        "head_ms_per_movie",
        "peak_rss_mb",
        "rss_after_load_mb",
        "params",
        "artifact_mb",
        "load_s",
    )
    print(f"{'model':>10} " + " ".join(f"{c:>18}" for c in cols))
    for k, r in res.items():
        print(f"{k:>10} " + " ".join(f"{r[c]:>18}" for c in cols))


if __name__ == "__main__":
    main()
