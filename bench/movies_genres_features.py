"""Extract (or reuse) the cached encoder features for a genre data set.

nice -n 10 .venv/bin/python bench/movies_genres_features.py /work/shared/data/genres [--threads 1]
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from apps.genres.ml.data import load_dataset
from apps.genres.ml.encoders import EncoderSpec
from apps.genres.ml.features import features_load_or_extract


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("--cache", default="var/cache/genres")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    records = load_dataset(args.data)
    t0 = time.time()
    feats = features_load_or_extract(
        records,
        EncoderSpec(),
        Path(args.cache),
        progress=lambda d, t, note="": note and print(f"{time.time() - t0:7.1f}s {note}", flush=True),
    )
    print(
        f"{len(feats.ids)} movies, {int(feats.has_text.sum())} plots, {int(feats.has_image.sum())} posters,"
        f" {time.time() - t0:.1f}s"
    )


if __name__ == "__main__":
    main()
