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
    colours = list(dict.fromkeys(colour_name(c["hex"]) for c in local.get("palette", [])))[:5]
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


def _level(value: float, low: float, high: float, words: tuple[str, str, str]) -> str:
    """words[0] below ``low``, words[2] above ``high``, words[1] between."""
    return words[0] if value < low else words[2] if value > high else words[1]


LIGHT, PACE = ("dark", "balanced", "bright"), ("calm", "steady", "energetic")
COLOUR, CONTRAST = ("muted", "natural", "vivid"), ("soft", "medium-contrast", "high-contrast")
# Every mood and style this provider can say (search embeds them once per process).
PHRASES = [f"{a}, {b}" for a in LIGHT for b in PACE] + [f"{a} colour, {b}" for a in COLOUR for b in CONTRAST]


def _mood(m: dict) -> str:
    return f"{_level(m.get('brightness', 0), 0.3, 0.6, LIGHT)}, {_level(m.get('motion', 0), 0.15, 0.5, PACE)}"


def _style(m: dict) -> str:
    colour = _level(m.get("saturation", 0), 0.25, 0.55, COLOUR)
    return f"{colour} colour, {_level(m.get('contrast', 0), 0.25, 0.55, CONTRAST)}"


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
