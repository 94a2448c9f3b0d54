"""Reads. Every selector returns a queryset (or rows) with its relations already fetched."""

from django.conf import settings
from django.db.models import Count, Prefetch, Q, Value
from django.db.models.functions import Greatest
from pgvector.django import CosineDistance

from apps.accounts.selectors import user_is_curator
from apps.core.errors import ApplicationError
from apps.scents.compliance import cost_per_kg
from apps.scents.formula import FormulaLine
from apps.scents.models import (
    CostTier,
    Feedback,
    Ingredient,
    IngredientIncompatibility,
    Recipe,
    RecipeIngredient,
    Scene,
)


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
    qs = (
        Scene.objects.filter(scene_visible_filter(user))
        .select_related("owner", "movie")
        .annotate(recipe_count=Count("recipes"))
    )
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
    """Nearest visible scenes by cosine distance on the embedding (HNSW index), closest first;
    `similarity` is 1 - distance, floored at 0 (shown as "85 % alike")."""
    if scene.embedding is None:
        return Scene.objects.none()
    distance = CosineDistance("embedding", scene.embedding)
    return (
        Scene.objects.filter(scene_visible_filter(user))
        .exclude(pk=scene.pk)
        .exclude(embedding__isnull=True)
        .select_related("owner")
        .annotate(distance=distance, similarity=Greatest(Value(1.0) - distance, Value(0.0)))
        .order_by("distance")[:limit]
    )


def _recipe_qs():
    lines = RecipeIngredient.objects.select_related("ingredient").order_by("position")
    return Recipe.objects.select_related("scene", "scene__owner", "created_by").prefetch_related(
        Prefetch("lines", queryset=lines)
    )


def recipe_list(*, user, scene=None):
    qs = _recipe_qs().filter(scene__in=Scene.objects.filter(scene_visible_filter(user)))
    if scene is not None:
        qs = qs.filter(scene=scene)
    return qs.order_by("-created_at")


def recipes_from(*, user, shots=None, moodboard=None, movie=None):
    """The user's own recipes, as composed (version 1), of scenes that came from these ad studio
    `shots`, this `moodboard` or this `movie`; newest first. Anonymous users own none."""
    qs = _recipe_qs().filter(scene__owner_id=user.pk if user.is_authenticated else None, original__isnull=True)
    if shots is not None:
        qs = qs.filter(scene__source_shot__in=shots)
    if moodboard is not None:
        qs = qs.filter(scene__source_moodboard=moodboard)
    if movie is not None:
        qs = qs.filter(scene__movie=movie)
    return qs.order_by("-created_at")


def recipe_get(*, pk, user) -> Recipe:
    recipe = recipe_list(user=user).filter(pk=pk).first()
    if recipe is None:
        raise ApplicationError("No such recipe, or its scene is private.", code="not_found", status=404)
    return recipe


def recipe_versions(*, recipe, user):
    """Every version of this recipe's family the user can see (as composed first), oldest first."""
    root = recipe.original_id or recipe.pk
    return recipe_list(user=user).filter(Q(pk=root) | Q(original_id=root)).order_by("version")


def recipe_formula(recipe) -> list:
    """The recipe's lines as `formula.FormulaLine`s (materials are Ingredient rows)."""
    return [FormulaLine(line.ingredient, int(line.percent * 100)) for line in recipe.lines.all()]


def incompatibility_reasons() -> dict:
    """frozenset({name, name}) -> the reason the master gives for never pairing them."""
    return {frozenset((p.first.name, p.second.name)): p.reason for p in ingredient_incompatibility_list()}


def cost_prices() -> dict:
    """Cost tier -> price per kg set by a curator (None: not priced)."""
    prices = {tier: None for tier in range(1, 6)}
    prices.update(CostTier.objects.values_list("tier", "price_per_kg"))
    return prices


def recipe_cost(recipe) -> dict:
    """`compliance.cost_per_kg` of a recipe at the curators' prices, in settings.SCENTS_CURRENCY."""
    return cost_per_kg(recipe_formula(recipe), cost_prices(), settings.SCENTS_CURRENCY)


def feedback_list(*, recipe=None, user=None):
    qs = Feedback.objects.select_related("recipe", "user").prefetch_related(
        "liked", "disliked", "recipe__lines__ingredient"
    )
    if recipe is not None:
        qs = qs.filter(recipe=recipe)
    if user is not None:
        qs = qs.filter(user=user)
    return qs


def feedback_rows():
    """Every feedback as plain dicts for feedback.preferences_from_feedback."""
    for fb in feedback_list().order_by("pk"):
        yield {
            "rating": fb.rating,
            "ingredients": [line.ingredient.name for line in fb.recipe.lines.all()],
            "liked": [i.name for i in fb.liked.all()],
            "disliked": [i.name for i in fb.disliked.all()],
        }
