"""An analysis's scenes and tags as admins delete them: a deleted tag leaves its scene's search text, so
the scene's words are embedded again without it; a deleted scene takes its tags and leaves its shots
without a scene."""

from django.db import transaction
from django.db.models import Prefetch

from apps.adstudio.models import SceneGroup, Tag
from apps.adstudio.services.search import scene_vector


def tag_delete(*, tag: Tag) -> None:
    """Delete a tag and store its scene's words embedded again without it, so search by meaning finds
    the scene by what it still says (a scene left with no words keeps no vector). The words are
    embedded before anything is written: a failure changes nothing."""
    scene = SceneGroup.objects.prefetch_related(Prefetch("tags", queryset=Tag.objects.exclude(pk=tag.pk)), "shots").get(
        pk=tag.scene_id
    )
    scene.text_embedding = scene_vector(scene)
    with transaction.atomic():
        tag.delete()
        scene.save(update_fields=["text_embedding", "updated_at"])


def scene_group_delete(*, scene: SceneGroup) -> None:
    """Delete a scene with its tags; its shots stay, without a scene (the other scenes' words do not
    change)."""
    scene.delete()
