"""Reads for the Ad studio. Every selector takes the requesting user and returns only what
that user owns (anonymous users own nothing)."""

import operator
import re
from functools import reduce

import cv2
import numpy as np
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection, transaction
from django.db.models import Case, Count, F, FloatField, OuterRef, Prefetch, Q, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce, Greatest, Lower
from pgvector.django import CosineDistance

from apps.adstudio.ml.terms import terms_find
from apps.adstudio.models import (
    Analysis,
    Moodboard,
    MoodboardItem,
    NotionExport,
    NotionSettings,
    SceneGroup,
    Shot,
    Tag,
    Video,
)
from apps.core.errors import ApplicationError
from apps.core.ml.text_encoder import encoder_shared
from apps.core.models import Job


def _owner_id(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def _not_found(what: str):
    return ApplicationError(f"{what} not found.", code="not_found", status=404)


def video_list(*, user):
    # The GROUP BY of the count drops Meta.ordering: order again, or pages could overlap.
    return (
        Video.objects.filter(owner_id=_owner_id(user))
        .annotate(n_analyses=Count("analyses"))
        .order_by("-created_at", "-pk")
    )


def video_get(*, user, pk) -> Video:
    video = Video.objects.filter(owner_id=_owner_id(user), pk=pk).first()
    if video is None:
        raise _not_found("Video")
    return video


def analysis_list(*, user):
    return Analysis.objects.filter(owner_id=_owner_id(user)).select_related("video", "job").order_by("-created_at")


def analysis_get(*, user, pk) -> Analysis:
    analysis = analysis_list(user=user).filter(pk=pk).first()
    if analysis is None:
        raise _not_found("Analysis")
    return analysis


def shot_list(*, user, analysis=None):
    shots = Shot.objects.filter(analysis__owner_id=_owner_id(user)).select_related("analysis__video", "scene")
    if analysis is not None:
        shots = shots.filter(analysis=analysis)
    return shots.order_by("analysis_id", "index")


def shot_get(*, user, pk) -> Shot:
    shot = shot_list(user=user).filter(pk=pk).first()
    if shot is None:
        raise _not_found("Shot")
    return shot


def scene_list(*, user, analysis=None):
    scenes = (
        SceneGroup.objects.filter(analysis__owner_id=_owner_id(user))
        .select_related("analysis__video")
        .prefetch_related(
            Prefetch("shots", queryset=Shot.objects.order_by("index")),
            Prefetch("tags", queryset=Tag.objects.order_by("kind", "name")),
        )
    )
    if analysis is not None:
        scenes = scenes.filter(analysis=analysis)
    return scenes.order_by("analysis_id", "index")


def shot_list_similar(*, user, shot: Shot, limit: int = 12):
    """Shots that look like ``shot`` (cosine distance of embeddings, HNSW), the user's only."""
    if shot.embedding is None:
        return Shot.objects.none()
    return (
        shot_list(user=user)
        .exclude(pk=shot.pk)
        .exclude(embedding=None)
        .annotate(distance=CosineDistance("embedding", shot.embedding))
        .order_by("distance")[:limit]
    )


def tag_names(*, user, limit: int = 60) -> list[tuple[str, int]]:
    """The user's most used tag names with their counts (for the search page's cloud)."""
    rows = (
        Tag.objects.filter(analysis__owner_id=_owner_id(user))
        .values("name")
        .annotate(n=Count("id"))
        .order_by("-n", "name")[:limit]
    )
    return [(r["name"], r["n"]) for r in rows]


def scene_search(*, user, tag: str = "", text: str = "", colour: str = ""):
    """Scenes of the user's finished analyses, narrowed by a tag named ``tag`` (exact, any case)
    and by ``colour`` (a palette swatch near it, nearest first), then ranked by what ``text``
    means (Korean or English) with a literal match as a boost. Raises ApplicationError for a
    colour that is not ``#rrggbb``/``#rgb``."""
    scenes = scene_list(user=user).filter(analysis__job__status=Job.Status.SUCCEEDED)
    if tag.strip():
        scenes = scenes.filter(pk__in=Tag.objects.filter(name__iexact=tag.strip()).values("scene_id"))
    if colour.strip():
        scenes = _by_colour(scenes, colour.strip())
    text = text.strip()[:200]
    return _by_meaning(scenes, text) if text else scenes


# Search by meaning. e5's cosine similarities are relative: unrelated texts score 0.70-0.80 and
# a nonsense query's best match can score above a good Korean match, so no absolute floor tells
# "related" apart. A scene is kept when it is within MEANING_MARGIN of the query's best one
# (on the hand-made set of tests/adstudio/test_search.py, the wanted scene was at most 0.03
# below the best); bench/adstudio_search.py reports recall on real videos.
MEANING_CANDIDATES = 200
MEANING_MARGIN = 0.08
LITERAL_BOOST = 0.1


def _by_meaning(scenes, text: str):
    """``scenes`` close in meaning to ``text`` or matching it literally, best first (``score``:
    cosine similarity + ``boost``). The boost is LITERAL_BOOST for a full-text match, or that
    share of it for the query's vocabulary phrases a scene has (``ml/terms.py``: "눈 오는 장면"
    names the tag *snow* in any language; a scene with half of a query's phrases gets half)."""
    vector = encoder_shared().encode([text], query=True)[0].tolist()
    nearest = _nearest(scenes, vector)
    best = max((similarity for _, similarity in nearest), default=0.0)
    close = [pk for pk, similarity in nearest if similarity >= best - MEANING_MARGIN]
    literal = _literal(scenes, text)
    terms = [_having(phrase) for phrase in terms_find(text)]
    share = LITERAL_BOOST / max(1, len(terms))
    term_boost = sum((Case(When(having, then=Value(share)), default=Value(0.0)) for having in terms), Value(0.0))
    return (
        scenes.filter(reduce(operator.or_, terms, Q(pk__in=close) | Q(pk__in=literal)))
        .annotate(
            similarity=Value(1.0) - CosineDistance("text_embedding", vector),
            boost=Greatest(Case(When(pk__in=literal, then=Value(LITERAL_BOOST)), default=Value(0.0)), term_boost),
        )
        .annotate(score=Coalesce("similarity", Value(best - MEANING_MARGIN)) + F("boost"))
        .order_by("-score", "analysis_id", "index")
    )


def _having(phrase) -> Q:
    """Scenes that have one of a query phrase's terms: a tag of that name (vocabulary tags and
    colour words are tags), or a shot whose attribute (scale, camera, light) or palette says it."""
    names = [term.value for term in phrase if term.kind in ("tag", "colour")]
    said = [
        Q(attributes__palette__contains=[{"name": term.value}])
        if term.kind == "colour"
        else Q(**{f"attributes__{term.kind}": term.value})
        for term in phrase
        if term.kind != "tag"
    ]
    having = []
    if names:
        having.append(Q(pk__in=Tag.objects.annotate(lower=Lower("name")).filter(lower__in=names).values("scene_id")))
    if said:
        having.append(Q(pk__in=Shot.objects.filter(reduce(operator.or_, said)).exclude(scene=None).values("scene_id")))
    return reduce(operator.or_, having)


def _nearest(scenes, vector) -> list[tuple[int, float]]:
    """(pk, cosine similarity) of the scenes nearest ``vector``, best first. The HNSW index
    yields at most ``hnsw.ef_search`` rows (40 by default) before the owner filter applies, so
    the query raises it to the number of candidates wanted."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL hnsw.ef_search = %s", [MEANING_CANDIDATES])
        rows = list(
            scenes.exclude(text_embedding=None)
            .annotate(distance=CosineDistance("text_embedding", vector))
            .order_by("distance")
            .values_list("pk", "distance")[:MEANING_CANDIDATES]
        )
    return [(pk, 1.0 - distance) for pk, distance in rows]


def _literal(scenes, text: str):
    """Pks of ``scenes`` whose words match ``text``: Postgres full-text search (English
    stemming, web-search syntax) over the description, tag names and video title; when that
    finds nothing (a partial word, a tag with punctuation), every word as a substring."""
    query = SearchQuery(text, search_type="websearch", config="english")
    matched = (
        scenes.annotate(tag_text=Coalesce(_tag_text(), Value(""), output_field=TextField()))
        .annotate(
            document=SearchVector("description", config="english")
            + SearchVector("tag_text", config="english")
            + SearchVector("analysis__video__title", config="english")
        )
        .filter(document=query)
    )
    if matched.exists():
        return matched.values("pk")
    for word in text.split()[:8]:
        scenes = scenes.filter(
            Q(description__icontains=word)
            | Q(pk__in=Tag.objects.filter(name__icontains=word).values("scene_id"))
            | Q(analysis__video__title__icontains=word)
        )
    return scenes.values("pk")


# Search by colour: CIE76 distance in Lab (OpenCV's conversion, as the palettes are made) to the
# nearest swatch covering at least COLOUR_MIN_SHARE of the scene.
COLOUR_MAX_DISTANCE = 30.0
COLOUR_MIN_SHARE = 0.1
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def _by_colour(scenes, colour: str):
    """``scenes`` with a swatch within COLOUR_MAX_DISTANCE of ``colour``, nearest first
    (``colour_distance``)."""
    match = _HEX.fullmatch(colour)
    if match is None:
        raise ApplicationError(
            f"“{colour[:20]}” is not a colour: give a hex value such as " "#e8a33d.", code="invalid_colour"
        )
    digits = match.group(1) if len(match.group(1)) == 6 else "".join(2 * c for c in match.group(1))
    target = _lab([f"#{digits}"])[0]
    distances = {}
    for pk, palette in scenes.values_list("pk", "palette"):
        swatches = [c["hex"] for c in palette or [] if c.get("share", 0) >= COLOUR_MIN_SHARE]
        if swatches:
            nearest = float(np.linalg.norm(_lab(swatches) - target, axis=1).min())
            if nearest <= COLOUR_MAX_DISTANCE:
                distances[pk] = nearest
    return (
        scenes.filter(pk__in=list(distances))
        .annotate(
            colour_distance=Case(
                *[When(pk=pk, then=Value(d)) for pk, d in distances.items()],
                default=Value(None),
                output_field=FloatField(),
            )
        )
        .order_by("colour_distance", "analysis_id", "index")
    )


def _lab(hexes: list[str]) -> np.ndarray:
    """CIE L*a*b* (L 0-100) of ``#rrggbb`` colours, one row each."""
    rgb = np.uint8([[[int(h[i : i + 2], 16) for i in (1, 3, 5)] for h in hexes]])
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)[0].astype(np.float64)
    return lab * [100 / 255, 1, 1] - [0, 128, 128]


def _tag_text():
    """One scene's tag names as a single string (a correlated subquery)."""
    return Subquery(
        Tag.objects.filter(scene=OuterRef("pk"))
        .values("scene")
        .annotate(text=StringAgg("name", " ", output_field=TextField()))
        .values("text")[:1],
        output_field=TextField(),
    )


def moodboard_list(*, user):
    return Moodboard.objects.filter(owner_id=_owner_id(user)).annotate(n_items=Count("items")).order_by("-updated_at")


def moodboard_get(*, user, pk) -> Moodboard:
    board = Moodboard.objects.filter(owner_id=_owner_id(user), pk=pk).first()
    if board is None:
        raise _not_found("Moodboard")
    return board


def moodboard_items(*, moodboard):
    return moodboard.items.select_related("shot__analysis__video", "shot__scene").order_by("position", "id")


def moodboard_item_get(*, user, pk) -> MoodboardItem:
    item = (
        MoodboardItem.objects.filter(moodboard__owner_id=_owner_id(user), pk=pk)
        .select_related("moodboard", "shot")
        .first()
    )
    if item is None:
        raise _not_found("Moodboard item")
    return item


SHARE_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def moodboard_shared_get(*, token: str) -> Moodboard:
    """The board a share link's token opens, for anyone holding it; a 404 ApplicationError for
    an unknown or revoked token (indistinguishable)."""
    # Tokens are URL-safe base64 (secrets.token_urlsafe); anything else cannot match one.
    board = Moodboard.objects.filter(share_token=token).first() if SHARE_TOKEN.fullmatch(token or "") else None
    if board is None:
        raise _not_found("Shared moodboard")
    return board


def moodboard_shared_item(*, token: str, pk) -> MoodboardItem:
    """An item of the board a share link opens (its keyframe is shown to the link's holders)."""
    item = (
        MoodboardItem.objects.filter(moodboard=moodboard_shared_get(token=token), pk=pk).select_related("shot").first()
    )
    if item is None:
        raise _not_found("Moodboard item")
    return item


def scene_key_shot(scene: SceneGroup) -> Shot | None:
    """The shot that stands for a scene (its longest); ``scene.shots`` prefetched."""
    return max(scene.shots.all(), key=lambda shot: shot.end - shot.start, default=None)


def notion_settings_get(*, user) -> NotionSettings | None:
    return NotionSettings.objects.filter(user_id=_owner_id(user)).first()


def export_list(*, user):
    return NotionExport.objects.filter(owner_id=_owner_id(user)).select_related("analysis__video", "moodboard", "job")


def export_for(*, user, analysis=None, moodboard=None) -> NotionExport | None:
    exports = export_list(user=user)
    if analysis is not None:
        return exports.filter(analysis=analysis).first()
    return exports.filter(moodboard=moodboard).first()
