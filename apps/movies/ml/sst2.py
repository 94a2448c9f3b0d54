"""The Stanford Sentiment Treebank, binary (GLUE SST-2): reading and a leak-free validation split.

The training file holds every labelled phrase of ~6,900 sentences, the sentences themselves
among them, so a random split would put phrases of a validation sentence in training. The split
here works on sentences ("roots": phrases contained in no other phrase): a root whose hash
falls in the validation buckets is a validation sentence, and every phrase contained in a
validation sentence is left out of training.

:func:`training_subset` keeps fewer phrases when the CPU budget is short: every sentence, every
phrase with a negation or contrast word (the labels that teach them), then others by hash.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import data


@dataclass
class Phrases:
    texts: list[str]
    labels: np.ndarray  # 0 negative, 1 positive

    def __len__(self) -> int:
        return len(self.texts)

    def take(self, index) -> "Phrases":
        return Phrases([self.texts[i] for i in index], self.labels[np.asarray(index, dtype=np.int64)])


def read_phrases(path: str | Path, *, limit: int | None = None) -> Phrases:
    """Read ``label<TAB>text`` rows after a header line (the train and dev files)."""
    texts, labels = [], []
    with open(path, encoding="utf-8") as handle:
        next(handle, None)
        for line in handle:
            label, _, text = line.rstrip("\n").partition("\t")
            if label not in ("0", "1") or not text.strip():
                continue
            texts.append(text.strip())
            labels.append(int(label))
            if limit and len(texts) >= limit:
                break
    if not texts:
        raise ValueError(f"{path}: no 'label<TAB>sentence' rows")
    return Phrases(texts, np.asarray(labels, dtype=np.int64))


_CUES = re.compile(
    r"\b(not|n't|no|never|nothing|none|nobody|neither|nor|without|hardly|barely|"
    r"but|although|though|yet|however|despite|still)\b"
)


def _roots(texts: list[str]) -> list[int]:
    """Indices of the phrases contained in no longer phrase (longest first; a candidate
    container must hold the phrase's rarest word so far, which keeps this to seconds)."""
    index: dict[str, list[int]] = defaultdict(list)
    roots = []
    for i in sorted(range(len(texts)), key=lambda j: -len(texts[j])):
        words = texts[i].split()
        rarest = min(words, key=lambda w: len(index.get(w, ())))
        padded = f" {texts[i]} "
        if any(padded in f" {texts[r]} " for r in index.get(rarest, ())):
            continue
        roots.append(i)
        for word in set(words):
            index[word].append(i)
    return roots


def split_phrases(phrases: Phrases) -> tuple[Phrases, Phrases]:
    """(training phrases, validation sentences): 10 % of the sentences by hash, see the module."""
    valid = [i for i in _roots(phrases.texts) if data.split_of(phrases.texts[i]) == data.VALID]
    held = [f" {phrases.texts[i]} " for i in valid]
    train = [i for i, text in enumerate(phrases.texts) if not any(f" {text} " in sentence for sentence in held)]
    return phrases.take(train), phrases.take(valid)


def training_subset(phrases: Phrases, limit: int | None) -> Phrases:
    """At most ``limit`` phrases: the sentences, then phrases with a negation or contrast word,
    then the rest in hash order (deterministic); all of them without a limit."""
    if not limit or len(phrases) <= limit:
        return phrases
    roots = set(_roots(phrases.texts))

    def rank(i: int) -> tuple[int, bytes]:
        text = phrases.texts[i]
        tier = 0 if i in roots else 1 if _CUES.search(text) else 2
        return tier, hashlib.sha1(text.encode("utf-8")).digest()

    return phrases.take(sorted(sorted(range(len(phrases)), key=rank)[:limit]))
