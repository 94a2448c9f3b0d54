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
_WORD_TOKENS = re.compile(r"(?u)[\w']+|[!?]")
# Negation scope (Das & Chen 2001; Pang, Lee & Vaithyanathan 2002): the words after a negation
# cue, up to the next punctuation mark or contrast word, are marked ("not boring at all" ->
# "not neg_boring neg_at neg_all"), so "boring" negated gets a weight of its own instead of
# counting as "boring".
_SCOPE_TOKENS = re.compile(r"(?u)[\w']+|[!?.,;:()\-]")
_NEGATIONS = frozenset("not no never nothing none nobody nowhere neither nor without hardly barely cannot".split())
_SCOPE_ENDS = frozenset("! ? . , ; : ( ) - but however although though yet whereas".split())
NEGATED = "neg_"


def negation_tokens(text: str) -> list[str]:
    """Word tokens (as the plain word features see them: words and ``!`` / ``?``) with the
    words inside a negation's scope prefixed with ``neg_``."""
    out, negated = [], False
    for token in _SCOPE_TOKENS.findall(text):
        if token in _SCOPE_ENDS:
            negated = False
            if token in ("!", "?") or token.isalpha():  # kept as plain word features keep them
                out.append(token)
            continue
        out.append(NEGATED + token if negated else token)
        if token in _NEGATIONS or token.endswith("n't"):
            negated = True
    return out


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
    # Kiwi morpheme n-grams (Korean); ``None`` leaves them out. ``words`` / ``chars`` False
    # leave those blocks out (a morpheme-only head).
    morph_ngrams: tuple[int, int] | None = None
    morph_bits: int = 20
    words: bool = True
    chars: bool = True
    # Word n-grams over :func:`negation_tokens` instead of plain word tokens.
    negation: bool = False

    @property
    def uses_morphemes(self) -> bool:
        return self.morph_ngrams is not None

    def as_dict(self) -> dict:
        return {
            "word_ngrams": list(self.word_ngrams),
            "char_ngrams": list(self.char_ngrams),
            "char_analyzer": self.char_analyzer,
            "word_bits": self.word_bits,
            "char_bits": self.char_bits,
            "norm": self.norm,
            "morph_ngrams": list(self.morph_ngrams) if self.morph_ngrams else None,
            "morph_bits": self.morph_bits,
            "words": self.words,
            "chars": self.chars,
            # only when set: artifacts from before the option keep the same spec
            **({"negation": True} if self.negation else {}),
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
            morph_ngrams=tuple(data["morph_ngrams"]) if data.get("morph_ngrams") else None,
            morph_bits=int(data.get("morph_bits", 20)),
            words=bool(data.get("words", True)),
            chars=bool(data.get("chars", True)),
            negation=bool(data.get("negation", False)),
        )


def _morph_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    return [" ".join(tokens[i : i + n]) for n in range(low, high + 1) for i in range(len(tokens) - n + 1)]


class Featurizer:
    """Binary hashed word + character (+ morpheme) n-grams (one sparse row per text)."""

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
        tokens = (
            dict(tokenizer=negation_tokens, token_pattern=None)
            if spec.negation
            else dict(token_pattern=_WORD_TOKENS.pattern)
        )
        self.word = HashingVectorizer(
            analyzer="word",
            **tokens,
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

        self.morph = None
        if spec.uses_morphemes:
            self.morph = HashingVectorizer(analyzer=_identity, n_features=2**spec.morph_bits, **common)

    @property
    def n_features(self) -> int:
        spec = self.spec
        return (
            (2**spec.word_bits if spec.words else 0)
            + (2**spec.char_bits if spec.chars else 0)
            + (2**spec.morph_bits if spec.uses_morphemes else 0)
        )

    def transform(
        self, texts: list[str], *, normalized: bool = False, morphemes: list[list[str]] | None = None
    ) -> sp.csr_matrix:
        """Rows for ``texts``; a spec with morpheme n-grams needs ``morphemes`` (from
        :func:`apps.movies.ml.morph.morphemes` on the normalised texts) or computes them."""
        if not normalized:
            texts = [normalize(t) for t in texts]
        blocks = []
        if self.spec.words:
            blocks.append(self.word.transform(texts))
        if self.spec.chars:
            blocks.append(self.char.transform(texts))
        if self.morph is not None:
            if morphemes is None:
                from .morph import morphemes as analyse

                morphemes = analyse(texts)
            low, high = self.spec.morph_ngrams
            blocks.append(self.morph.transform([_morph_ngrams(m, low, high) for m in morphemes]))
        x = sp.hstack(blocks, format="csr", dtype=np.float32)
        return sk_normalize(x, norm="l2", copy=False) if self.spec.norm == "l2" else x


def _identity(tokens):
    return tokens
