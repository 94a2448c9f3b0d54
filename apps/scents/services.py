"""Writes for the Scents area. Keyword-only `<entity>_<verb>` functions; ApplicationError for
business-rule violations (the API handler and the views turn them into clear messages)."""

import hashlib
import json
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from apps.accounts.selectors import user_is_curator
from apps.core.cache import cache_bump
from apps.core.errors import ApplicationError
from apps.core.ml.text_encoder import ENCODER_NAME, encoder_shared
from apps.scents import engine as engine_mod
from apps.scents.cache import INGREDIENTS, SCENES
from apps.scents.formula import FormulaLine, formula_derived, formula_problems, percent_units
from apps.scents.ml.feedback import preferences_from_feedback, preferences_version
from apps.scents.ml.ingredients import master_document, master_validate
from apps.scents.ml.pipeline import PREFERENCES_NAME
from apps.scents.ml.text import SceneInputError, model_text, scene_input_clean
from apps.scents.ml.vocab import CONCENTRATIONS, TIERS
from apps.scents.models import (
    CostTier,
    Feedback,
    Ingredient,
    IngredientIncompatibility,
    Recipe,
    RecipeIngredient,
    Scene,
)
from apps.scents.selectors import feedback_rows, incompatibility_reasons, recipe_formula, scene_get

SCENE_FIELDS = ("description", "genre", "mood", "time_of_day", "weather", "season", "place")
INGREDIENT_FIELDS = (
    "name",
    "cas",
    "family",
    "tier",
    "descriptors",
    "volatility_hours",
    "typical_percent",
    "max_percent",
    "max_source",
    "ifra",
    "allergen",
    "allergens",
    "cost_tier",
    "natural",
    "notes",
)
FEEDBACK_COMMENT_MAX_CHARS = 2000
WEIGHOUT_MAX = 50


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


def weighout_sheet(*, recipes, volume_ml, concentration=None) -> dict:
    """One weigh-out sheet for several recipes, `volume_ml` of each (at its own concentration
    unless `concentration` is given): grams per material per recipe, totals, alcohol.

    Raises ApplicationError for no recipes, more than WEIGHOUT_MAX, or a bad volume/concentration.
    """
    if not recipes:
        raise ApplicationError("Choose at least one recipe to weigh out.", extra={"field": "recipe"})
    if len(recipes) > WEIGHOUT_MAX:
        raise ApplicationError(
            f"A weigh-out sheet holds at most {WEIGHOUT_MAX} recipes (you chose " f"{len(recipes)}).",
            extra={"field": "recipe"},
        )
    sheets = [production_sheet(recipe=r, volume_ml=volume_ml, concentration=concentration) for r in recipes]
    rows = {}
    for k, sheet in enumerate(sheets):
        for line in sheet["rows"]:
            row = rows.setdefault(
                line["name"],
                {"name": line["name"], "cas": line["cas"], "tier": line["tier"], "grams": [0.0] * len(sheets)},
            )
            row["grams"][k] = line["grams"]
    ordered = sorted(rows.values(), key=lambda r: (TIERS.index(r["tier"]), r["name"]))
    for row in ordered:
        row["total"] = round(sum(row["grams"]), 3)
    return {
        "volume_ml": sheets[0]["volume_ml"],
        "recipes": [
            {
                "recipe": r,
                "concentration": s["concentration"],
                "alcohol_grams": s["alcohol_grams"],
                "total_grams": s["total_grams"],
            }
            for r, s in zip(recipes, sheets)
        ],
        "rows": ordered,
        "concentrate_grams": round(sum(s["concentrate_grams"] for s in sheets), 3),
        "alcohol_grams": round(sum(s["alcohol_grams"] for s in sheets), 3),
        "total_grams": round(sum(s["total_grams"] for s in sheets), 2),
    }


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


def ingredient_master_load(*, apps_registry=None, doc=None) -> int:
    """Upsert the curated master (data migration and `scents_load_ingredients`). Returns the row count."""
    doc = doc or master_document()
    problems = master_validate(doc)
    if problems:
        raise ApplicationError("The ingredient file is inconsistent: " + "; ".join(problems[:5]))
    Ing = apps_registry.get_model("scents", "Ingredient") if apps_registry else Ingredient
    Pair = (
        apps_registry.get_model("scents", "IngredientIncompatibility") if apps_registry else IngredientIncompatibility
    )
    fields = INGREDIENT_FIELDS[1:]  # all but the name a row is found by
    by_name = {}
    for row in doc["ingredients"]:
        values = {k: row[k] for k in fields}
        values["typical_percent"] = Decimal(str(row["typical_percent"]))
        values["max_percent"] = Decimal(str(row["max_percent"]))
        by_name[row["name"]], _ = Ing.objects.update_or_create(name=row["name"], defaults=values)
    for pair in doc["incompatibilities"]:
        Pair.objects.update_or_create(
            first=by_name[pair["a"]], second=by_name[pair["b"]], defaults={"reason": pair["reason"]}
        )
    cache_bump(INGREDIENTS)
    return len(by_name)


# --- the ingredient master, as curators edit it ------------------------------------------


def ingredient_create(**fields) -> Ingredient:
    """A new material of the master, checked by the master's rules (``_ingredient_save``)."""
    return _ingredient_save(Ingredient(**fields))


def ingredient_update(*, ingredient: Ingredient, **changes) -> Ingredient:
    """Change a material (``active``: withdraw it from or return it to the composer), checked by the
    master's rules (``_ingredient_save``)."""
    for name, value in changes.items():
        setattr(ingredient, name, value)
    return _ingredient_save(ingredient)


@transaction.atomic
def _ingredient_save(ingredient: Ingredient) -> Ingredient:
    """Save a material that keeps the rules the curated file is held to (CAS check digit, typical <= max
    dose, IFRA ceiling, allergen flag...) and make the ingredient page read afresh; the composer's
    master version is a hash of the active rows, so the next recipe uses the change. Raises
    ApplicationError naming each broken rule."""
    try:
        problems = master_validate(
            {"ingredients": [{f: getattr(ingredient, f) for f in INGREDIENT_FIELDS}], "incompatibilities": []}
        )
    except (KeyError, TypeError):  # an IFRA entry of another shape
        problems = ['the IFRA entry needs a "standard" and a "limit_finished_percent"']
    if problems:
        raise ApplicationError(f"The ingredient master does not allow this: {'; '.join(problems)}.")
    ingredient.full_clean()
    ingredient.save()
    cache_bump(INGREDIENTS)
    return ingredient


@transaction.atomic
def ingredient_delete(*, ingredient: Ingredient) -> None:
    """Delete a material no recipe uses (the database protects used ones: withdraw those), with its
    incompatibilities."""
    ingredient.delete()
    cache_bump(INGREDIENTS)


def ingredient_incompatibility_create(*, first: Ingredient, second: Ingredient, reason: str):
    """Declare two materials incompatible (``_incompatibility_save``)."""
    return _incompatibility_save(IngredientIncompatibility(first=first, second=second, reason=reason))


def ingredient_incompatibility_update(*, pair: IngredientIncompatibility, **changes):
    """Change a declared pair or its reason (``_incompatibility_save``)."""
    for name, value in changes.items():
        setattr(pair, name, value)
    return _incompatibility_save(pair)


def _incompatibility_save(pair: IngredientIncompatibility) -> IngredientIncompatibility:
    """Save a pair of two different materials, declared once in either order; the composer never
    puts them together from its next recipe on (the pair is part of its master version)."""
    if pair.first_id == pair.second_id:
        raise ApplicationError(
            "A material cannot be incompatible with itself: choose two different materials.", extra={"field": "second"}
        )
    reverse = (
        IngredientIncompatibility.objects.filter(first_id=pair.second_id, second_id=pair.first_id)
        .exclude(pk=pair.pk)
        .first()
    )
    if reverse:
        raise ApplicationError(
            f"{pair.first} and {pair.second} are already declared incompatible ({reverse.reason}).",
            extra={"field": "second"},
        )
    pair.full_clean()
    pair.save()
    return pair


def ingredient_incompatibility_delete(*, pair: IngredientIncompatibility) -> None:
    """Let the composer put the two materials together again."""
    pair.delete()


def cost_tier_price_set(*, cost_tier: CostTier, price_per_kg: Decimal | None) -> CostTier:
    """Set the buying price per kg of one cost tier (None: not priced); recipe costs use it at once.
    The five tiers are fixed: they are priced, never added or deleted."""
    cost_tier.price_per_kg = price_per_kg
    cost_tier.full_clean()
    cost_tier.save(update_fields=["price_per_kg", "updated_at"])
    return cost_tier


def production_sheet(*, recipe: Recipe, volume_ml, concentration=None) -> dict:
    """Grams of each material (and of alcohol) for `volume_ml` of finished product.

    Assumes a finished-product density of 0.80 g/ml (perfumer's alcohol 0.79 plus oils) and the
    concentrate share of the chosen concentration type (default: the recipe's).
    """
    try:
        volume = float(volume_ml)
    except (TypeError, ValueError):
        raise ApplicationError("Batch size must be a number of millilitres.", extra={"field": "volume_ml"}) from None
    if not 1 <= volume <= 100000:
        raise ApplicationError("Batch size must be between 1 and 100,000 ml.", extra={"field": "volume_ml"})
    concentration = concentration or recipe.concentration
    if concentration not in CONCENTRATIONS:
        raise ApplicationError(
            f"Unknown concentration {concentration!r}; choose one of: " + ", ".join(CONCENTRATIONS) + ".",
            extra={"field": "concentration"},
        )
    total_g = volume * 0.80
    concentrate_g = total_g * CONCENTRATIONS[concentration] / 100
    rows = [
        {
            "name": line.ingredient.name,
            "cas": line.ingredient.cas,
            "tier": line.tier,
            "percent": float(line.percent),
            "grams": round(concentrate_g * float(line.percent) / 100, 3),
        }
        for line in recipe.lines.all()
    ]
    return {
        "volume_ml": volume,
        "concentration": concentration,
        "concentrate_percent": CONCENTRATIONS[concentration],
        "total_grams": round(total_g, 2),
        "concentrate_grams": round(concentrate_g, 3),
        "alcohol_grams": round(total_g - concentrate_g, 3),
        "rows": rows,
    }


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
