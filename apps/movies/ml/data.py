"""Reading the training data sets and the deterministic train / validation / test split.

Both formats are tab-separated with a header: NSMC ``review_id, movie_id, rating, text, date``
and IMDB ``review_id, rating, text``. Only ``review_id``, ``rating`` and ``text`` are used.
The split hashes ``review_id`` so it does not depend on file order or on ``--limit``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from apps.core.ml.files import file_sha256 as file_sha256  # the trainers call data.file_sha256

TRAIN, VALID, TEST = "train", "valid", "test"

# Buckets of 100: 0-9 test (never seen in training or model selection), 10-19 validation
# (calibration, blending, early stopping), 20-99 training.
TEST_BUCKETS = range(0, 10)
VALID_BUCKETS = range(10, 20)


def bucket_of(review_id: str) -> int:
    """0-99 from the SHA-1 of the id (stable across runs, machines and Python versions)."""
    return int.from_bytes(hashlib.sha1(str(review_id).encode("utf-8")).digest()[:4], "big") % 100


def split_of(review_id: str) -> str:
    """Deterministic split for a review id."""
    bucket = bucket_of(review_id)
    if bucket in TEST_BUCKETS:
        return TEST
    if bucket in VALID_BUCKETS:
        return VALID
    return TRAIN


def valid_half(review_id: str) -> int:
    """0 or 1: the half of the validation split a validation review falls in (buckets 10-14 /
    15-19), for cross-fitting."""
    return int(bucket_of(review_id) >= VALID_BUCKETS.start + len(VALID_BUCKETS) // 2)


@dataclass
class Reviews:
    """Columns of a review data set (parallel lists / arrays)."""

    ids: list[str]
    texts: list[str]
    ratings: np.ndarray  # int, 1..10

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, index) -> "Reviews":
        index = np.asarray(index, dtype=np.int64)
        return Reviews(
            ids=[self.ids[i] for i in index],
            texts=[self.texts[i] for i in index],
            ratings=self.ratings[index],
        )


def _open_text(path: Path):
    if str(path).endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def read_reviews(path: str | Path, *, limit: int | None = None) -> Reviews:
    """Read a TSV (optionally gzipped) with ``review_id``, ``rating`` and ``text`` columns.

    Rows with a missing or out-of-range rating are skipped (the raw NSMC files have none, but a
    hand-made file might). ``limit`` keeps the first N usable rows.
    """
    csv.field_size_limit(sys.maxsize)
    ids: list[str] = []
    texts: list[str] = []
    ratings: list[int] = []
    with _open_text(Path(path)) as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = {"review_id", "rating", "text"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        for row in reader:
            try:
                rating = int(row["rating"])
            except (TypeError, ValueError):
                continue
            if not 1 <= rating <= 10:
                continue
            ids.append(row["review_id"])
            texts.append(row["text"] or "")
            ratings.append(rating)
            if limit and len(ids) >= limit:
                break
    return Reviews(ids=ids, texts=texts, ratings=np.asarray(ratings, dtype=np.int64))


def split_reviews(reviews: Reviews) -> dict[str, Reviews]:
    """Split into train / valid / test by hashing review ids."""
    parts: dict[str, list[int]] = {TRAIN: [], VALID: [], TEST: []}
    for i, review_id in enumerate(reviews.ids):
        parts[split_of(review_id)].append(i)
    return {name: reviews.take(index) for name, index in parts.items()}


def binary_labels(ratings: np.ndarray, *, neg_max: int, pos_min: int) -> np.ndarray:
    """Map ratings to 0 (negative, <= neg_max), 1 (positive, >= pos_min), -1 (dropped)."""
    labels = np.full(len(ratings), -1, dtype=np.int64)
    labels[ratings <= neg_max] = 0
    labels[ratings >= pos_min] = 1
    return labels


def balanced_index(labels: np.ndarray, ids: list[str]) -> np.ndarray:
    """Indices of a class-balanced subset of labelled rows (majority class downsampled).

    Which rows are kept is decided by a hash of the review id, so it is deterministic.
    """
    keys = np.array(
        [int.from_bytes(hashlib.sha1(f"bal:{i}".encode()).digest()[:8], "big") for i in ids],
        dtype=np.uint64,
    )
    neg = np.flatnonzero(labels == 0)
    pos = np.flatnonzero(labels == 1)
    n = min(len(neg), len(pos))
    neg = neg[np.argsort(keys[neg], kind="stable")[:n]]
    pos = pos[np.argsort(keys[pos], kind="stable")[:n]]
    return np.sort(np.concatenate([neg, pos]))
