"""Speed of scoring reviews as the product does, the "no opinion" detector included.

    nice -n 10 .venv/bin/python bench/movies_opinion_speed.py --data ../shared/data/nsmc/reviews.tsv.gz \
        [--rows 20000] [--single 300] [--repeats 3] [--threads 2]

Targets: the whole ``review_score`` of one review p50 <= 20 ms; ``manage.py
reviews_score`` >= 1,000 rows/s.

- Single review: ``review_score([text])`` (sentiment + detector), the sentiment predictor alone
  and the detector alone, on held-out reviews one at a time after a warm-up; p50 / p90.
- Batch: ``manage.py reviews_score`` over ``--rows`` other held-out reviews (cycled when there
  are fewer) written to a TSV; wall time of each run (models already loaded), rows/s of
  the median run. Beside it, the sentiment predictor alone and the detector alone on the same
  texts in the command's batches of 2,000 (one run each): what each part costs under the same load.

Both paths use the models in MODELS_STORE; ``--threads`` is torch's thread count (the sentiment
networks; the detector is numpy/scipy). The numbers move with the machine's load: compare runs
made on the same machine at the same time.
"""

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")

import django
import torch

django.setup()

from django.core.management import call_command

from apps.movies.ml import data
from apps.movies.scoring import opinion_model_get, predictor_get, review_score


def _percentiles(timings: list[float]) -> dict:
    timings = sorted(timings)
    return {"p50": round(statistics.median(timings), 2), "p90": round(timings[int(len(timings) * 0.9)], 2)}


def single(texts: list[str], n: int) -> dict:
    """Each path on its own n texts (after 30 for the warm-up): no cache answers for another."""
    predictor, opinion = predictor_get(), opinion_model_get()
    review_score(texts[:30])  # load and warm every model
    out = {}
    for label, run in (
        ("sentiment_only_ms", lambda t: predictor.predict([t])),
        ("detector_only_ms", lambda t: opinion.p_opinion([t])),
        ("review_score_ms", lambda t: review_score([t])),
    ):
        timings = []
        for text in texts[30 + len(out) * n : 30 + (len(out) + 1) * n]:
            started = time.perf_counter()
            run(text)
            timings.append((time.perf_counter() - started) * 1000)
        out[label] = _percentiles(timings)
    return out


def batch(ids: list[str], texts: list[str], repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in.tsv", Path(folder) / "out.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            handle.write("review_id\ttext\n")
            handle.writelines(f"{i}\t{t.replace(chr(9), ' ')}\n" for i, t in zip(ids, texts))
        seconds = []
        for _ in range(repeats):
            started = time.perf_counter()
            call_command("reviews_score", input=str(source), output=str(target), stderr=io.StringIO())
            seconds.append(time.perf_counter() - started)
        rows = sum(1 for _ in target.open(encoding="utf-8"))
    return {
        "rows": rows,
        "runs_s": [round(s, 2) for s in seconds],
        "rows_per_s": round(rows / statistics.median(seconds), 1),
    }


def parts(texts: list[str]) -> dict:
    predictor, opinion = predictor_get(), opinion_model_get()
    out = {}
    for label, run in (
        ("sentiment_only_rows_per_s", predictor.predict),
        ("detector_only_rows_per_s", opinion.p_opinion),
    ):
        started = time.perf_counter()
        for start in range(0, len(texts), 2000):
            run(texts[start : start + 2000])
        out[label] = round(len(texts) / (time.perf_counter() - started), 1)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True, help="reviews file (TSV/.gz: review_id, text, rating)")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--single", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    test = data.split_reviews(data.read_reviews(args.data))[data.TEST]
    first = 30 + 3 * args.single  # the batch reads other reviews than the single-review runs
    reps = args.rows // max(1, len(test.texts) - first) + 1
    ids, texts = (test.ids[first:] * reps)[: args.rows], (test.texts[first:] * reps)[: args.rows]
    opinion = opinion_model_get()
    result = {
        "data": args.data,
        "models": predictor_get().version,
        "detector": opinion.version if opinion else None,
        "threads": args.threads,
        "single_n": args.single,
        **single(test.texts[:first], args.single),
    }
    result["reviews_score"] = {**batch(ids, texts, args.repeats), **parts(texts)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
