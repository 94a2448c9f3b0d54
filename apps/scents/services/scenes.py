"""Scenes and their recipes: create, change and delete a scene (its words validated and embedded),
compose recipes (one, a batch job), save an edited formula as a new version, delete a recipe."""

import hashlib
from decimal import Decimal

from django.db import transaction

from apps.accounts.selectors import user_is_curator
from apps.core.cache import cache_bump
from apps.core.errors import ApplicationError
from apps.core.ml.text_encoder import ENCODER_NAME, encoder_shared
from apps.scents import engine as engine_mod
from apps.scents.cache import SCENES
from apps.scents.formula import FormulaLine, formula_derived, formula_problems, percent_units
from apps.scents.ml.text import SceneInputError, model_text, scene_input_clean
from apps.scents.ml.vocab import CONCENTRATIONS, TIERS
from apps.scents.models import Ingredient, Recipe, RecipeIngredient, Scene
from apps.scents.selectors import incompatibility_reasons, recipe_formula, scene_get

SCENE_FIELDS = ("description", "genre", "mood", "time_of_day", "weather", "season", "place")


def scene_input_validate(data: dict) -> dict:
    """The cleaned composer input for raw form/API data, or ApplicationError naming the field."""
    try:
        return scene_input_clean({k: data.get(k) for k in SCENE_FIELDS})
    except SceneInputError as exc:
        raise ApplicationError(exc.message, code="invalid_scene", extra={"field": exc.field}) from exc


def _scene_clean(scene: Scene) -> dict:
    return scene_input_validate({k: getattr(scene, k) for k in SCENE_FIELDS})


def _title_from(description: str) -> str:
    words = description.split()
    title = " ".join(words[:8])
    return title if len(words) <= 8 else f"{title}..."


@transaction.atomic
def scene_create(
    *,
    owner,
    description,
    title="",
    genre="",
    mood="",
    time_of_day="",
    weather="",
    season="",
    place="",
    is_private=True,
    movie=None,
    source_shot=None,
    source_moodboard=None,
) -> Scene:
    """Validate the input, embed the description and save a Scene owned by `owner` (private
    unless `is_private=False`: scenes are shared on purpose), linked to the film moment it came
    from when given (`source_shot` or `source_moodboard`; the caller has checked they are the owner's).

    Raises ApplicationError for an empty, over-long or word-less description or an unknown field value.
    """
    clean = scene_input_validate(
        {
            "description": description,
            "genre": genre,
            "mood": mood,
            "time_of_day": time_of_day,
            "weather": weather,
            "season": season,
            "place": place,
        }
    )
    scene = Scene(
        owner=owner,
        title=(title or "").strip()[:200] or _title_from(clean["description"]),
        description=clean["description"],
        genre=clean["genre"],
        mood=clean["mood"],
        time_of_day=clean["time_of_day"],
        weather=clean["weather"],
        season=clean["season"],
        place=clean.get("place", ""),
        is_private=bool(is_private),
        movie=movie,
        source_shot=source_shot,
        source_moodboard=source_moodboard,
    )
    _scene_embed(scene, clean)
    scene.full_clean()
    scene.save()
    cache_bump(SCENES)
    return scene


def _scene_embed(scene: Scene, clean: dict) -> None:
    # The encoder alone (not the engine): scenes can be saved before a scent model is trained.
    scene.embedding = encoder_shared().encode([model_text(clean)])[0].tolist()
    scene.embedding_model = ENCODER_NAME


def _scene_writable(scene: Scene, user) -> None:
    if scene.owner_id != user.pk and not user_is_curator(user):
        raise ApplicationError(
            "Only the scene's owner (or a curator) may change it.", code="permission_denied", status=403
        )


@transaction.atomic
def scene_update(*, scene: Scene, user, **changes) -> Scene:
    """Change a scene (owner or curator); the embedding is recomputed when the text changes."""
    _scene_writable(scene, user)
    unknown = set(changes) - set(SCENE_FIELDS) - {"title", "is_private", "movie"}
    if unknown:
        raise ApplicationError(f"Unknown scene fields: {', '.join(sorted(unknown))}.")
    merged = {k: changes.get(k, getattr(scene, k)) for k in SCENE_FIELDS}
    clean = scene_input_validate(merged)
    text_changed = any(clean.get(k, "") != getattr(scene, k) for k in SCENE_FIELDS)
    for key in SCENE_FIELDS:
        setattr(scene, key, clean.get(key, ""))
    if "title" in changes:
        scene.title = (changes["title"] or "").strip()[:200] or _title_from(clean["description"])
    if "is_private" in changes:
        scene.is_private = bool(changes["is_private"])
    if "movie" in changes:
        scene.movie = changes["movie"]
    if text_changed or scene.embedding is None:
        _scene_embed(scene, clean)
    scene.full_clean()
    scene.save()
    cache_bump(SCENES)
    return scene


@transaction.atomic
def scene_delete(*, scene: Scene, user) -> None:
    """Delete a scene with its recipes and their feedback (owner or curator)."""
    _scene_writable(scene, user)
    scene.delete()
    cache_bump(SCENES)


def compose_preview(*, data: dict) -> dict:
    """Compose without saving (the live result of the compose form). Cached like saved recipes."""
    clean = scene_input_validate(data)
    engine = engine_mod.engine_get()
    return engine_mod.compose_cached(engine, [clean])[0]


@transaction.atomic
def scene_compose(*, owner, **fields) -> Recipe:
    """Save a new scene (fields of `scene_create`) and compose its recipe: both or neither.

    Raises ApplicationError for bad input (as scene_create).
    """
    scene = scene_create(owner=owner, **fields)
    return recipes_compose_for(scenes=[scene], user=owner)[0]


def recipe_compose(*, scene_pk, user) -> Recipe:
    """The recipe for a scene this user can see, composing it if this input and model version
    have none yet (same input + same model -> the stored recipe is returned, nothing recomputed).

    Raises ApplicationError 404 for a missing scene or another user's private scene.
    """
    scene = scene_get(pk=scene_pk, user=user)
    return recipes_compose_for(scenes=[scene], user=user)[0]


def recipes_compose_for(*, scenes, user, progress=None):
    """Recipes for many visible scenes (batch job and command); one engine call per chunk.

    Each recipe carries `reused`: True when the scene already had the recipe of this input and
    model version (it is returned, not composed again)."""
    engine = engine_mod.engine_get()
    out = []
    for start in range(0, len(scenes), 32):
        chunk = scenes[start : start + 32]
        results = engine_mod.compose_cached(engine, [_scene_clean(s) for s in chunk])
        for scene, result in zip(chunk, results):
            out.append(_recipe_store(scene=scene, user=user, result=result))
        if progress:
            progress(start + len(chunk), len(scenes), f"composed {start + len(chunk)} scenes")
    return out


@transaction.atomic
def _recipe_store(*, scene, user, result) -> Recipe:
    existing = Recipe.objects.filter(scene=scene, input_key=result["cache_key"]).first()
    if existing is not None:
        existing.scene, existing.reused = scene, True
        return existing
    rec = result["recipe"]
    recipe = Recipe(
        scene=scene,
        created_by=user,
        input_key=result["cache_key"],
        model_version=result["model_version"],
        concentration=rec["concentration"],
        longevity_hours=rec["longevity_hours"],
        season=rec["season"],
        confidence=result["confidence"],
        understood=result["understood"],
        profile=result["profile"],
        families=rec["families"],
        explanation=result.get("explanation", {}),
    )
    recipe.full_clean()
    recipe.save()
    by_name = {i.name: i for i in Ingredient.objects.filter(name__in=[x["name"] for x in rec["ingredients"]])}
    RecipeIngredient.objects.bulk_create(
        [
            RecipeIngredient(
                recipe=recipe,
                ingredient=by_name[x["name"]],
                tier=x["tier"],
                percent=Decimal(str(x["percent"])).quantize(Decimal("0.01")),
                position=i,
            )
            for i, x in enumerate(rec["ingredients"])
        ]
    )
    cache_bump(SCENES)  # its recipe count
    recipe.reused = False
    return recipe


def formula_lines(lines) -> list:
    """[(name, percent), ...] -> FormulaLines of active materials (the input of an edit or a check);
    ApplicationError naming the line for an unknown or withdrawn material or a bad percentage."""
    names = [name for name, _ in lines]
    by_name = {i.name: i for i in Ingredient.objects.filter(name__in=names)}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ApplicationError(f"Not in the ingredient master: {', '.join(unknown)}.", extra={"field": "lines"})
    withdrawn = [n for n in names if not by_name[n].active]
    if withdrawn:
        raise ApplicationError(
            f"Withdrawn from the ingredient master, remove: {', '.join(withdrawn)}.", extra={"field": "lines"}
        )
    out = []
    for name, percent in lines:
        try:
            out.append(FormulaLine(by_name[name], percent_units(percent)))
        except ValueError as exc:
            raise ApplicationError(f"{name}: {exc}.", extra={"field": "lines"}) from None
    return out


@transaction.atomic
def recipe_version_create(*, recipe: Recipe, user, lines, concentration=None, note="") -> Recipe:
    """Save an edited formula as the next version of `recipe`'s family (the scene's owner or a
    curator); the edited recipe itself never changes.

    `lines`: [(material name, percent of the concentrate), ...]. The formula must pass the hard
    constraints every composed recipe passes (ApplicationError listing each problem in
    `extra["problems"]`); an unchanged formula is refused. Model fields (profile, confidence,
    explanation) are the edited recipe's: they describe the scene, not the edit.
    """
    _recipe_writable(recipe, user)
    concentration = concentration or recipe.concentration
    if concentration not in CONCENTRATIONS:
        raise ApplicationError(
            f"Unknown concentration {concentration!r}; choose one of: " + ", ".join(CONCENTRATIONS) + ".",
            extra={"field": "concentration"},
        )
    formula = formula_lines(lines)
    problems = formula_problems(formula, incompatible=incompatibility_reasons())
    if problems:
        raise ApplicationError(
            "This formula cannot be saved: " + " ".join(problems), extra={"field": "lines", "problems": problems}
        )
    before = {(x.material.name, x.units) for x in recipe_formula(recipe)}
    if before == {(x.material.name, x.units) for x in formula} and concentration == recipe.concentration:
        raise ApplicationError(
            "Nothing changed: this is the formula of the version you edited.", extra={"field": "lines"}
        )
    # Lock the family's first version so two saves at once get consecutive version numbers.
    root = Recipe.objects.select_for_update().get(pk=recipe.original_id or recipe.pk)
    version = 1 + max(Recipe.objects.filter(original=root).values_list("version", flat=True), default=1)
    formula.sort(key=lambda x: (TIERS.index(x.material.tier), -x.units, x.material.name))
    new = Recipe(
        scene=recipe.scene,
        created_by=user,
        original=root,
        parent=recipe,
        version=version,
        note=(note or "").strip()[:300],
        model_version=recipe.model_version,
        concentration=concentration,
        input_key=hashlib.sha256(f"edit:{root.pk}:{version}".encode()).hexdigest(),
        confidence=recipe.confidence,
        understood=recipe.understood,
        profile=recipe.profile,
        explanation=recipe.explanation,
        **formula_derived(formula, concentration),
    )
    new.full_clean()
    new.save()
    RecipeIngredient.objects.bulk_create(
        [
            RecipeIngredient(recipe=new, ingredient=x.material, tier=x.material.tier, percent=x.percent, position=i)
            for i, x in enumerate(formula)
        ]
    )
    cache_bump(SCENES)  # its recipe count
    return new


@transaction.atomic
def recipe_delete(*, recipe: Recipe, user) -> None:
    """Delete a recipe with its feedback and, for a composed recipe, the versions edited from it (the
    scene's owner or a curator)."""
    _recipe_writable(recipe, user)
    recipe.delete()
    cache_bump(SCENES)  # its recipe count


def _recipe_writable(recipe: Recipe, user) -> None:
    if recipe.scene.owner_id != user.pk and not user_is_curator(user):
        raise ApplicationError(
            "Only the scene's owner (or a curator) may edit its recipes.", code="permission_denied", status=403
        )


def compose_batch_start(*, user, scene_ids=(), movie=None):
    """Enqueue the `scents.compose_batch` job on the `ml` queue (after commit). Returns the Job.

    Scenes are the listed ids, plus every scene of `movie` when given (e.g. all scenes of a film).
    """
    from apps.core.jobs import job_enqueue
    from apps.scents.selectors import scene_list

    ids = {int(i) for i in scene_ids}
    if movie is not None:
        ids |= set(scene_list(user=user).filter(movie=movie).values_list("pk", flat=True))
    if not ids:
        raise ApplicationError("Choose at least one scene to compose.", extra={"field": "scene_ids"})
    return job_enqueue(kind="scents.compose_batch", user=user, params={"scene_ids": sorted(ids)})
