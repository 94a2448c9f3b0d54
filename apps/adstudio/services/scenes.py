"""An analysis's scenes and tags as admins delete them: a deleted tag leaves its scene's search text, so
the scene's words are embedded again without it; a deleted scene takes its tags and leaves its shots
without a scene. Either way the analysis's stored summary (its scene count and top tags, which the
API gives) is brought in line with the rows that are left, in the same transaction."""

from django.db import transaction
from django.db.models import Max, Prefetch

from apps.adstudio.models import Analysis, SceneGroup, Tag
from apps.adstudio.services.analyses import TOP_TAGS
from apps.adstudio.services.search import TEXT_VERSION, scene_vector


def tag_delete(*, tag: Tag) -> None:
    """Delete a tag and store its scene's words embedded again without it, so search by meaning finds
    the scene by what it still says (a scene left with no words keeps no vector). The words are
    embedded before anything is written: a failure changes nothing."""
    scene = (
        SceneGroup.objects.select_related("analysis")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.exclude(pk=tag.pk)), "shots")
        .get(pk=tag.scene_id)
    )
    scene.text_embedding, scene.text_version = scene_vector(scene), TEXT_VERSION
    with transaction.atomic():
        tag.delete()
        scene.save(update_fields=["text_embedding", "text_version", "updated_at"])
        _summary_refresh(scene.analysis_id)


def scene_group_delete(*, scene: SceneGroup) -> None:
    """Delete a scene with its tags; its shots stay, without a scene (the other scenes' words do not
    change)."""
    with transaction.atomic():
        scene.delete()
        _summary_refresh(scene.analysis_id)


def _summary_refresh(analysis_id: int) -> None:
    """Recount the summary's scenes and rank its top tags again from the rows left: the vocabulary
    tags (the ones stored with a confidence), each at its best confidence, as the analysis ranked
    them when it finished. The rest of the summary (shots, palette, shot scales) does not change
    when tags or scenes go."""
    analysis = Analysis.objects.select_for_update().get(pk=analysis_id)
    ranked = (
        Tag.objects.filter(analysis_id=analysis_id, confidence__isnull=False)
        .values("name")
        .annotate(best=Max("confidence"))
        .order_by("-best", "name")[:TOP_TAGS]
    )
    analysis.summary = {
        **analysis.summary,
        "scenes": SceneGroup.objects.filter(analysis_id=analysis_id).count(),
        "top_tags": [row["name"] for row in ranked],
    }
    analysis.save(update_fields=["summary", "updated_at"])
