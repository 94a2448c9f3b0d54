"""The English n-gram parts with and without negation-scope marking (``FeatureSpec.negation``),
on validation data only: the balanced IMDB validation split and the SST-2 validation sentences.

    .venv/bin/python bench/movies_sentiment_negation.py --data ../shared/data/imdb_reviews/train.tsv.gz \
        --sst2 ../shared/data/sst2/train.tsv

Trains the n-gram model (no encoder) twice into a temporary folder, once per setting, and
prints each one's validation figures. The test split is neither printed nor read here: this is
how the setting is chosen.
"""

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from apps.movies.ml import sst2
from apps.movies.ml.features import normalize
from apps.movies.ml.sentiment.model import load_language_model
from apps.movies.ml.sentiment.recipe import DEFAULTS, TrainConfig
from apps.movies.ml.sentiment.train import train_sentiment


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--sst2", required=True)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    valid = sst2.split_phrases(sst2.read_phrases(args.sst2))[1]
    rows = []
    for negation in (False, True):
        with tempfile.TemporaryDirectory() as out:
            cfg = TrainConfig(
                lang="en",
                data_path=Path(args.data),
                out_dir=Path(out),
                limit=args.limit,
                overrides={"features": dataclasses.replace(DEFAULTS["en"]["features"], negation=negation)},
            )
            entry = train_sentiment(cfg, log=lambda line: None)
            model = load_language_model(Path(out) / "movies-sentiment-en.npz")
            p, _ = model.predict_arrays([normalize(t) for t in valid.texts])
            sst2_accuracy = float(((p >= 0.5) == (valid.labels == 1)).mean())
            imdb = entry["metrics"]["valid"]
            rows.append(
                {
                    "negation": negation,
                    "imdb_valid_accuracy": imdb["accuracy"],
                    "imdb_valid_log_loss": imdb["log_loss"],
                    "imdb_valid_n": imdb["n_balanced"],
                    "sst2_valid_accuracy": round(sst2_accuracy, 4),
                    "sst2_valid_n": len(valid),
                    "train_seconds": entry["metrics"]["train_seconds"],
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    se = np.sqrt(0.9 * 0.1 / rows[0]["imdb_valid_n"])
    print(f"(binomial SE of an IMDB validation accuracy near 0.9: {se:.4f})")


if __name__ == "__main__":
    main()
