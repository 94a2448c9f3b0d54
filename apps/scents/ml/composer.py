"""Step 2: a family profile -> a formula a perfumer could weigh out.

Hard constraints (checked by `recipe_check`, which every composed recipe passes before it leaves):
- percentages in hundredths of a percent that sum to exactly 100.00;
- each material between its floor (0.10 %, or its maximum if lower) and its `max_percent`;
- top / heart / base shares inside the master's declared tier bounds;
- no declared incompatible pair; 6 to 15 materials, no duplicates.

The composer is deterministic: same profile, master and preferences -> same formula.
Preferences (from feedback, see feedback.py) re-rank materials inside a family and scale their dose.
"""

import math
from dataclasses import dataclass

import numpy as np

from .vocab import CONCENTRATIONS, FAMILIES, TIERS

MIN_MATERIALS, MAX_MATERIALS = 6, 15
FLOOR_PERCENT = 0.10
SCALE = 100  # integer hundredths of a percent: 100 % == 10000
DISLIKE_CUTOFF = -0.5

HEAVINESS = {
    "Citrus": 0.0,
    "Water": 0.1,
    "Green": 0.2,
    "Aromatic": 0.25,
    "Fruity": 0.3,
    "Floral": 0.5,
    "Soft Floral": 0.55,
    "Woods": 0.7,
    "Mossy Woods": 0.7,
    "Floral Amber": 0.7,
    "Dry Woods": 0.8,
    "Woody Amber": 0.8,
    "Soft Amber": 0.85,
    "Amber": 0.95,
}
SEASON_FAMILIES = {
    "spring": ("Floral", "Green", "Soft Floral", "Fruity"),
    "summer": ("Citrus", "Water", "Aromatic", "Fruity"),
    "autumn": ("Woods", "Mossy Woods", "Dry Woods", "Floral Amber", "Amber"),
    "winter": ("Soft Amber", "Amber", "Woody Amber", "Woods"),
}
CONCENTRATION_HOURS = {"eau de cologne": 2.0, "eau de toilette": 4.0, "eau de parfum": 7.0, "parfum": 10.0}


class ComposeError(RuntimeError):
    """The composer could not satisfy the hard constraints (a bug or an impossible master)."""


@dataclass(frozen=True)
class Line:
    material: object  # ingredients.Material
    units: int  # hundredths of a percent of the concentrate

    @property
    def percent(self):
        return self.units / SCALE


def _floor(m):
    return min(FLOOR_PERCENT, m.max_percent)


def _profile_vector(profile):
    if isinstance(profile, dict):
        vec = np.array([max(0.0, float(profile.get(f, 0.0))) for f in FAMILIES])
    else:
        vec = np.clip(np.asarray(profile, dtype=float), 0.0, None)
    if not np.isfinite(vec).all() or vec.sum() <= 0:
        vec = np.ones(len(FAMILIES))
    return vec / vec.sum()


def _material_count(p):
    entropy = -np.sum(p * np.log(p + 1e-12)) / np.log(len(p))
    return min(max(round(7 + 5 * entropy), 7), 12)


def _family_slots(p, count):
    order = [i for i in np.argsort(-p, kind="stable") if p[i] >= 0.06][:6]
    order = order or [int(np.argmax(p))]
    if len(order) < 2:
        order.append(int(np.argsort(-p, kind="stable")[1]))
    shares = p[order] / p[order].sum()
    raw = shares * count
    slots = np.maximum(1, np.floor(raw).astype(int))
    while slots.sum() < count:
        slots[int(np.argmax(raw - slots))] += 1
    return [(FAMILIES[i], int(s)) for i, s in zip(order, slots)]


def _score(m, prefs):
    return 1.0 + 2.0 * prefs.get(m.name, 0.0) - 0.05 * m.cost_tier + 0.02 * math.log(m.max_percent + 1)


@dataclass(frozen=True)
class _Index:
    """A master's materials grouped once (by family, by tier, name -> names it clashes with)."""

    master: object
    by_family: dict
    by_tier: dict
    clash: dict


_INDEXES = {}  # id(master) -> _Index; an engine keeps one master, so this stays tiny


def _index(master):
    index = _INDEXES.get(id(master))
    if index is None or index.master is not master:
        by_family, by_tier, clash = {}, {t: [] for t in TIERS}, {}
        for m in master.materials:
            by_family.setdefault(m.family, []).append(m)
            by_tier.setdefault(m.tier, []).append(m)
        for pair in master.incompatible:
            for name in pair:
                clash.setdefault(name, set()).update(pair - {name} or pair)
        if len(_INDEXES) > 16:
            _INDEXES.clear()
        index = _INDEXES[id(master)] = _Index(master, by_family, by_tier, clash)
    return index


def _blocked(chosen, master):
    """Names a new material may not have: those chosen and those clashing with one chosen."""
    clash = _index(master).clash
    blocked = {c.name for c in chosen}
    for c in chosen:
        blocked.update(clash.get(c.name, ()))
    return blocked


def _pick(candidates, chosen, master, prefs):
    """Best compatible candidate; disliked materials never fill a family slot (the tier
    fillers may still use one when nothing else fits)."""
    blocked = _blocked(chosen, master)
    pool = [m for m in candidates if m.name not in blocked and prefs.get(m.name, 0.0) > DISLIKE_CUTOFF]
    return max(pool, key=lambda m: (_score(m, prefs), m.name)) if pool else None


def _select(p, master, prefs):
    by_family = _index(master).by_family
    chosen = []
    for family, slots in _family_slots(p, _material_count(p)):
        tiers_used = set()
        for _ in range(slots):
            fresh = [m for m in by_family.get(family, []) if m.tier not in tiers_used]
            pick = _pick(fresh, chosen, master, prefs) or _pick(by_family.get(family, []), chosen, master, prefs)
            if pick is None:
                break
            chosen.append(pick)
            tiers_used.add(pick.tier)
    return _fill_tiers(chosen, p, master, prefs)


def _tier_room(chosen, master):
    """For each tier, the most it can hold: min(high bound, sum of caps)."""
    return {t: min(master.tier_bounds[t][1], sum(m.max_percent for m in chosen if m.tier == t)) for t in TIERS}


def _desired_tiers(chosen, p):
    """Tier shares the profile asks for, given the chosen materials (before bounds)."""
    weight = dict(zip(FAMILIES, p.tolist()))
    count = {}
    for m in chosen:
        count[m.family] = count.get(m.family, 0) + 1
    share = {t: 0.0 for t in TIERS}
    for m in chosen:
        share[m.tier] += weight[m.family] / count[m.family]
    total = sum(share.values()) or 1.0
    return {t: 100.0 * v / total for t, v in share.items()}


def _needs(chosen, master, p):
    """The tier that needs another material: hard needs first (bounds), then soft ones (the
    profile wants more of a tier than its materials' caps allow)."""
    room = _tier_room(chosen, master)
    short = [t for t in TIERS if room[t] < master.tier_bounds[t][0] + 1.0]
    if short:
        return short[0]
    if sum(room.values()) < 101.0 or len(chosen) < MIN_MATERIALS:
        return max(TIERS, key=lambda t: master.tier_bounds[t][1] - room[t])
    if len(chosen) < MAX_MATERIALS - 2:
        desired = _desired_tiers(chosen, p)
        gaps = {t: min(desired[t], master.tier_bounds[t][1]) - room[t] for t in TIERS}
        tier = max(gaps, key=gaps.get)
        if gaps[tier] > 3.0:
            return tier
    return None


def _smoothed(p):
    """Profile spread to wheel neighbours: fillers come from families next to the wanted ones."""
    return 0.6 * p + 0.2 * np.concatenate((p[-1:], p[:-1])) + 0.2 * np.concatenate((p[1:], p[:1]))


def _fill_tiers(chosen, p, master, prefs):
    """Add materials (best profile match first) until every tier can reach its bounds."""
    weight = dict(zip(FAMILIES, _smoothed(p).tolist()))
    tier, rounds = _needs(chosen, master, p), 0
    while tier is not None:
        rounds += 1
        if rounds > 3 * MAX_MATERIALS:
            raise ComposeError("cannot reach the tier bounds within the material limit")
        if len(chosen) >= MAX_MATERIALS:
            _drop_weakest(chosen, tier, master)
        # Why the gap term: potent materials (caps of 0.5-2 %) close a tier's shortfall slowly;
        # preferring materials that can fill it keeps the formula short.
        room = _tier_room(chosen, master)
        gap = max(
            1.0,
            master.tier_bounds[tier][0] + 1.0 - room[tier],
            101.0 - sum(room.values()),
            _desired_tiers(chosen, p)[tier] - room[tier],
        )
        options = sorted(
            _index(master).by_tier[tier],
            key=lambda m: (-(weight[m.family] + 0.3 * min(m.max_percent, gap) / gap), m.name),
        )
        pick = _pick_first(options, chosen, master, prefs)
        if pick is None:
            raise ComposeError(f"no compatible {tier} material left")
        chosen.append(pick)
        tier = _needs(chosen, master, p)
    return chosen


def _shares(chosen, x):
    out = {}
    for m, v in zip(chosen, x):
        out[m.family] = out.get(m.family, 0.0) + v
    return out


def _spread_fillers(chosen, p, master, prefs):
    """When a filler family (added only to meet tier bounds) outweighs the profile's two leading
    families, add a second filler from another family to that tier so the formula still reads
    as the profile. Matters for families made of potent, low-cap materials (Water, Fruity).
    Returns the formula and its amounts (`_amounts`)."""
    lead = [FAMILIES[i] for i in np.argsort(-p, kind="stable")[:2]]
    weight = dict(zip(FAMILIES, _smoothed(p).tolist()))
    for _ in range(4):
        if len(chosen) >= MAX_MATERIALS - 1:
            break
        x = _amounts(chosen, p, master, prefs)
        shares = _shares(chosen, x)
        best_lead = max(shares.get(f, 0.0) for f in lead)
        intruders = [f for f in shares if f not in lead and shares[f] > best_lead]
        if not intruders:
            return chosen, x
        family = max(intruders, key=shares.get)
        tier = max(TIERS, key=lambda t: sum(v for m, v in zip(chosen, x) if m.family == family and m.tier == t))
        fillers = {c.family for c in chosen if c.tier == tier and c.family not in lead}
        options = [m for m in _index(master).by_tier[tier] if m.family != family and m.family not in fillers]
        options.sort(key=lambda m: (-(weight[m.family] + 0.02 * min(m.max_percent, 10)), m.name))
        pick = _pick_first(options, chosen, master, prefs)
        if pick is None:
            return chosen, x
        chosen.append(pick)
    return chosen, _amounts(chosen, p, master, prefs)


def _drop_weakest(chosen, needy_tier, master):
    """Make room for a filler: drop the lowest-capacity material whose tier stays satisfied."""
    room = _tier_room(chosen, master)
    spare = [
        m
        for m in chosen
        if m.tier != needy_tier and room[m.tier] - m.max_percent >= master.tier_bounds[m.tier][0] + 1.0
    ]
    spare = spare or [m for m in chosen if m.tier == needy_tier]
    if not spare:
        raise ComposeError("cannot reach the tier bounds within the material limit")
    chosen.remove(min(spare, key=lambda m: (m.max_percent, m.name)))


def _pick_first(options, chosen, master, prefs):
    blocked = _blocked(chosen, master)
    for strict in (True, False):
        for m in options:
            if m.name in blocked:
                continue
            if strict and prefs.get(m.name, 0.0) <= DISLIKE_CUTOFF:
                continue
            return m
    return None


def _fit(values, low, high, total):
    """x_i = clip(lam * v_i, low_i, high_i) with sum x == total, solved exactly.

    sum(x) is piecewise linear and non-decreasing in lam, with kinks at low_i / v_i and
    high_i / v_i: evaluate it at every kink at once, take the first segment that reaches
    `total`, then interpolate. The caller guarantees sum(low) <= total <= sum(high).
    """
    v = np.maximum(np.asarray(values, dtype=float), 1e-12)
    lo, hi = np.array(low, dtype=float), np.array(high, dtype=float)
    kinks = np.array(sorted({0.0, *(lo / v).tolist(), *(hi / v).tolist()}))
    # Why accumulate, not sum: it adds left to right like Python's sum (numpy's sum pairs terms),
    # so every total, hence every formula, is the same to the last bit as the one-kink-at-a-time
    # search this replaced (sums are monotone in lam, so both find the same segment).
    sums = np.add.accumulate(np.minimum(np.maximum(np.outer(kinks, v), lo), hi), axis=1)[:, -1]
    if sums[-1] <= total:
        return hi
    if sums[0] >= total:
        return lo
    right = int(np.searchsorted(sums, total))  # the first kink whose sum reaches `total`
    a, b, fa, fb = kinks[right - 1], kinks[right], sums[right - 1], sums[right]
    lam = b if fb <= fa else a + (total - fa) * (b - a) / (fb - fa)
    return np.minimum(np.maximum(lam * v, lo), hi)


def _amounts(chosen, p, master, prefs):
    weight = dict(zip(FAMILIES, p.tolist()))
    count = {}
    for m in chosen:
        count[m.family] = count.get(m.family, 0) + 1
    target = np.array(
        [max(weight[m.family], 0.01) / count[m.family] * math.exp(0.5 * prefs.get(m.name, 0.0)) for m in chosen]
    )
    tiers = np.array([TIERS.index(m.tier) for m in chosen])
    floor = np.array([_floor(m) for m in chosen])
    cap = np.array([m.max_percent for m in chosen])
    in_tier = [tiers == k for k in range(3)]
    # Tier targets from a cap-aware first pass over the whole formula: what a capped material
    # cannot take spreads over every material by profile weight, instead of flowing to whatever
    # filler shares its tier (a marine top note capped at 2 % must not make a 25 % citrus top).
    first = _fit(target, floor, cap, 100.0) if cap.sum() >= 100.0 else cap
    t_target = np.array([first[sel].sum() for sel in in_tier]) + 1e-9
    t_low = np.array([max(master.tier_bounds[t][0], floor[sel].sum()) for t, sel in zip(TIERS, in_tier)])
    t_high = np.array([min(master.tier_bounds[t][1], cap[sel].sum()) for t, sel in zip(TIERS, in_tier)])
    if t_low.sum() > 100 or t_high.sum() < 100 or (t_low > t_high).any():
        raise ComposeError("tier bounds cannot be met with the chosen materials")
    t_total = _fit(t_target, t_low, t_high, 100.0)
    x = np.zeros(len(chosen))
    for k, sel in enumerate(in_tier):
        x[sel] = _fit(target[sel], floor[sel], cap[sel], t_total[k])
    return x


def _to_units(chosen, x, master):
    """Round to hundredths so the total is exactly 10000 units, never crossing a bound."""
    x = x.tolist()
    units = [max(math.floor(v * SCALE + 1e-9), math.ceil(_floor(m) * SCALE - 1e-9)) for m, v in zip(chosen, x)]
    caps = [math.floor(m.max_percent * SCALE + 1e-9) for m in chosen]
    units = [min(u, c) for u, c in zip(units, caps)]
    bounds = {t: (round(master.tier_bounds[t][0] * SCALE), round(master.tier_bounds[t][1] * SCALE)) for t in TIERS}

    def tier_sum(t):
        return sum(u for u, m in zip(units, chosen) if m.tier == t)

    order = sorted(range(len(chosen)), key=lambda i: -(x[i] * SCALE - math.floor(x[i] * SCALE + 1e-9)))
    while sum(units) != 10000:
        step = 1 if sum(units) < 10000 else -1
        starving = [t for t in TIERS if tier_sum(t) < bounds[t][0]] if step > 0 else []
        for i in order:
            t = chosen[i].tier
            if starving and t not in starving:
                continue
            new, new_tier = units[i] + step, tier_sum(t) + step
            if step > 0 and (new > caps[i] or new_tier > bounds[t][1]):
                continue
            if step < 0 and (new < math.ceil(_floor(chosen[i]) * SCALE - 1e-9) or new_tier < bounds[t][0]):
                continue
            units[i] = new
            break
        else:
            raise ComposeError("rounding could not keep every bound")
    return units


def recipe_check(lines, master):
    """Every hard-constraint violation of a formula, as strings (empty list = valid)."""
    problems = []
    names = [line.material.name for line in lines]
    if not MIN_MATERIALS <= len(lines) <= MAX_MATERIALS:
        problems.append(f"{len(lines)} materials (allowed {MIN_MATERIALS}-{MAX_MATERIALS})")
    if len(set(names)) != len(names):
        problems.append("duplicate material")
    if sum(line.units for line in lines) != 100 * SCALE:
        problems.append(f"total is {sum(line.units for line in lines) / SCALE} %, not 100.00 %")
    for line in lines:
        m = line.material
        if line.units > round(m.max_percent * SCALE) or line.units < round(_floor(m) * SCALE):
            problems.append(f"{m.name} at {line.percent} % is outside {_floor(m)}-{m.max_percent} %")
    for t in TIERS:
        share = sum(line.units for line in lines if line.material.tier == t) / SCALE
        low, high = master.tier_bounds[t]
        if not low - 1e-9 <= share <= high + 1e-9:
            problems.append(f"{t} tier at {share} % is outside {low}-{high} %")
    clash = _index(master).clash
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if b in clash.get(a, ()):
                problems.append(f"{a} and {b} are declared incompatible")
    return problems


def compose(profile, master, prefs=None):
    """Formula lines for a family profile (dict or 14-vector). Raises ComposeError if impossible."""
    prefs = prefs or {}
    p = _profile_vector(profile)
    chosen, x = _spread_fillers(_select(p, master, prefs), p, master, prefs)
    units = _to_units(chosen, x, master)
    lines = [Line(m, u) for m, u in zip(chosen, units)]
    lines.sort(key=lambda line: (TIERS.index(line.material.tier), -line.units, line.material.name))
    problems = recipe_check(lines, master)
    if problems:
        raise ComposeError("; ".join(problems))
    return lines


def family_shares(lines):
    shares = {}
    for line in lines:
        shares[line.material.family] = shares.get(line.material.family, 0) + line.units
    return {f: round(u / (100 * SCALE), 4) for f, u in sorted(shares.items(), key=lambda kv: -kv[1])}


def impact_shares(lines):
    """Families by estimated odour impact: each dose divided by the material's typical dose.

    Potent materials (marine, smoky, green notes at 0.1-2 %) lead the smell at small weights, so
    this, not the weight share, is how the formula reads to a nose; shown beside the weights.
    """
    impact = {}
    for line in lines:
        m = line.material
        impact[m.family] = impact.get(m.family, 0.0) + line.percent / m.typical_percent
    total = sum(impact.values()) or 1.0
    return {f: round(v / total, 4) for f, v in sorted(impact.items(), key=lambda kv: -kv[1])}


def tier_shares(lines):
    return {t: sum(line.units for line in lines if line.material.tier == t) / SCALE for t in TIERS}


def concentration_for(profile):
    p = _profile_vector(profile)
    heaviness = float(sum(p[i] * HEAVINESS[f] for i, f in enumerate(FAMILIES)))
    if heaviness < 0.3:
        return "eau de cologne"
    if heaviness < 0.5:
        return "eau de toilette"
    return "eau de parfum" if heaviness < 0.75 else "parfum"


def longevity_hours(lines, concentration):
    base = tier_shares(lines)["base"] / 100
    tenacity = sum(line.units * math.log(line.material.volatility_hours + 1) for line in lines) / (100 * SCALE)
    return round(CONCENTRATION_HOURS[concentration] * (0.5 + base) * (0.6 + tenacity / 10), 1)


def season_for(lines):
    shares = family_shares(lines)
    scores = {s: sum(shares.get(f, 0.0) for f in fams) for s, fams in SEASON_FAMILIES.items()}
    return max(scores, key=lambda s: (scores[s], s))


assert set(CONCENTRATION_HOURS) == set(CONCENTRATIONS)
