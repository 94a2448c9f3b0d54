"""Latency and throughput of the shipped sentiment models (both languages loaded, routed).

    .venv/bin/python bench/movies_sentiment_speed.py --data ../shared/data/nsmc/reviews.tsv.gz [--threads 2]

Single review: ``predict_one`` on held-out texts one at a time after a warm-up; reports p50/p90.
Batch: ``predict`` over batches of 2,000 (what ``manage.py reviews_score`` does), reviews/s.
Both also in process CPU time (``single_cpu_ms_p50``, ``batch_reviews_per_cpu_s``): on a shared
machine the wall clock mostly measures the other processes, CPU time (with ``--threads 1``) the
work. Run several times and compare medians.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from apps.movies.ml import data
from apps.movies.ml.sentiment.model import SentimentPredictor, load_language_model


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--store", default="models_store")
    parser.add_argument("--single", type=int, default=300)
    parser.add_argument("--batch-total", type=int, default=20000)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    models = {}
    for lang in ("ko", "en"):
        path = Path(args.store) / f"movies-sentiment-{lang}.npz"
        if path.exists():
            models[lang] = load_language_model(path)
    predictor = SentimentPredictor(models)
    test = data.split_reviews(data.read_reviews(args.data))[data.TEST]
    texts = test.texts
    for text in texts[:30]:
        predictor.predict_one(text)  # warm-up
    timings, cpu = [], []
    for text in texts[30 : 30 + args.single]:
        started, cpu_started = time.perf_counter(), time.process_time()
        predictor.predict_one(text)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    timings.sort()
    batch_texts = (texts * (args.batch_total // max(1, len(texts)) + 1))[: args.batch_total]
    started, cpu_started = time.perf_counter(), time.process_time()
    for start in range(0, len(batch_texts), 2000):
        predictor.predict(batch_texts[start : start + 2000])
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        json.dumps(
            {
                "data": args.data,
                "models": predictor.version,
                "threads": args.threads,
                "single_ms_p50": round(statistics.median(timings), 2),
                "single_ms_p90": round(timings[int(len(timings) * 0.9)], 2),
                "single_cpu_ms_p50": round(statistics.median(cpu), 2),
                "single_n": len(timings),
                "batch_reviews_per_s": round(len(batch_texts) / seconds, 1),
                "batch_reviews_per_cpu_s": round(len(batch_texts) / cpu_seconds, 1),
                "batch_n": len(batch_texts),
                "mean_chars": round(sum(map(len, batch_texts)) / len(batch_texts), 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
