"""The recipe editor's state: the posted lines, the one change the user made, and the checks.

Each request carries the whole formula (material ids and percentages as typed). One change is
applied: a percentage typed (that line is kept and the others are scaled so the total stays
100.00 %), a material added (at its typical dose) or removed, or "scale to 100 %". Then the
composer's hard constraints are checked, so the page shows every problem before Save.
"""

from apps.scents import selectors
from apps.scents.formula import (
    FormulaLine,
    formula_balance,
    formula_problems,
    formula_summary,
    percent_units,
    start_units,
)
from apps.scents.ml.vocab import CONCENTRATIONS, TIERS


def _posted_rows(data):
    ids = [int(x) for x in data.getlist("material") if str(x).isdigit()]
    by_pk = {i.pk: i for i in selectors.ingredient_list().filter(pk__in=ids)}
    rows = []
    for pk, value in zip(data.getlist("material"), data.getlist("percent")):
        material = by_pk.get(int(pk)) if str(pk).isdigit() else None
        if material is None or any(r["material"] == material for r in rows):
            continue
        try:
            units, error = percent_units(value), ""
        except ValueError as exc:
            units, error = None, f"{exc}."
        rows.append({"material": material, "value": value, "units": units, "error": error})
    return rows


def _apply(rows, data):
    """Apply the posted change; returns the rows (balanced where the change calls for it)."""
    op, keep = data.get("op", ""), ()
    # "drop", not "remove": a field named "remove" would hide the form element's remove() from htmx.
    if data.get("drop", "").isdigit():
        rows = [r for r in rows if r["material"].pk != int(data["drop"])]
    elif op != "save" and data.get("add", "").isdigit():  # choosing in the list adds at once
        material = selectors.ingredient_list(active_only=True).filter(pk=int(data["add"])).first()
        if material is None or any(r["material"] == material for r in rows):
            return rows
        rows = rows + [{"material": material, "units": start_units(material), "error": ""}]
        keep = (material.name,)
    elif data.get("changed", "").isdigit():
        keep = tuple(r["material"].name for r in rows if r["material"].pk == int(data["changed"]))
    elif op != "balance":
        return rows
    if any(r["units"] is None for r in rows):
        return rows  # a line that is not a number yet: nothing to scale against
    lines = formula_balance([FormulaLine(r["material"], r["units"]) for r in rows], keep=keep)
    return [{"material": line.material, "units": line.units, "error": ""} for line in lines]


def editor_state(*, recipe, data=None) -> dict:
    """Template context for the editor: rows, totals, problems, materials that can be added."""
    if data is None:
        rows = [{"material": x.material, "units": x.units, "error": ""} for x in selectors.recipe_formula(recipe)]
        concentration, note = recipe.concentration, ""
    else:
        rows = _apply(_posted_rows(data), data)
        concentration = (
            data.get("concentration") if data.get("concentration") in CONCENTRATIONS else recipe.concentration
        )
        note = data.get("note", "")[:300]
    for row in rows:
        if not row["error"]:  # a line that is not a number keeps what was typed, beside its message
            row["value"] = f"{row['units'] / 100:.2f}"
    parsed = [FormulaLine(r["material"], r["units"]) for r in rows if r["units"] is not None]
    problems = [f"{r['material'].name}: {r['error']}" for r in rows if r["error"]]
    if not problems:
        problems = formula_problems(parsed, incompatible=selectors.incompatibility_reasons())
    used = {r["material"].pk for r in rows}
    addable = [i for i in selectors.ingredient_list(active_only=True) if i.pk not in used]
    return {
        "rows": sorted(rows, key=lambda r: TIERS.index(r["material"].tier)),
        "summary": formula_summary(parsed),
        "problems": problems,
        "concentration": concentration,
        "concentrations": list(CONCENTRATIONS),
        "note": note,
        "addable": [{"tier": t, "materials": [i for i in addable if i.tier == t]} for t in TIERS],
    }


def editor_lines(state) -> list:
    """(name, percent as typed) pairs for `services.recipe_version_create`."""
    return [(r["material"].name, r["value"]) for r in state["rows"]]
