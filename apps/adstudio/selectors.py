"""Reads for the Ad studio. Every selector takes the requesting user and returns only what
that user owns (anonymous users own nothing)."""
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, TextField, Value
from django.db.models.functions import Coalesce
from pgvector.django import CosineDistance

from apps.adstudio.models import (Analysis, Moodboard, MoodboardItem, NotionExport,
                                  NotionSettings, SceneGroup, Shot, Tag, Video)
from apps.core.errors import ApplicationError
from apps.core.models import Job


def _owner_id(user) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def _not_found(what: str):
    return ApplicationError(f"{what} not found.", code="not_found", status=404)


def video_list(*, user):
    return Video.objects.filter(owner_id=_owner_id(user)).annotate(n_analyses=Count("analyses"))


def video_get(*, user, pk) -> Video:
    video = Video.objects.filter(owner_id=_owner_id(user), pk=pk).first()
    if video is None:
        raise _not_found("Video")
    return video


def analysis_list(*, user):
    return (Analysis.objects.filter(owner_id=_owner_id(user))
            .select_related("video", "job").order_by("-created_at"))


def analysis_get(*, user, pk) -> Analysis:
    analysis = analysis_list(user=user).filter(pk=pk).first()
    if analysis is None:
        raise _not_found("Analysis")
    return analysis


def shot_list(*, user, analysis=None):
    shots = Shot.objects.filter(analysis__owner_id=_owner_id(user)).select_related(
        "analysis__video", "scene")
    if analysis is not None:
        shots = shots.filter(analysis=analysis)
    return shots.order_by("analysis_id", "index")


def shot_get(*, user, pk) -> Shot:
    shot = shot_list(user=user).filter(pk=pk).first()
    if shot is None:
        raise _not_found("Shot")
    return shot


def scene_list(*, user, analysis=None):
    scenes = (SceneGroup.objects.filter(analysis__owner_id=_owner_id(user))
              .select_related("analysis__video")
              .prefetch_related(Prefetch("shots", queryset=Shot.objects.order_by("index")),
                                Prefetch("tags", queryset=Tag.objects.order_by("kind", "name"))))
    if analysis is not None:
        scenes = scenes.filter(analysis=analysis)
    return scenes.order_by("analysis_id", "index")


def shot_list_similar(*, user, shot: Shot, limit: int = 12):
    """Shots that look like ``shot`` (cosine distance of embeddings, HNSW), the user's only."""
    if shot.embedding is None:
        return Shot.objects.none()
    return (shot_list(user=user).exclude(pk=shot.pk).exclude(embedding=None)
            .annotate(distance=CosineDistance("embedding", shot.embedding))
            .order_by("distance")[:limit])


def tag_names(*, user, limit: int = 60) -> list[tuple[str, int]]:
    """The user's most used tag names with their counts (for the search page's cloud)."""
    rows = (Tag.objects.filter(analysis__owner_id=_owner_id(user)).values("name")
            .annotate(n=Count("id")).order_by("-n", "name")[:limit])
    return [(r["name"], r["n"]) for r in rows]


def scene_search(*, user, tag: str = "", text: str = ""):
    """Scenes of the user's analyses with a tag named ``tag`` (exact, any case) and/or matching
    ``text``: Postgres full-text search (English stemming, web-search syntax) over the scene
    description (weight A), its tag names (B) and the video title (C), best match first; when
    that finds nothing (a partial word, a tag with punctuation), every word as a substring."""
    scenes = scene_list(user=user).filter(analysis__job__status=Job.Status.SUCCEEDED)
    if tag.strip():
        scenes = scenes.filter(pk__in=Tag.objects.filter(name__iexact=tag.strip())
                               .values("scene_id"))
    text = text.strip()[:200]
    if not text:
        return scenes
    query = SearchQuery(text, search_type="websearch", config="english")
    ranked = (scenes.annotate(tag_text=Coalesce(_tag_text(), Value(""),
                                                output_field=TextField()))
              .annotate(document=SearchVector("description", weight="A", config="english")
                        + SearchVector("tag_text", weight="B", config="english")
                        + SearchVector("analysis__video__title", weight="C", config="english"))
              .filter(document=query)
              .annotate(rank=SearchRank(F("document"), query))
              .order_by("-rank", "analysis_id", "index"))
    if ranked.exists():
        return ranked
    for word in text.split()[:8]:
        scenes = scenes.filter(Q(description__icontains=word)
                               | Q(pk__in=Tag.objects.filter(name__icontains=word)
                                   .values("scene_id"))
                               | Q(analysis__video__title__icontains=word))
    return scenes


def _tag_text():
    """One scene's tag names as a single string (a correlated subquery)."""
    return Subquery(Tag.objects.filter(scene=OuterRef("pk")).values("scene")
                    .annotate(text=StringAgg("name", " ", output_field=TextField()))
                    .values("text")[:1], output_field=TextField())


def moodboard_list(*, user):
    return (Moodboard.objects.filter(owner_id=_owner_id(user))
            .annotate(n_items=Count("items")).order_by("-updated_at"))


def moodboard_get(*, user, pk) -> Moodboard:
    board = Moodboard.objects.filter(owner_id=_owner_id(user), pk=pk).first()
    if board is None:
        raise _not_found("Moodboard")
    return board


def moodboard_items(*, moodboard):
    return (moodboard.items.select_related("shot__analysis__video", "shot__scene")
            .order_by("position", "id"))


def moodboard_item_get(*, user, pk) -> MoodboardItem:
    item = (MoodboardItem.objects.filter(moodboard__owner_id=_owner_id(user), pk=pk)
            .select_related("moodboard", "shot").first())
    if item is None:
        raise _not_found("Moodboard item")
    return item


def notion_settings_get(*, user) -> NotionSettings | None:
    return NotionSettings.objects.filter(user_id=_owner_id(user)).first()


def export_list(*, user):
    return (NotionExport.objects.filter(owner_id=_owner_id(user))
            .select_related("analysis__video", "moodboard", "job"))


def export_for(*, user, analysis=None, moodboard=None) -> NotionExport | None:
    exports = export_list(user=user)
    if analysis is not None:
        return exports.filter(analysis=analysis).first()
    return exports.filter(moodboard=moodboard).first()
