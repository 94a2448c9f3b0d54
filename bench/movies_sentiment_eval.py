"""Held-out figures of the shipped sentiment artifacts.

    .venv/bin/python bench/movies_sentiment_eval.py --lang ko --data ../shared/data/nsmc/reviews.tsv.gz
    .venv/bin/python bench/movies_sentiment_eval.py --lang en --data ../shared/data/imdb_reviews/train.tsv.gz
    .venv/bin/python bench/movies_sentiment_eval.py --lang en --sst2 ../shared/data/sst2/dev.tsv

Uses the test split (10% of review ids by hash, never used for training, calibration or blending):
balanced protocol accuracy (NSMC 1-4 vs 9-10, IMDB <=4 vs >=7), ECE and log loss of the calibrated
probability, rating MAE and Spearman against the true 1-10 ratings of every test review.
``--sst2 FILE``: accuracy on every sentence of an SST-2 file instead (the dev set: read it once,
at the end; it chooses nothing). Accuracies come with their standard error, sqrt(a(1-a)/n).
``--baseline STORE``: also score that folder's artifact on the same rows and give the accuracy
gain with its paired standard error (sd of the per-row difference / sqrt(n)), the noise a
replacement artifact must beat.
"""

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.movies.ml import data, sst2
from apps.movies.ml.features import normalize
from apps.movies.ml.metrics import accuracy
from apps.movies.ml.sentiment.model import load_language_model
from apps.movies.ml.sentiment.tables import protocol_rows
from apps.movies.ml.sentiment.train import evaluate


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=["ko", "en"], required=True)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data")
    source.add_argument("--sst2", help="an SST-2 file (label, sentence), scored whole")
    parser.add_argument("--store", default="models_store")
    parser.add_argument("--split", default=data.TEST, choices=[data.TEST, data.VALID])
    parser.add_argument("--baseline", default=None, help="another artifact folder, compared row by row")
    args = parser.parse_args()
    model = load_language_model(Path(args.store) / f"movies-sentiment-{args.lang}.npz")
    started = time.time()
    if args.sst2:
        phrases = sst2.read_phrases(args.sst2)
        texts, y, rows = [normalize(t) for t in phrases.texts], phrases.labels, slice(None)
        p = model.predict_arrays(texts)[0]
        acc = accuracy(p, y)
        result = {
            "model_version": model.version,
            "file": args.sst2,
            "n": len(phrases),
            "accuracy": round(acc, 4),
            "accuracy_se": _se(acc, len(phrases)),
        }
    else:
        part = data.split_reviews(data.read_reviews(args.data))[args.split]
        texts = [normalize(t) for t in part.texts]
        y, rows = protocol_rows(part, args.lang)
        signals = model.signals(texts)
        p = model.from_signals(signals)[0]
        result = {"model_version": model.version, "split": args.split, **evaluate(model, part, args.lang, signals)}
        result["accuracy_se"] = _se(result["accuracy"], result["n_balanced"])
    if args.baseline:
        baseline = load_language_model(Path(args.baseline) / f"movies-sentiment-{args.lang}.npz")
        right = [(q[rows] >= 0.5).astype(int) == y[rows] for q in (p, baseline.predict_arrays(texts)[0])]
        diff = right[0].astype(float) - right[1].astype(float)
        result["baseline"] = {
            "model_version": baseline.version,
            "accuracy": round(float(right[1].mean()), 4),
            "gain": round(float(diff.mean()), 4),
            "paired_se": round(float(diff.std(ddof=1) / math.sqrt(len(diff))), 4),
            "rows_changed": {"fixed": int((diff > 0).sum()), "broken": int((diff < 0).sum())},
        }
    result["seconds"] = round(time.time() - started, 1)
    print(json.dumps(result, indent=2))


def _se(acc: float, n: int) -> float:
    return round(math.sqrt(acc * (1 - acc) / n), 4) if n else float(np.nan)


if __name__ == "__main__":
    main()
