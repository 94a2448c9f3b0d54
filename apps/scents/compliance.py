"""The finished product at a chosen strength: IFRA summary, EU allergen declaration, cost per kg.

Pure functions over `formula.FormulaLine`s whose materials carry the master's fields (`cas`,
`ifra`, `allergens`, `cost_tier`). Sources: IFRA Standards 51st Amendment, Category 4 (the
master's `ifra` entries); Regulation (EC) No 1223/2009, Annex III, the 26 fragrance substances
to declare above 0.001 % in leave-on products (names and CAS numbers below).

Allergen content: a material that *is* a listed substance (same CAS number) counts at 100 %. For a
natural the master names the declarable constituents but records no measured content, so its
whole level in the product is the upper bound: the declaration is conservative (it may list a
substance a supplier's analysis would put under the threshold) and says which lines rest on it.
"""

from decimal import Decimal

from apps.scents.ml.vocab import CONCENTRATIONS

LEAVE_ON_THRESHOLD = Decimal("0.001")  # % of the finished product (10 ppm), Annex III

# The master's allergen names -> (label name as in Annex III / INCI, CAS number).
EU_ALLERGENS = {
    "amyl cinnamal": ("Amyl Cinnamal", "122-40-7"),
    "amylcinnamyl alcohol": ("Amylcinnamyl Alcohol", "101-85-9"),
    "anise alcohol": ("Anise Alcohol", "105-13-5"),
    "benzyl alcohol": ("Benzyl Alcohol", "100-51-6"),
    "benzyl benzoate": ("Benzyl Benzoate", "120-51-4"),
    "benzyl cinnamate": ("Benzyl Cinnamate", "103-41-3"),
    "benzyl salicylate": ("Benzyl Salicylate", "118-58-1"),
    "butylphenyl methylpropional": ("Butylphenyl Methylpropional", "80-54-6"),
    "cinnamal": ("Cinnamal", "104-55-2"),
    "cinnamyl alcohol": ("Cinnamyl Alcohol", "104-54-1"),
    "citral": ("Citral", "5392-40-5"),
    "citronellol": ("Citronellol", "106-22-9"),
    "coumarin": ("Coumarin", "91-64-5"),
    "eugenol": ("Eugenol", "97-53-0"),
    "farnesol": ("Farnesol", "4602-84-0"),
    "geraniol": ("Geraniol", "106-24-1"),
    "hexyl cinnamal": ("Hexyl Cinnamal", "101-86-0"),
    "hydroxycitronellal": ("Hydroxycitronellal", "107-75-5"),
    "hydroxyisohexyl 3-cyclohexene carboxaldehyde": ("Hydroxyisohexyl 3-Cyclohexene Carboxaldehyde", "31906-04-4"),
    "isoeugenol": ("Isoeugenol", "97-54-1"),
    "limonene": ("Limonene", "5989-27-5"),
    "linalool": ("Linalool", "78-70-6"),
    "methyl 2-octynoate": ("Methyl 2-Octynoate", "111-12-6"),
    "alpha-isomethyl ionone": ("Alpha-Isomethyl Ionone", "127-51-5"),
    "oakmoss extract": ("Evernia Prunastri Extract", "90028-68-5"),
    "treemoss extract": ("Evernia Furfuracea Extract", "90028-67-4"),
}


def strength_percent(concentration) -> Decimal:
    """Share of concentrate in the finished product for a concentration type, in percent."""
    return Decimal(str(CONCENTRATIONS[concentration]))


def _in_product(line, strength) -> Decimal:
    return line.percent * strength / 100


def _ifra_key(standard: str) -> str:
    return standard.removeprefix("IFRA 51st, ").removesuffix(" (as constituent)")


def _ifra_on_constituent(standard: str) -> bool:
    # The same test the master's validation uses: these limits bind a constituent of the material
    # (eugenol in clove, coumarin in tonka, methyl eugenol in rose), not the material itself.
    return "constituent" in standard or "Methyl eugenol" in standard


def ifra_summary(lines, concentration) -> dict:
    """One row per IFRA standard the formula touches, with the finished product's level.

    `parts` are the materials the standard limits directly, each with its level in the product and
    its limit; `share` is sum(level / limit) over them (several citrus oils share one phototoxicity
    standard with different limits; their shares add up). `unrecorded` are materials that may
    contain the substance in an amount the master does not record (a natural that lists it, a
    constituent standard), counted whole in `share_max`. Status: "over" (share > 1),
    "check" (share <= 1 < share_max: the supplier's analysis decides), "within".
    """
    strength = strength_percent(concentration)
    rows = {}
    for line in lines:
        ifra = line.material.ifra
        if not ifra:
            continue
        key = _ifra_key(ifra["standard"])
        row = rows.setdefault(
            key, {"standard": key, "limit": Decimal(str(ifra["limit_finished_percent"])), "exact": [], "unrecorded": []}
        )
        level = _in_product(line, strength)
        part = {"name": line.material.name, "level": level, "limit": Decimal(str(ifra["limit_finished_percent"]))}
        row["unrecorded" if _ifra_on_constituent(ifra["standard"]) else "exact"].append(part)
    for key, row in rows.items():
        counted = {p["name"] for p in row["exact"] + row["unrecorded"]}
        for line in lines:
            if key.lower() in line.material.allergens and line.material.name not in counted:
                row["unrecorded"].append(
                    {"name": line.material.name, "level": _in_product(line, strength), "limit": row["limit"]}
                )
    out = []
    for row in rows.values():
        share = sum((p["level"] / p["limit"] for p in row["exact"]), Decimal(0))
        share_max = share + sum((p["level"] / p["limit"] for p in row["unrecorded"]), Decimal(0))
        status = "over" if share > 1 else "check" if share_max > 1 else "within"
        out.append(
            {
                "standard": row["standard"],
                "share": share,
                "share_max": share_max,
                "status": status,
                "parts": row["exact"],
                "unrecorded": row["unrecorded"],
            }
        )
    out.sort(key=lambda r: (-r["share_max"], r["standard"]))
    return {
        "concentration": concentration,
        "strength": strength,
        "category": 4,
        "rows": out,
        "status": "over"
        if any(r["status"] == "over" for r in out)
        else "check"
        if any(r["status"] == "check" for r in out)
        else "within",
    }


def allergen_declaration(lines, concentration) -> dict:
    """The EU-declarable substances of the finished product (leave-on: above 0.001 %).

    Each row: the label name, CAS, `level` (from materials that are the substance), `level_max`
    (plus every natural that lists it, counted whole), `declare` ("yes", "yes (upper bound)" when
    only the unrecorded content reaches the threshold, "no"). `label` is the declaration text.
    """
    strength = strength_percent(concentration)
    rows = {}
    for line in lines:
        level = _in_product(line, strength)
        for name in line.material.allergens:
            label, cas = EU_ALLERGENS[name]
            row = rows.setdefault(
                name,
                {
                    "name": label,
                    "cas": cas,
                    "level": Decimal(0),
                    "level_max": Decimal(0),
                    "sources": [],
                    "unrecorded": [],
                },
            )
            row["level_max"] += level
            if line.material.cas == cas:
                row["level"] += level
                row["sources"].append(line.material.name)
            else:
                row["unrecorded"].append(line.material.name)
    out = []
    for row in rows.values():
        row["declare"] = (
            "yes"
            if row["level"] >= LEAVE_ON_THRESHOLD
            else "yes (upper bound)"
            if row["level_max"] >= LEAVE_ON_THRESHOLD
            else "no"
        )
        out.append(row)
    out.sort(key=lambda r: (-r["level_max"], r["name"]))
    declared = [r["name"] for r in out if r["declare"] != "no"]
    return {
        "concentration": concentration,
        "strength": strength,
        "threshold": LEAVE_ON_THRESHOLD,
        "rows": out,
        "label": ", ".join(declared),
    }


def cost_per_kg(lines, prices, currency) -> dict:
    """Cost of one kg of concentrate from each material's cost tier and `prices` (tier -> price
    per kg, None where a curator set none). `per_kg` is None while a used tier has no price."""
    missing = sorted({line.material.cost_tier for line in lines if prices.get(line.material.cost_tier) is None})
    if missing:
        return {"per_kg": None, "missing_tiers": missing, "currency": currency}
    total = sum((line.percent / 100 * prices[line.material.cost_tier] for line in lines), Decimal(0))
    return {"per_kg": total.quantize(Decimal("0.01")), "missing_tiers": [], "currency": currency}
