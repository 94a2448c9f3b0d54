"""Display helpers for templates: poster placeholders and the rating distribution chart."""

import hashlib

PALETTE = [("#1f3b5b", "#f2c14e"), ("#3d1f4b", "#f78154"), ("#12443b", "#a8e0c8"), ("#4b1f24", "#f4d6cc"),
           ("#22304a", "#9ad1d4"), ("#3a2f14", "#e7c27d"), ("#1d1d3a", "#b8b5ff"), ("#2d3b1f", "#d9ed92")]


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
        bars.append({"x": round(rating * slot + 2, 1), "y": round(height - 15 - h, 1), "w": round(slot - 4, 1),
                     "h": h, "count": count, "rating": rating, "label_x": round(rating * slot + slot / 2, 1),
                     "color": f"rgb({red},{green},80)"})
    return {"width": width, "height": height, "bars": bars, "total": sum(buckets)}
