"""Scene input validation, normalisation, lexical features and the cache key.

Pure functions: the service layer turns `SceneInputError` into form / API errors.
"""

import hashlib
import json
import re
import unicodedata
import zlib

from .vocab import FIELDS

MAX_DESCRIPTION_CHARS = 4000
LEX_DIM = 4096
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_STOP = frozenset(
    "a an the of and or in on at to is are was were be as by for with from into onto over under "
    "while his her their its they she he it this that there then than who whom which what up out "
    "off through among between beside near after before".split()
)


class SceneInputError(ValueError):
    """Invalid scene input; `field` names the offending field."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field
        self.message = message


def text_normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def _has_words(text: str) -> bool:
    return any(unicodedata.category(ch).startswith("L") for ch in text)


def _field_value(name, value):
    if value in (None, ""):
        return ""
    norm = " ".join(str(value).strip().lower().replace("_", " ").replace("-", " ").split())
    allowed = FIELDS[name]
    if norm in ("sci fi", "sci-fi", "scifi", "sf"):
        norm = "science fiction" if name == "genre" else norm
    if norm not in allowed:
        raise SceneInputError(
            name,
            f"Unknown {name.replace('_', ' ')} {value!r}; choose one of: "
            + ", ".join(allowed)
            + " (or leave it empty).",
        )
    return norm


def scene_input_clean(data: dict) -> dict:
    """Validated, normalised scene input: description plus the structured fields.

    Raises SceneInputError for an empty description, one over MAX_DESCRIPTION_CHARS, one with no
    letters at all (only emoji, digits or punctuation), or a field value outside its vocabulary.
    """
    raw = data.get("description")
    if not isinstance(raw, str) or not raw.strip():
        raise SceneInputError("description", "Describe the scene: the description is empty.")
    if len(raw) > MAX_DESCRIPTION_CHARS:
        raise SceneInputError(
            "description",
            f"The description has {len(raw)} characters; "
            f"keep it under {MAX_DESCRIPTION_CHARS} (a scene, not a screenplay).",
        )
    text = text_normalise(raw)
    if not _has_words(text):
        raise SceneInputError(
            "description",
            "The description has no words (only emoji, digits or "
            "symbols); describe the scene in words, in Korean or English.",
        )
    clean = {"description": text}
    for name in FIELDS:
        clean[name] = _field_value(name, data.get(name))
    place = text_normalise(str(data.get("place") or ""))[:200]
    if place:
        clean["place"] = place
    return clean


def model_text(clean: dict) -> str:
    """The text the encoder reads: description plus the free-text place."""
    place = clean.get("place")
    return f"{clean['description']} ({place})" if place else clean["description"]


def cache_key(clean: dict, model_version: str) -> str:
    payload = json.dumps({"input": clean, "model": model_version}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def word_features(word: str) -> list:
    """Hashed lexical features of one word. Korean words also give their prefixes, so a stem
    followed by a particle ("빗소리가", "빵집에서") shares features with the bare stem."""
    feats = [word]
    if _HANGUL.search(word):
        feats += [word[:i] for i in range(1, len(word))]
    elif len(word) > 3 and word.endswith("s"):
        feats.append(word[:-1])
    return feats


def lexical_tokens(text: str) -> list:
    """(word, [feature ids]) for every content word, in order, lower-cased."""
    out = []
    for word in _WORD.findall(text.lower()):
        if word in _STOP or word.isdigit():
            continue
        ids = [zlib.crc32(f.encode("utf-8")) % LEX_DIM for f in word_features(word)]
        out.append((word, ids))
    return out
