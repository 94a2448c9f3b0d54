"""The bilingual search vocabulary: tags and shot attribute words in English and Korean. Pure.

Built from ``vocabulary.WORDS`` (tags) and ``attributes.WORDS`` (shot scale, camera motion,
light, palette colours): every English name, Korean name and synonym of a term. ``terms_find``
reads a query for them, so "눈 오는 장면" names the tag *snow* and "파란 하늘" the colour *blue*
and the tag *sky*. Korean nouns carry particles ("눈이", "숲속의", "사람들"): a word is tried as
it is, then without each ending in ``_ENDINGS`` (a closed list; 이/가, 은/는, 을/를, 과/와 only
where the stem's last syllable allows it, so "눈가" is not "눈" + 가). English words are tried
without a plural ending. A morpheme analyser is not needed for a closed list and would cost a
web process ~450 MB and seconds on its first query (``movies/ml/morph.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .attributes import WORDS as ATTRIBUTE_WORDS
from .vocabulary import WORDS as TAG_WORDS


@dataclass(frozen=True)
class Term:
    kind: str  # "tag", or a shot attribute: "scale", "camera", "light", "colour"
    value: str  # the English name stored on tags and in shot attributes


# Endings after a Korean noun, longest first. Particles with two forms take the first after a
# final consonant (눈이) and the second after a vowel (나무가); 로 follows a vowel or ㄹ.
_ENDINGS = (
    "에서는", "에서", "에게", "으로", "처럼", "까지", "부터", "들이", "들은", "들을", "들의", "들",
    "이", "가", "은", "는", "을", "를", "과", "와", "로", "의", "에", "도", "속", "색", "빛",
)  # fmt: skip
_AFTER_CONSONANT = {"이", "은", "을", "과", "으로"}
_AFTER_VOWEL = {"가", "는", "를", "와"}
_TOKEN = re.compile(r"[\w'-]+")


def _final(syllable: str) -> int:
    """The final consonant's index of a Hangul syllable (0: none, 8: ㄹ); -1 for other letters."""
    code = ord(syllable) - 0xAC00
    return code % 28 if 0 <= code < 11172 else -1


def _ending_fits(stem: str, ending: str) -> bool:
    final = _final(stem[-1])
    if ending in _AFTER_CONSONANT:
        return final > 0
    if ending in _AFTER_VOWEL:
        return final == 0
    if ending == "로":
        return final in (0, 8)
    return True


def _forms(word: str) -> set[str]:
    """``word`` and what it may stand for without a Korean ending or an English plural."""
    forms, todo = {word}, [word]
    while todo:
        stem = todo.pop()
        for ending in _ENDINGS:
            base = stem[: -len(ending)]
            if stem.endswith(ending) and base and _ending_fits(base, ending) and base not in forms:
                forms.add(base)
                todo.append(base)
    if word.isascii() and len(word) > 3 and word.endswith("s"):
        forms.add(word[:-1])
        forms |= {word[:-2]} if word.endswith("es") else set()
        forms |= {word[:-3] + "y"} if word.endswith("ies") else set()
    return forms


def _split(names: str) -> list[str]:
    return [name.strip() for name in names.split(",") if name.strip()]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[tuple[str, ...], frozenset[Term]], dict[str, str]]:
    """(token sequence -> the terms it names, English name -> Korean name)."""
    entries: dict[tuple[str, ...], set[Term]] = {}
    korean: dict[str, str] = {}
    groups = [("tag", TAG_WORDS)] + list(ATTRIBUTE_WORDS.items())
    for kind, words in groups:
        for value, (ko, synonyms) in words.items():
            korean[value] = ko
            for name in [value, ko, *_split(synonyms)]:
                entries.setdefault(tuple(_TOKEN.findall(name.lower())), set()).add(Term(kind, value))
    return {key: frozenset(terms) for key, terms in entries.items()}, korean


def korean_name(value: str) -> str:
    """The Korean name of a tag or attribute word ("snow" -> "눈"); "" for a word not listed."""
    return _tables()[1].get(value.lower(), "")


def terms_find(text: str) -> list[frozenset[Term]]:
    """The vocabulary's terms that ``text`` names, one set per phrase found (a word may name
    several: "밤" is the tag *night* and the light *night*), in order, each phrase once. The
    longest listed phrase starting at a word wins ("wide shot" over "wide")."""
    entries = _tables()[0]
    longest = max(map(len, entries))
    tokens = [_forms(token) for token in _TOKEN.findall(text.lower())]
    found: list[frozenset[Term]] = []
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            terms = _match(entries, tokens[i : i + n])
            if terms:
                if terms not in found:
                    found.append(terms)
                i += n
                break
        else:
            i += 1
    return found


def _match(entries, tokens: list[set[str]]) -> frozenset[Term]:
    """The terms of the entry whose words are forms of ``tokens``, one by one; the words as
    written win over shorter forms ("밤색" is brown, not 밤 + 색)."""
    keys = [()]
    for forms in tokens:
        keys = [key + (form,) for key in keys for form in forms]
    for key in sorted(keys, key=lambda key: -sum(map(len, key))):
        if key in entries:
            return entries[key]
    return frozenset()
