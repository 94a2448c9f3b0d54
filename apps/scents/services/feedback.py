"""Feedback on recipes, and the material preferences rebuilt from it."""

import json
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db import transaction

from apps.core.errors import ApplicationError
from apps.scents.ml.feedback import preferences_from_feedback, preferences_version
from apps.scents.ml.pipeline import PREFERENCES_NAME
from apps.scents.models import Feedback, Recipe
from apps.scents.selectors import feedback_rows, scene_get

FEEDBACK_COMMENT_MAX_CHARS = 2000


@transaction.atomic
def feedback_submit(*, recipe: Recipe, user, rating, liked=(), disliked=(), comment="") -> Feedback:
    """Create or update this user's feedback on a recipe they can see.

    liked / disliked are Ingredient names or objects of the recipe; a material cannot be both;
    the comment holds at most FEEDBACK_COMMENT_MAX_CHARS characters.
    """
    scene_get(pk=recipe.scene_id, user=user)
    comment = (comment or "").strip()
    if len(comment) > FEEDBACK_COMMENT_MAX_CHARS:
        raise ApplicationError(
            f"The comment may be at most {FEEDBACK_COMMENT_MAX_CHARS} characters long " f"(it has {len(comment)}).",
            extra={"field": "comment"},
        )
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        raise ApplicationError("Rating must be a whole number from 1 to 5.", extra={"field": "rating"}) from None
    if not 1 <= rating <= 5:
        raise ApplicationError("Rating must be a whole number from 1 to 5.", extra={"field": "rating"})
    in_recipe = {line.ingredient.name: line.ingredient for line in recipe.lines.select_related("ingredient")}
    liked_names = {getattr(x, "name", x) for x in liked}
    disliked_names = {getattr(x, "name", x) for x in disliked}
    stray = (liked_names | disliked_names) - set(in_recipe)
    if stray:
        raise ApplicationError(f"Not in this recipe: {', '.join(sorted(stray))}.", extra={"field": "liked"})
    if liked_names & disliked_names:
        raise ApplicationError("A material cannot be both liked and disliked.", extra={"field": "disliked"})
    feedback = Feedback.objects.filter(recipe=recipe, user=user).first() or Feedback(recipe=recipe, user=user)
    feedback.rating, feedback.comment = rating, comment
    feedback.full_clean()
    feedback.save()
    feedback.liked.set([in_recipe[n] for n in liked_names])
    feedback.disliked.set([in_recipe[n] for n in disliked_names])
    return feedback


def feedback_delete(*, feedback: Feedback) -> None:
    """Delete one verdict; preference rebuilds (``preferences_rebuild``) no longer count it."""
    feedback.delete()


def preferences_rebuild(*, command="python manage.py scents_feedback_rerank") -> dict:
    """Recompute material preferences from all feedback and publish them in the manifest.

    Later recipes use them (new model_version, so cached recipes are not reused). Returns the entry.
    """
    from apps.core.ml.files import file_sha256
    from apps.core.registry import manifest_write_entry

    rows = list(feedback_rows())
    prefs = preferences_from_feedback(rows)
    version = preferences_version(prefs)
    path = Path(settings.MODELS_STORE) / "scents-preferences.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"version": version, "preferences": prefs}, indent=1, ensure_ascii=False, sort_keys=True),
        encoding="utf-8",
    )
    entry = {
        "version": version,
        "path": path.name,
        "sha256": file_sha256(path),
        "metrics": {"feedback_rows": len(rows), "materials": len(prefs)},
        "command": command,
        "data": "scents.Feedback table",
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    manifest_write_entry(PREFERENCES_NAME, entry)
    return entry
