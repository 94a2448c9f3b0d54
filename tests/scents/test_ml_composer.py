import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.scents.ml import composer
from apps.scents.ml.ingredients import master_default
from apps.scents.ml.vocab import FAMILIES

MASTER = master_default()
NAMES = [m.name for m in MASTER.materials]

profiles = st.lists(
    st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False),
    min_size=len(FAMILIES),
    max_size=len(FAMILIES),
)
prefs = st.dictionaries(st.sampled_from(NAMES), st.floats(min_value=-1, max_value=1), max_size=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles, preferences=prefs)
def test_every_profile_gives_a_formula_that_meets_the_hard_constraints(profile, preferences):
    lines = composer.compose(profile, MASTER, preferences)
    assert composer.recipe_check(lines, MASTER) == []
    assert sum(line.units for line in lines) == 10000
    assert 6 <= len(lines) <= 15


@settings(max_examples=100, deadline=None)
@given(family=st.sampled_from(FAMILIES))
def test_a_single_family_profile_is_still_a_balanced_formula(family):
    lines = composer.compose({family: 1.0}, MASTER)
    assert composer.recipe_check(lines, MASTER) == []
    assert family in composer.family_shares(lines)


def test_an_all_zero_or_nan_profile_falls_back_to_a_valid_formula():
    for profile in ([0.0] * 14, [float("nan")] * 14, {}):
        assert composer.recipe_check(composer.compose(profile, MASTER), MASTER) == []


def test_the_formula_follows_the_profile():
    lines = composer.compose({"Floral": 0.7, "Green": 0.2, "Citrus": 0.1}, MASTER)
    assert list(composer.family_shares(lines))[0] == "Floral"
    lines = composer.compose({"Soft Amber": 0.8, "Amber": 0.2}, MASTER)
    assert list(composer.family_shares(lines))[0] == "Soft Amber"


def test_the_check_catches_each_kind_of_violation():
    lines = composer.compose({"Floral": 1.0}, MASTER)
    by_name = MASTER.by_name()
    broken = [composer.Line(lines[0].material, lines[0].units + 1)] + lines[1:]
    assert any("not 100.00" in p for p in composer.recipe_check(broken, MASTER))
    capped = [composer.Line(by_name["Oakmoss absolute"], 500)]
    assert any("outside" in p for p in composer.recipe_check(capped, MASTER))
    pair = [composer.Line(by_name["Indole"], 100), composer.Line(by_name["Vanillin"], 100)]
    assert any("incompatible" in p for p in composer.recipe_check(pair, MASTER))


def test_composing_is_deterministic():
    p = np.random.default_rng(3).dirichlet(np.ones(14))
    assert composer.compose(p, MASTER) == composer.compose(p, MASTER)


def test_disliked_materials_leave_the_formula_when_there_is_an_alternative():
    profile = {"Woods": 0.5, "Water": 0.3, "Citrus": 0.2}
    before = [line.material.name for line in composer.compose(profile, MASTER)]
    victim = before[0]
    after = [line.material.name for line in composer.compose(profile, MASTER, {victim: -1.0})]
    assert victim not in after
    assert composer.recipe_check(composer.compose(profile, MASTER, {victim: -1.0}), MASTER) == []


def test_concentration_longevity_and_season_follow_the_character():
    fresh = composer.compose({"Citrus": 0.8, "Aromatic": 0.2}, MASTER)
    heavy = composer.compose({"Amber": 0.6, "Soft Amber": 0.4}, MASTER)
    assert composer.concentration_for({"Citrus": 0.8, "Aromatic": 0.2}) == "eau de cologne"
    assert composer.concentration_for({"Amber": 0.6, "Soft Amber": 0.4}) == "parfum"
    assert composer.longevity_hours(heavy, "parfum") > composer.longevity_hours(fresh, "eau de cologne")
    assert composer.season_for(fresh) == "summer"
    assert composer.season_for(heavy) in ("autumn", "winter")
