from collections import Counter

import pytest

from apps.scents.ml.ingredients import cas_is_valid, master_default, master_document, master_validate
from apps.scents.ml.vocab import FAMILIES, TIERS


def test_the_curated_master_is_complete_and_consistent():
    doc = master_document()
    assert master_validate(doc) == []
    assert len(doc["ingredients"]) >= 60


def test_every_cas_number_passes_its_check_digit():
    bad = [row["name"] for row in master_document()["ingredients"] if not cas_is_valid(row["cas"])]
    assert bad == []


@pytest.mark.parametrize(
    "cas,valid",
    [
        ("7732-18-5", True),  # water
        ("121-33-5", True),  # vanillin
        ("121-33-6", False),
        ("91-64-5", True),  # coumarin
        ("91645", False),
        ("1-23-4", False),
    ],
)
def test_cas_check_digit(cas, valid):
    assert cas_is_valid(cas) is valid


def test_every_family_and_tier_has_materials():
    master = master_default()
    families = Counter(m.family for m in master.materials)
    assert set(families) == set(FAMILIES)
    assert {m.tier for m in master.materials} == set(TIERS)


def test_ifra_restricted_materials_keep_their_limits():
    rows = {r["name"]: r for r in master_document()["ingredients"]}
    # Category 4 limits divided by 0.25 (parfum strength): the ceiling holds for every concentration.
    assert rows["Oakmoss absolute"]["max_percent"] <= 0.4
    assert rows["Cinnamal"]["max_percent"] <= 0.2
    assert rows["Citral"]["max_percent"] <= 2.4
    assert rows["Eugenol"]["max_percent"] <= 2.0
    assert rows["Coumarin"]["max_percent"] <= 6.4
    assert "phototoxic" in rows["Bergamot oil FCF"]["notes"]
    assert all(r["ifra"]["category"] == 4 for r in rows.values() if r["ifra"])


def test_the_validator_reports_a_broken_row():
    doc = master_document()
    doc["ingredients"][0] = dict(doc["ingredients"][0], cas="8007-75-9", family="Smoky")
    problems = master_validate(doc)
    assert any("check digit" in p for p in problems)
    assert any("unknown family" in p for p in problems)
