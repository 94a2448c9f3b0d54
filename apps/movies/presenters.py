"""Display helpers for templates: poster placeholders, a movie's facts, the rating distribution
chart and the chart of how far the AI and the reviewers agree."""

import hashlib
import math

import pycountry
from django.utils.dateformat import format as date_format

PALETTE = [
    ("#1f3b5b", "#f2c14e"),
    ("#3d1f4b", "#f78154"),
    ("#12443b", "#a8e0c8"),
    ("#4b1f24", "#f4d6cc"),
    ("#22304a", "#9ad1d4"),
    ("#3a2f14", "#e7c27d"),
    ("#1d1d3a", "#b8b5ff"),
    ("#2d3b1f", "#d9ed92"),
]


def placeholder_colors(title: str) -> dict:
    """Stable colours and initials for a movie without a poster (same title -> same card)."""
    digest = hashlib.sha1((title or "?").encode("utf-8")).digest()
    background, accent = PALETTE[digest[0] % len(PALETTE)]
    words = [w for w in (title or "?").split() if w[:1].isalnum()]
    initials = "".join(w[0] for w in words[:2]).upper() or "?"
    return {"background": background, "accent": accent, "initials": initials}


def distribution_chart(buckets: list[int], *, width: int = 330, height: int = 120) -> dict:
    """Bars for AI ratings 0..10 as SVG coordinates; colour goes from red (0) to green (10)."""
    top = max(buckets) if buckets and max(buckets) else 1
    slot = width / len(buckets)
    bars = []
    for rating, count in enumerate(buckets):
        h = round((height - 20) * count / top, 1)
        red, green = int(200 - 15 * rating), int(60 + 13 * rating)
        bars.append(
            {
                "x": round(rating * slot + 2, 1),
                "y": round(height - 15 - h, 1),
                "w": round(slot - 4, 1),
                "h": h,
                "count": count,
                "rating": rating,
                "label_x": round(rating * slot + slot / 2, 1),
                "color": f"rgb({red},{green},80)",
            }
        )
    return {"width": width, "height": height, "bars": bars, "total": sum(buckets)}


def runtime_text(minutes: int | None) -> str:
    """162 -> "162 min (2 h 42 min)"; under an hour just the minutes."""
    if not minutes:
        return ""
    hours, rest = divmod(minutes, 60)
    return f"{minutes} min ({hours} h {rest} min)" if hours else f"{minutes} min"


def language_name(code: str) -> str:
    """The English name of an ISO 639 code ("ko" -> "Korean"); codes it does not know as given."""
    found = pycountry.languages.get(alpha_2=code) if len(code or "") == 2 else pycountry.languages.get(alpha_3=code)
    return found.name if found else code


def movie_facts(movie) -> list[tuple[str, str]]:
    """(label, text) rows of what is known about ``movie``, for its page."""
    votes = movie.tmdb_vote_count
    rows = [
        ("Director", movie.director),
        ("Released", date_format(movie.release_date, "j F Y") if movie.release_date else ""),
        ("Runtime", runtime_text(movie.runtime_minutes)),
        ("Language", language_name(movie.original_language) if movie.original_language not in ("", "xx") else ""),
        ("Production", ", ".join(movie.production_companies)),
        ("TMDB users", f"{movie.tmdb_vote_average}/10 from {votes:,} TMDB votes" if votes else ""),
    ]
    return [(label, text) for label, text in rows if text]


def agreement_chart(agreement: dict, *, size: int = 240, pad: int = 28) -> dict:
    """A scatter of the reviewers' own ratings (x) against the AI's (y), both on 0..10, with the
    line where they agree; a dot's area grows with its number of reviews, and dots within one point
    of the line are green."""
    span = size - 2 * pad

    def x(v):
        return round(pad + span * v / 10, 1)

    def y(v):
        return round(size - pad - span * v / 10, 1)

    dots = [
        {
            "cx": x(p["user_rating"]),
            "cy": y(p["ai_rating"]),
            "count": p["count"],
            "r": round(min(12.0, 3.5 * math.sqrt(p["count"])), 1),
            "user": p["user_rating"],
            "ai": p["ai_rating"],
            "agree": abs(p["ai_rating"] - p["user_rating"]) <= 1,
        }
        for p in agreement["points"]
    ]
    diff = agreement["mean_difference"] or 0.0
    return {
        "size": size,
        "dots": dots,
        "lo": x(0),
        "hi": x(10),
        "mid": round(size / 2, 1),
        "axis": size - 4,
        "tick_y": x(10) + 13,
        "tick_x": x(0) - 5,
        "ticks": [{"v": v, "x": x(v), "y": y(v)} for v in (0, 5, 10)],
        "gap": abs(diff),
        "direction": "higher" if diff > 0 else "lower" if diff < 0 else "",
    }
