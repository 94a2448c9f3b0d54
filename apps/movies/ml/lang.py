"""Per-review language detection used to route a review to the Korean or English model.

The product only has a Korean and an English model, so detection is a cheap script-ratio
rule rather than a general language identifier: any review with a meaningful share of Hangul
goes to the Korean model (NSMC reviews routinely mix Latin words such as "OST" or "CG" into
Korean text), everything else goes to English.
"""

from __future__ import annotations

import re

KO = "ko"
EN = "en"
LANGUAGES = (KO, EN)

# Share of letters that must be Hangul for a review to count as Korean. Low on purpose: a
# Korean review with an English title in it is still Korean.
HANGUL_MIN_SHARE = 0.2


# Hangul syllables, jamo, compatibility jamo (ㅋㅋ, ㅠㅠ) and the extended jamo blocks.
_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]")
_LETTER = re.compile(r"[^\W\d_]")  # any Unicode letter; a regex, not a per-character Python loop (long reviews)


def script_counts(text: str) -> tuple[int, int]:
    """Return (hangul letters, other letters) in ``text``; digits, emoji, punctuation ignored."""
    hangul = len(_HANGUL.findall(text))
    letters = len(_LETTER.findall(text))
    return hangul, max(0, letters - hangul)


def detect_language(text: str, *, default: str = EN) -> str:
    """Return ``"ko"`` or ``"en"`` for ``text``.

    Text without letters (only emoji, digits or punctuation) gets ``default``.
    """
    hangul, other = script_counts(text or "")
    letters = hangul + other
    if letters == 0:
        return default
    return KO if hangul / letters >= HANGUL_MIN_SHARE else EN


def language_route(lang: str, available) -> str:
    """The language whose model reads a text detected as ``lang`` when ``available`` models
    exist: its own, else Korean's, else English's (else any)."""
    if lang not in available:
        lang = KO if KO in available else EN
    return lang if lang in available else next(iter(available))
