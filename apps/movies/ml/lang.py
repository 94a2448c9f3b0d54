"""Per-review language detection used to route a review to the Korean or English model.

The product only has a Korean and an English model, so detection is a cheap script-ratio
rule rather than a general language identifier: any review with a meaningful share of Hangul
goes to the Korean model (NSMC reviews routinely mix Latin words such as "OST" or "CG" into
Korean text), everything else goes to English.
"""

from __future__ import annotations

import unicodedata

KO = "ko"
EN = "en"
LANGUAGES = (KO, EN)

# Share of letters that must be Hangul for a review to count as Korean. Low on purpose: a
# Korean review with an English title in it is still Korean.
HANGUL_MIN_SHARE = 0.2


def _is_hangul(ch: str) -> bool:
    code = ord(ch)
    return (
        0xAC00 <= code <= 0xD7A3  # syllables
        or 0x1100 <= code <= 0x11FF  # jamo
        or 0x3130 <= code <= 0x318F  # compatibility jamo (ㅋㅋ, ㅠㅠ)
        or 0xA960 <= code <= 0xA97F
        or 0xD7B0 <= code <= 0xD7FF
    )


def script_counts(text: str) -> tuple[int, int]:
    """Return (hangul letters, other letters) in ``text``; digits, emoji, punctuation ignored."""
    hangul = other = 0
    for ch in text:
        if _is_hangul(ch):
            hangul += 1
        elif ch.isalpha() and unicodedata.category(ch).startswith("L"):
            other += 1
    return hangul, other


def detect_language(text: str, *, default: str = EN) -> str:
    """Return ``"ko"`` or ``"en"`` for ``text``.

    Text without letters (only emoji, digits or punctuation) gets ``default``.
    """
    hangul, other = script_counts(text or "")
    letters = hangul + other
    if letters == 0:
        return default
    return KO if hangul / letters >= HANGUL_MIN_SHARE else EN
