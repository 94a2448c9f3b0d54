"""Reads. Every selector returns a queryset (or rows) with its relations already fetched."""
from django.db.models import Count, Prefetch, Q
from pgvector.django import CosineDistance

from apps.accounts.selectors import user_is_curator
from apps.core.errors import ApplicationError
from apps.scents.models import Feedback, Ingredient, IngredientIncompatibility, Recipe, RecipeIngredient, Scene


def ingredient_list(*, active_only=False, family="", tier="", query=""):
    qs = Ingredient.objects.all()
    if active_only:
        qs = qs.filter(active=True)
    if family:
        qs = qs.filter(family=family)
    if tier:
        qs = qs.filter(tier=tier)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(cas__icontains=query) | Q(descriptors__icontains=query))
    return qs.order_by("family", "name")


def ingredient_incompatibility_list():
    return IngredientIncompatibility.objects.select_related("first", "second")


def scene_visible_filter(user):
    if user is not None and user.is_authenticated:
        if user_is_curator(user):
            return Q()
        return Q(is_private=False) | Q(owner=user)
    return Q(is_private=False)


def scene_list(*, user, owner=None, query=""):
    qs = Scene.objects.filter(scene_visible_filter(user)).select_related("owner", "movie").annotate(
        recipe_count=Count("recipes"))
    if owner is not None:
        qs = qs.filter(owner=owner)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return qs.order_by("-created_at")


def scene_get(*, pk, user) -> Scene:
    """The scene if this user may see it; a 404 ApplicationError otherwise (private scenes of
    other users are indistinguishable from missing ones)."""
    scene = Scene.objects.filter(scene_visible_filter(user), pk=pk).select_related("owner", "movie").first()
    if scene is None:
        raise ApplicationError("No such scene, or it is private to its owner.", code="not_found", status=404)
    return scene


def scene_list_similar(*, scene, limit=5, user=None):
    """Nearest visible scenes by cosine distance on the embedding (HNSW index)."""
    if scene.embedding is None:
        return Scene.objects.none()
    return (Scene.objects.filter(scene_visible_filter(user)).exclude(pk=scene.pk)
            .exclude(embedding__isnull=True).select_related("owner")
            .annotate(distance=CosineDistance("embedding", scene.embedding))
            .order_by("distance")[:limit])


def _recipe_qs():
    lines = RecipeIngredient.objects.select_related("ingredient").order_by("position")
    return Recipe.objects.select_related("scene", "scene__owner", "created_by").prefetch_related(
        Prefetch("lines", queryset=lines))


def recipe_list(*, user, scene=None):
    qs = _recipe_qs().filter(scene__in=Scene.objects.filter(scene_visible_filter(user)))
    if scene is not None:
        qs = qs.filter(scene=scene)
    return qs.order_by("-created_at")


def recipe_get(*, pk, user) -> Recipe:
    recipe = recipe_list(user=user).filter(pk=pk).first()
    if recipe is None:
        raise ApplicationError("No such recipe, or its scene is private.", code="not_found", status=404)
    return recipe


def feedback_list(*, recipe=None, user=None):
    qs = Feedback.objects.select_related("recipe", "user").prefetch_related("liked", "disliked", "recipe__lines__ingredient")
    if recipe is not None:
        qs = qs.filter(recipe=recipe)
    if user is not None:
        qs = qs.filter(user=user)
    return qs


def feedback_rows():
    """Every feedback as plain dicts for feedback.preferences_from_feedback."""
    for fb in feedback_list().order_by("pk"):
        yield {"rating": fb.rating,
               "ingredients": [line.ingredient.name for line in fb.recipe.lines.all()],
               "liked": [i.name for i in fb.liked.all()],
               "disliked": [i.name for i in fb.disliked.all()]}
