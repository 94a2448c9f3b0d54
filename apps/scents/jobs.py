"""Background jobs of the Scents area (auto-imported by apps.core)."""

from django.urls import reverse

from apps.core.jobs import JobFailed, job_handler
from apps.scents.models import Scene
from apps.scents.selectors import scene_visible_filter
from apps.scents.services import recipes_compose_for

MAX_BATCH = 2000


@job_handler(
    "scents.compose_batch",
    queue="ml",
    timeout=3600,
    label="Batch scent composition",
    result_url=lambda job: reverse("scents:batch_detail", args=[job.pk]),
)
def compose_batch(job, progress):
    """Compose (or fetch the cached) recipe of every listed scene the job's user can see.

    params: {"scene_ids": [...]}. Result: {"count", "created", "reused", "skipped", "recipes":
    [{"scene", "scene_title", "recipe", "reused"}]}; `reused`: the scene already had the recipe of
    this text and model version, so it is returned, not composed again (the batch page says so).
    Raises JobFailed when none of the scenes is visible. Each recipe is stored in its own short
    transaction, so a failure half-way keeps the recipes already composed.
    """
    ids = [int(i) for i in job.params.get("scene_ids", [])][:MAX_BATCH]
    scenes = list(Scene.objects.filter(scene_visible_filter(job.user), pk__in=ids).order_by("pk"))
    if not scenes:
        raise JobFailed("None of these scenes exists or is visible to you.")
    progress(0, len(scenes), f"composing {len(scenes)} scenes")
    recipes = recipes_compose_for(scenes=scenes, user=job.user, progress=progress)
    reused = sum(r.reused for r in recipes)
    return {
        "count": len(recipes),
        "created": len(recipes) - reused,
        "reused": reused,
        "skipped": len(ids) - len(scenes),
        "recipes": [
            {"scene": r.scene_id, "scene_title": r.scene.title, "recipe": r.pk, "reused": r.reused} for r in recipes
        ],
    }
