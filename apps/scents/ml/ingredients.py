"""The curated ingredient master (apps/scents/data/ingredients.json) as plain Python objects.

The JSON file is the source of truth: a data migration copies it into the Ingredient table,
and the composer reads it (or rows converted by `material_from_row`) without the ORM.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .vocab import FAMILIES, TIERS

DATA_PATH = Path(__file__).resolve().parent.parent / "data" / "ingredients.json"


@dataclass(frozen=True)
class Material:
    name: str
    cas: str
    family: str
    tier: str
    max_percent: float
    typical_percent: float
    volatility_hours: float
    cost_tier: int
    allergen: bool


@dataclass(frozen=True)
class Master:
    materials: tuple
    incompatible: frozenset  # frozensets of two names
    tier_bounds: dict  # tier -> (low, high) percent of the concentrate

    def by_name(self):
        return {m.name: m for m in self.materials}


def cas_is_valid(cas: str) -> bool:
    """CAS Registry Number check digit: weighted sum of the other digits, right to left, mod 10."""
    parts = cas.split("-")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        return False
    head, mid, check = parts
    if not (2 <= len(head) <= 7 and len(mid) == 2 and len(check) == 1):
        return False
    digits = (head + mid)[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10 == int(check)


def master_document(path=DATA_PATH) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def master_validate(doc: dict) -> list:
    """Every problem found in the curated document, as readable strings (empty = consistent)."""
    problems, names = [], set()
    for row in doc["ingredients"]:
        name = row.get("name", "?")
        if name in names:
            problems.append(f"{name}: duplicate name")
        names.add(name)
        if not cas_is_valid(row.get("cas", "")):
            problems.append(f"{name}: CAS {row.get('cas')!r} fails the check digit")
        if row.get("family") not in FAMILIES:
            problems.append(f"{name}: unknown family {row.get('family')!r}")
        if row.get("tier") not in TIERS:
            problems.append(f"{name}: unknown tier {row.get('tier')!r}")
        if not row.get("descriptors"):
            problems.append(f"{name}: no odour descriptors")
        if not 0 < row.get("typical_percent", 0) <= row.get("max_percent", 0) <= 100:
            problems.append(f"{name}: needs 0 < typical <= max <= 100")
        if not row.get("max_source"):
            problems.append(f"{name}: max_percent has no source")
        ifra = row.get("ifra")
        if (
            ifra
            and row["max_percent"] > ifra["limit_finished_percent"] / 0.25 + 1e-9
            and "constituent" not in ifra["standard"]
            and "Methyl eugenol" not in ifra["standard"]
        ):
            problems.append(f"{name}: max_percent exceeds the IFRA limit at parfum strength")
        if row.get("allergen") != bool(row.get("allergens")):
            problems.append(f"{name}: allergen flag disagrees with the allergen list")
        if row.get("cost_tier") not in (1, 2, 3, 4, 5) or row.get("volatility_hours", 0) <= 0:
            problems.append(f"{name}: cost tier 1-5 and positive volatility required")
    for pair in doc["incompatibilities"]:
        for side in ("a", "b"):
            if pair[side] not in names:
                problems.append(f"incompatibility names unknown material {pair[side]!r}")
    return problems


def master_from_document(doc: dict) -> Master:
    materials = tuple(
        Material(
            name=r["name"],
            cas=r["cas"],
            family=r["family"],
            tier=r["tier"],
            max_percent=float(r["max_percent"]),
            typical_percent=float(r["typical_percent"]),
            volatility_hours=float(r["volatility_hours"]),
            cost_tier=int(r["cost_tier"]),
            allergen=bool(r["allergen"]),
        )
        for r in doc["ingredients"]
    )
    incompatible = frozenset(frozenset((p["a"], p["b"])) for p in doc["incompatibilities"])
    bounds = {tier: tuple(map(float, doc["tier_bounds"][tier])) for tier in TIERS}
    return Master(materials, incompatible, bounds)


@lru_cache(maxsize=1)
def master_default() -> Master:
    return master_from_document(master_document())
