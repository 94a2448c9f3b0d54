"""Held-out figures of the shipped sentiment artifacts.

    .venv/bin/python bench/movies_sentiment_eval.py --lang ko --data ../shared/data/nsmc/reviews.tsv.gz
    .venv/bin/python bench/movies_sentiment_eval.py --lang en --data ../shared/data/imdb_reviews/train.tsv.gz

Uses the test split (10% of review ids by hash, never used for training, calibration or blending):
balanced protocol accuracy (NSMC 1-4 vs 9-10, IMDB <=4 vs >=7), ECE and log loss of the calibrated
probability, rating MAE and Spearman against the true 1-10 ratings of every test review.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.movies.ml import data  # noqa: E402
from apps.movies.ml.sentiment import load_language_model  # noqa: E402
from apps.movies.ml.train import evaluate  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=["ko", "en"], required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--store", default="models_store")
    parser.add_argument("--split", default=data.TEST, choices=[data.TEST, data.VALID])
    args = parser.parse_args()
    model = load_language_model(Path(args.store) / f"movies-sentiment-{args.lang}.npz")
    started = time.time()
    part = data.split_reviews(data.read_reviews(args.data))[args.split]
    result = {"model_version": model.version, "split": args.split, **evaluate(model, part, args.lang),
              "seconds": round(time.time() - started, 1)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
