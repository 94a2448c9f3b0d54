"""How much more training data would help: the word/char ridge on growing shares of the train split.

    .venv/bin/python bench/movies_sentiment_datasize.py --lang ko --data ../shared/data/nsmc/reviews.tsv.gz

Fits the shipped recipe's word/char rating ridge (same features, same alpha) on the first 75 %,
87.5 % and 100 % of the training reviews and scores it alone on the balanced validation rows
(``cv_accuracy`` of movies_sentiment_parts.py: logistic regression on the one signal, 5-fold
cross-validated).
The step from 87.5 % to 100 % estimates what adding the validation split (another 12.5 % of the
training size) to the training data could give. About 6 minutes for Korean on 2 cores.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from movies_sentiment_parts import cv_accuracy
from sklearn.preprocessing import normalize as unit_rows

from apps.movies.ml import data
from apps.movies.ml.features import Featurizer, normalize
from apps.movies.ml.sentiment.linear import _ridge_fit
from apps.movies.ml.sentiment.recipe import DEFAULTS
from apps.movies.ml.sentiment.tables import protocol_rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=["ko", "en"], required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--shares", default="0.75,0.875,1.0")
    args = parser.parse_args()
    started = time.time()
    parts = data.split_reviews(data.read_reviews(args.data))
    train, valid = parts[data.TRAIN], parts[data.VALID]
    featurizer = Featurizer(DEFAULTS[args.lang]["features"])
    x_train = featurizer.transform([normalize(t) for t in train.texts], normalized=True)
    y_valid, index = protocol_rows(valid, args.lang)
    x_valid = unit_rows(featurizer.transform([normalize(valid.texts[i]) for i in index], normalized=True))
    y_valid = y_valid[index]
    alpha = DEFAULTS[args.lang]["ridge_alpha"] or 1.0
    for share in (float(s) for s in args.shares.split(",")):
        rows = int(round(len(train) * share))
        ridge = _ridge_fit(x_train[:rows], np.asarray(train.ratings[:rows]), alpha)
        accuracy = cv_accuracy(ridge.predict(x_valid).reshape(-1, 1), y_valid)
        print(
            f"{rows:7d} training reviews ({share:.3f}): validation (5-fold) "
            f"{accuracy:.4f}   ({time.time() - started:.0f}s)",
            flush=True,
        )


if __name__ == "__main__":
    main()
