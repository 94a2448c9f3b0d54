"""The offline provider: a reading built from what the local models measured.

No network and no language model: mood and style come from brightness, saturation, contrast and
motion; objects are the scene's vocabulary tags (``ml/vocabulary.py``: people, animals, sky...,
never a raw ImageNet class); colours are the palette's colour words; the description is a
sentence assembled from those facts.
"""

from __future__ import annotations

from apps.adstudio.ml.look import colour_name
from apps.adstudio.ml.vocabulary import KIND

NAME = "local"


def analyse(scene: dict, **_: object) -> dict:
    local = scene.get("local", {})
    metrics = local.get("metrics", {})
    objects = [name for name, _ in local.get("labels", []) if name in KIND][:6]
    colours = _unique(colour_name(c["hex"]) for c in local.get("palette", []))[:5]
    mood, style = _mood(metrics), _style(metrics)
    return {
        "mood": mood,
        "style": style,
        "setting": "",
        "objects": objects,
        "colours": colours,
        "copy_ideas": [],
        "description": _describe(scene, mood, style, objects, colours, metrics),
    }


def _unique(items) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _mood(m: dict) -> str:
    light = "bright" if m.get("brightness", 0) > 0.6 else "dark" if m.get("brightness", 0) < 0.3 else "balanced"
    pace = "energetic" if m.get("motion", 0) > 0.5 else "calm" if m.get("motion", 0) < 0.15 else "steady"
    return f"{light}, {pace}"


def _style(m: dict) -> str:
    colour = "vivid" if m.get("saturation", 0) > 0.55 else "muted" if m.get("saturation", 0) < 0.25 else "natural"
    contrast = (
        "high-contrast" if m.get("contrast", 0) > 0.55 else "soft" if m.get("contrast", 0) < 0.25 else "medium-contrast"
    )
    return f"{colour} colour, {contrast}"


def _describe(scene, mood, style, objects, colours, metrics) -> str:
    shots = scene.get("shot_count", 1)
    parts = [f"A {mood} scene of {shots} shot{'s' if shots != 1 else ''} " f"({scene.get('duration', 0):.1f} s)"]
    if colours:
        parts.append(f"in {', '.join(colours[:3])} tones")
    text = " ".join(parts) + f", {style}."
    if objects:
        text += f" Looks like: {', '.join(objects[:4])}."
    faces = int(metrics.get("faces", 0))
    if faces:
        text += f" {faces} face{'s' if faces != 1 else ''} visible."
    return text
