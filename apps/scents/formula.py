"""A formula as a perfumer edits it: lines of materials in hundredths of a percent.

Pure functions over `FormulaLine`s (the material is an Ingredient row or anything with its
attributes); no queries. The hard constraints are the composer's own (`ml.composer.recipe_check`),
so an edited version is held to exactly the rules a composed recipe is.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from apps.scents.ml import composer
from apps.scents.ml.composer import MAX_MATERIALS, SCALE
from apps.scents.ml.ingredients import Master, master_default
from apps.scents.ml.vocab import TIERS

TOTAL_UNITS = 100 * SCALE


@dataclass(frozen=True)
class FormulaLine:
    material: object  # an Ingredient (name, cas, family, tier, max_percent, typical_percent, ...)
    units: int  # hundredths of a percent of the concentrate

    @property
    def percent(self) -> Decimal:
        return _percent(self.units)


def _percent(units) -> Decimal:
    return (Decimal(units) / SCALE).quantize(Decimal("0.01"))


def percent_units(value) -> int:
    """'12.5' / 12.5 / Decimal -> 1250 hundredths; ValueError with a readable message otherwise."""
    if not str(value).strip():
        raise ValueError("enter a percentage")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None
    if not number.is_finite() or not 0 <= number <= 100:
        raise ValueError(f"{value} is not a percentage from 0 to 100")
    return int((number * SCALE).to_integral_value())


def floor_units(material) -> int:
    return round(min(Decimal("0.10"), Decimal(material.max_percent)) * SCALE)


def cap_units(material) -> int:
    return round(Decimal(material.max_percent) * SCALE)


def start_units(material) -> int:
    """A newly added material starts at its typical dose (never above its maximum)."""
    return min(round(Decimal(material.typical_percent) * SCALE), cap_units(material))


def _fit(weights, low, high, total):
    """x_i = clip(lam * w_i, low_i, high_i) with sum(x) == total (bisection on lam); the caller
    guarantees sum(low) <= total <= sum(high)."""

    def at(lam):
        return sum(min(max(lam * w, lo), hi) for w, lo, hi in zip(weights, low, high))

    left, right = 0.0, 1.0
    while at(right) < total:
        right *= 2
    for _ in range(100):
        mid = (left + right) / 2
        left, right = (mid, right) if at(mid) < total else (left, mid)
    return [min(max(right * w, lo), hi) for w, lo, hi in zip(weights, low, high)]


def _round_to(exact, high, total):
    """Integers near `exact` (floored, then the units rounding lost handed out, largest remainder
    first) that sum to `total` and stay under `high`; `exact` is already inside its bounds."""
    out = [int(x) for x in exact]
    for k in sorted(range(len(out)), key=lambda k: -(exact[k] - out[k])) * 2:
        if sum(out) >= total:
            break
        if out[k] < high[k]:
            out[k] += 1
    return out


def _spread(weights, low, high, total):
    """Integers proportional to `weights` inside [low, high] summing to `total`; when that cannot
    be, each at the nearer end (the check then reports the total)."""
    if total <= sum(low) or total >= sum(high):
        return list(low) if total <= sum(low) else list(high)
    return _round_to(_fit([max(w, 1) for w in weights], low, high, total), high, total)


def _tier_totals(lines, free):
    """Units each tier's free lines get so that every tier stays inside its bounds, the tiers'
    proportions kept as far as the bounds allow; None when no split can keep them."""
    bounds = master_default().tier_bounds
    fixed = {t: sum(x.units for i, x in enumerate(lines) if i not in free and x.material.tier == t) for t in TIERS}
    floor = {t: sum(floor_units(lines[i].material) for i in free if lines[i].material.tier == t) for t in TIERS}
    cap = {t: sum(cap_units(lines[i].material) for i in free if lines[i].material.tier == t) for t in TIERS}
    low = [max(round(bounds[t][0] * SCALE), fixed[t] + floor[t]) for t in TIERS]
    high = [min(round(bounds[t][1] * SCALE), fixed[t] + cap[t]) for t in TIERS]
    if any(lo > hi for lo, hi in zip(low, high)) or not sum(low) <= TOTAL_UNITS <= sum(high):
        return None
    current = [sum(x.units for x in lines if x.material.tier == t) for t in TIERS]
    totals = _spread(current, low, high, TOTAL_UNITS)
    return {t: total - fixed[t] for t, total in zip(TIERS, totals)}


def formula_balance(lines, *, keep=()):
    """Scale the lines whose material is not in `keep` (names) so the formula totals 100.00 %,
    each inside its floor and maximum and each tier inside its bounds, keeping proportions as
    far as the bounds allow.

    When the tier bounds cannot all be kept (say a kept line already takes a tier past its bound)
    only the total and the lines' own bounds are kept; when even that cannot be (the free lines'
    maximums are too small), each goes to the nearer bound. `formula_problems` reports the rest.
    """
    free = [i for i, line in enumerate(lines) if line.material.name not in set(keep)]
    if not free:
        return list(lines)
    tiers = _tier_totals(lines, free)
    if tiers is None:
        groups = [(free, TOTAL_UNITS - sum(x.units for i, x in enumerate(lines) if i not in free))]
    else:
        groups = [([i for i in free if lines[i].material.tier == t], rest) for t, rest in tiers.items()]
    out = list(lines)
    for members, rest in groups:
        if not members:
            continue
        new = _spread(
            [lines[i].units or start_units(lines[i].material) for i in members],
            [floor_units(lines[i].material) for i in members],
            [cap_units(lines[i].material) for i in members],
            rest,
        )
        for i, units in zip(members, new):
            out[i] = FormulaLine(lines[i].material, units)
    return out


def formula_problems(lines, *, incompatible) -> list[str]:
    """Every hard-constraint violation, in words (empty: the formula may be saved).

    `incompatible` maps frozenset({name, name}) to the reason the master gives for the pair.
    """
    master = Master(materials=(), incompatible=frozenset(incompatible), tier_bounds=master_default().tier_bounds)
    problems = []
    for problem in composer.recipe_check(lines, master):
        if problem.endswith("declared incompatible"):
            a, b = problem.removesuffix(" are declared incompatible").split(" and ", 1)
            problem = f"{a} and {b} do not go together: {incompatible[frozenset((a, b))]}"
        problems.append(problem[0].upper() + problem[1:] + ".")
    return problems


def formula_summary(lines) -> dict:
    """Totals the editor shows beside the lines: the sum, each tier's share and its bounds."""
    bounds = master_default().tier_bounds
    return {
        "total": _percent(sum(line.units for line in lines)),
        "count": len(lines),
        "max_count": MAX_MATERIALS,
        "tiers": [
            {
                "tier": t,
                "percent": _percent(sum(x.units for x in lines if x.material.tier == t)),
                "low": bounds[t][0],
                "high": bounds[t][1],
            }
            for t in TIERS
        ],
    }


def formula_derived(lines, concentration) -> dict:
    """What a stored recipe records about its formula: family shares, longevity and season."""
    return {
        "families": composer.family_shares(lines),
        "longevity_hours": composer.longevity_hours(lines, concentration),
        "season": composer.season_for(lines),
    }


def formula_compare(a, b) -> list[dict]:
    """Side by side: one row per material of either formula (a's order, then b's new ones)."""
    a_by, b_by = {x.material.name: x for x in a}, {x.material.name: x for x in b}
    names = [x.material.name for x in a] + [x.material.name for x in b if x.material.name not in a_by]
    rows = []
    for name in names:
        left, right = a_by.get(name), b_by.get(name)
        material = (left or right).material
        pa = left.percent if left else None
        pb = right.percent if right else None
        rows.append(
            {
                "name": name,
                "cas": material.cas,
                "tier": material.tier,
                "a": pa,
                "b": pb,
                "change": (pb or 0) - (pa or 0),
                "state": "added" if left is None else "removed" if right is None else "changed" if pa != pb else "same",
            }
        )
    return rows
