"""Turn a stored Recipe or a fresh composer result into template context, and draw the pyramid."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from apps.scents.ml.scene_check import NOT_A_SCENE
from apps.scents.ml.vocab import FAMILIES, TIERS

# Colours follow the wheel: florals pink, ambers orange-brown, woods brown-green, fresh blues/greens.
FAMILY_COLOURS = {
    "Floral": "#e86a92",
    "Soft Floral": "#f2a7c3",
    "Floral Amber": "#e07b53",
    "Soft Amber": "#f0b46b",
    "Amber": "#c9772b",
    "Woody Amber": "#9c6a3c",
    "Woods": "#7a5a3a",
    "Mossy Woods": "#5d6b3a",
    "Dry Woods": "#5b4a42",
    "Aromatic": "#6e9f7b",
    "Citrus": "#f2d04b",
    "Water": "#5aa9d6",
    "Green": "#7cbf5a",
    "Fruity": "#d9546b",
}


def recipe_context(source):
    """Context for recipe templates from a Recipe (model) or a composer result (dict)."""
    if isinstance(source, dict):
        rec = source["recipe"]
        lines = [dict(i) for i in rec["ingredients"]]
        base = {
            "families": rec["families"],
            "concentration": rec["concentration"],
            "longevity_hours": rec["longevity_hours"],
            "season": rec["season"],
            "confidence": source["confidence"],
            "understood": source.get("understood", True),
            "profile": source.get("profile", {}),
            "explanation": source.get("explanation", {}),
            "model_version": source["model_version"],
            "impact": source.get("impact", {}),
        }
    else:
        lines = [
            {
                "name": ln.ingredient.name,
                "cas": ln.ingredient.cas,
                "family": ln.ingredient.family,
                "tier": ln.tier,
                "percent": float(ln.percent),
                "max_percent": float(ln.ingredient.max_percent),
                "pk": ln.ingredient.pk,
                "typical_percent": float(ln.ingredient.typical_percent),
            }
            for ln in source.lines.all()
        ]
        impact = {}
        for x in lines:
            impact[x["family"]] = impact.get(x["family"], 0.0) + x["percent"] / x["typical_percent"]
        total = sum(impact.values()) or 1.0
        base = {
            "families": source.families,
            "concentration": source.concentration,
            "longevity_hours": source.longevity_hours,
            "season": source.season,
            "confidence": source.confidence,
            "understood": source.understood,
            "profile": source.profile,
            "explanation": source.explanation,
            "model_version": source.model_version,
            "impact": {f: v / total for f, v in sorted(impact.items(), key=lambda kv: -kv[1])},
        }
    for line in lines:
        line["colour"] = FAMILY_COLOURS.get(line["family"], "#999")
    tiers = {t: round(sum(x["percent"] for x in lines if x["tier"] == t), 2) for t in TIERS}
    profile_top = sorted(base["profile"].items(), key=lambda kv: -kv[1])[:5]
    base.update(
        lines=lines,
        tiers=tiers,
        confidence_percent=round(100 * base["confidence"]),
        notice="" if base["understood"] else NOT_A_SCENE,
        profile_top=[{"family": f, "share": round(100 * s, 1), "colour": FAMILY_COLOURS[f]} for f, s in profile_top],
        family_rows=[
            {"family": f, "share": round(100 * s, 1), "colour": FAMILY_COLOURS.get(f, "#999")}
            for f, s in base["families"].items()
        ],
        impact_rows=[
            {"family": f, "share": round(100 * s, 1), "colour": FAMILY_COLOURS.get(f, "#999")}
            for f, s in base["impact"].items()
        ],
    )
    base["svg"] = pyramid_svg(base)
    return base


def pyramid_svg(ctx, width=360, height=240):
    """Inline SVG: three bands (top, heart, base) of a pyramid, each split by family share."""
    parts = [
        f'<svg class="chart pyramid" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Fragrance pyramid by tier and family" xmlns="http://www.w3.org/2000/svg">'
    ]
    band_h = height / 3
    for k, tier in enumerate(TIERS):
        y0 = k * band_h
        half_top, half_bottom = (width / 2) * (k / 3), (width / 2) * ((k + 1) / 3)
        lines = [x for x in ctx["lines"] if x["tier"] == tier]
        total = sum(x["percent"] for x in lines) or 1.0
        # Split the band horizontally (by family) at its vertical middle: simple, readable.
        x_left = width / 2 - (half_top + half_bottom) / 2
        band_w = half_top + half_bottom
        cursor = x_left
        by_family = {}
        for x in lines:
            by_family[x["family"]] = by_family.get(x["family"], 0.0) + x["percent"]
        for family in FAMILIES:
            share = by_family.get(family)
            if not share:
                continue
            w = band_w * share / total
            parts.append(
                f'<rect x="{cursor:.1f}" y="{y0 + 2:.1f}" width="{w:.1f}" height="{band_h - 4:.1f}" '
                f'fill="{FAMILY_COLOURS[family]}"><title>{escape(tier)}: {escape(family)} '
                f"{share:.2f} %</title></rect>"
            )
            cursor += w
        label = f"{tier} {ctx['tiers'][tier]:.1f} %"
        parts.append(
            f'<text x="{width / 2:.1f}" y="{y0 + band_h / 2 + 5:.1f}" text-anchor="middle" '
            f'font-size="13" fill="#111" stroke="#fff" stroke-width="3" paint-order="stroke">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
