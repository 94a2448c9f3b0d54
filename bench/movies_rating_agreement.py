"""What the label/rating agreement rule (``scoring.rating_agreeing``) costs on held-out reviews.

    .venv/bin/python bench/movies_rating_agreement.py --nsmc ../shared/data/nsmc/reviews.tsv.gz \
        --imdb ../shared/data/imdb_reviews/train.tsv.gz [--limit 5000]

Scores the test split of each set (the sentiment models' own held-out reviews, ``split_of``)
with the shipped sentiment models and prints how many ratings disagree with their label and
the rating MAE and Spearman correlation before and after the rule.
"""

import argparse
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")

import django

django.setup()

from scipy.stats import spearmanr

from apps.movies.ml.data import TEST, read_reviews, split_reviews
from apps.movies.scoring import predictor_get, rating_agreeing


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--nsmc", required=True)
    parser.add_argument("--imdb", required=True)
    parser.add_argument("--limit", type=int, default=5000, help="test reviews per set (first N)")
    args = parser.parse_args()
    predictor = predictor_get()
    print(f"models {predictor.version}")
    for name, path in (("nsmc", args.nsmc), ("imdb", args.imdb)):
        test = split_reviews(read_reviews(path))[TEST]
        texts, truth = test.texts[: args.limit], test.ratings[: args.limit].astype(float)
        predictions = predictor.predict(texts)
        raw = np.array([p.rating for p in predictions])
        agreed = np.array([rating_agreeing(p.label, p.rating) for p in predictions])
        print(
            f"{name}: {len(texts)} test reviews, {int((raw != agreed).sum())} ratings moved to their label's side; "
            f"MAE {np.abs(raw - truth).mean():.3f} -> {np.abs(agreed - truth).mean():.3f}, "
            f"Spearman {spearmanr(raw, truth).statistic:.3f} -> {spearmanr(agreed, truth).statistic:.3f}"
        )


if __name__ == "__main__":
    main()
