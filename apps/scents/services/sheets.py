"""Production and weigh-out sheets: grams of each material for a batch of finished product."""

from apps.core.errors import ApplicationError
from apps.scents.ml.vocab import CONCENTRATIONS, TIERS
from apps.scents.models import Recipe

WEIGHOUT_MAX = 50


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
