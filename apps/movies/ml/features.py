"""Text normalisation and hashed n-gram features shared by the sentiment models.

Hashing keeps the artifact free of a vocabulary (the weights are the model) and makes a
feature extractor with no fitted state, so training and serving cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.preprocessing import normalize as sk_normalize

MAX_CHARS = 5000  # longer reviews are cut; the first 5,000 characters carry the sentiment
_TAGS = re.compile(r"<[^>]{0,200}>")
_REPEATS = re.compile(r"(.)\1{3,}")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Lower-case, drop HTML tags (IMDB has ``<br />``), squeeze long character runs
    (``ㅋㅋㅋㅋㅋㅋ`` -> ``ㅋㅋㅋ``) and whitespace, and cap the length."""
    text = (text or "")[: MAX_CHARS * 2]
    text = _TAGS.sub(" ", text)
    text = _REPEATS.sub(r"\1\1\1", text.lower())
    return _SPACES.sub(" ", text).strip()[:MAX_CHARS]


@dataclass
class FeatureSpec:
    """Which hashed n-grams to extract; stored in the artifact so serving matches training."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 4)
    char_analyzer: str = "char"
    word_bits: int = 20
    char_bits: int = 20
    # "l2": unit-length rows. Needed for long texts (IMDB has ~2,400 active n-grams per review),
    # where SGD on raw binary rows diverges.
    norm: str = ""

    def as_dict(self) -> dict:
        return {
            "word_ngrams": list(self.word_ngrams),
            "char_ngrams": list(self.char_ngrams),
            "char_analyzer": self.char_analyzer,
            "word_bits": self.word_bits,
            "char_bits": self.char_bits,
            "norm": self.norm,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "FeatureSpec":
        return cls(
            word_ngrams=tuple(data["word_ngrams"]),
            char_ngrams=tuple(data["char_ngrams"]),
            char_analyzer=data.get("char_analyzer", "char"),
            word_bits=int(data["word_bits"]),
            char_bits=int(data["char_bits"]),
            norm=data.get("norm", ""),
        )


class Featurizer:
    """Binary hashed word + character n-grams (one sparse row per text)."""

    def __init__(self, spec: FeatureSpec):
        self.spec = spec
        common = dict(
            lowercase=False,
            preprocessor=None,
            alternate_sign=False,
            binary=True,
            norm=None,
            dtype=np.float32,
        )
        self.word = HashingVectorizer(
            analyzer="word",
            token_pattern=r"(?u)[\w']+|[!?]",
            ngram_range=spec.word_ngrams,
            n_features=2**spec.word_bits,
            **common,
        )
        self.char = HashingVectorizer(
            analyzer=spec.char_analyzer,
            ngram_range=spec.char_ngrams,
            n_features=2**spec.char_bits,
            **common,
        )

    @property
    def n_features(self) -> int:
        return 2**self.spec.word_bits + 2**self.spec.char_bits

    def transform(self, texts: list[str], *, normalized: bool = False) -> sp.csr_matrix:
        if not normalized:
            texts = [normalize(t) for t in texts]
        x = sp.hstack(
            [self.word.transform(texts), self.char.transform(texts)], format="csr", dtype=np.float32
        )
        return sk_normalize(x, norm="l2", copy=False) if self.spec.norm == "l2" else x
