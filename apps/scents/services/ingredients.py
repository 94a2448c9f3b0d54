"""The ingredient master: the curated file loaded, curators' edits held to its rules, incompatible
pairs, cost tier prices."""

from decimal import Decimal

from django.db import transaction

from apps.core.cache import cache_bump
from apps.core.errors import ApplicationError
from apps.scents.cache import INGREDIENTS
from apps.scents.ml.ingredients import master_document, master_validate
from apps.scents.models import CostTier, Ingredient, IngredientIncompatibility

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
