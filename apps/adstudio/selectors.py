"""Reads for the Ad studio. Every selector takes the requesting user and returns only what
that user owns (anonymous users own nothing)."""
from django.db.models import Count, Prefetch, Q
from pgvector.django import CosineDistance

from apps.adstudio.models import (Analysis, Moodboard, MoodboardItem, NotionExport,
                                  NotionSettings, SceneGroup, Shot, Tag, Video)
from apps.core.errors import ApplicationError


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
    """Scenes of the user's analyses with a tag named ``tag`` (exact, any case) and/or whose
    description, reading or tags contain every word of ``text``."""
    scenes = scene_list(user=user).filter(analysis__status=Analysis.Status.SUCCEEDED)
    if tag.strip():
        scenes = scenes.filter(tags__name__iexact=tag.strip())
    for word in text.split()[:8]:
        scenes = scenes.filter(Q(description__icontains=word) | Q(tags__name__icontains=word)
                               | Q(analysis__video__title__icontains=word))
    return scenes.distinct()


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
