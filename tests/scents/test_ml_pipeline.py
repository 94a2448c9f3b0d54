import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.scents.ml import composer
from apps.scents.ml.feedback import preferences_from_feedback, preferences_version
from apps.scents.ml.pipeline import ScentEngine
from apps.scents.ml.scenarios import ARCHETYPES, concept_scenarios, scenarios_generate, split_archetypes
from apps.scents.ml.text import SceneInputError, scene_input_clean
from apps.scents.ml.vocab import FAMILIES, FIELDS

from .helpers import HashEncoder, tiny_model

SCENES = [
    {"description": "Rain falls on a neon street at night", "weather": "rain", "time_of_day": "night"},
    {"description": "밤에 네온사인이 비치는 거리에 비가 내린다", "genre": "crime"},
    {"description": "A rose garden in spring", "season": "spring", "mood": "romantic"},
]


@pytest.fixture
def engine():
    return ScentEngine(tiny_model(), encoder=HashEncoder())


def _check(engine, result):
    by_name = engine.master.by_name()
    lines = [composer.Line(by_name[i["name"]], round(i["percent"] * 100)) for i in result["recipe"]["ingredients"]]
    return composer.recipe_check(lines, engine.master)


def test_each_result_has_the_batch_output_shape_and_meets_the_constraints(engine):
    results = engine.compose_many([scene_input_clean(s) for s in SCENES])
    for res in results:
        assert _check(engine, res) == []
        assert set(res["recipe"]) == {"ingredients", "families", "concentration", "longevity_hours", "season"}
        assert set(res["recipe"]["ingredients"][0]) == {"name", "cas", "family", "tier", "percent", "max_percent"}
        assert round(sum(i["percent"] for i in res["recipe"]["ingredients"]), 2) == 100.0
        assert 0.0 <= res["confidence"] <= 1.0
        assert res["model_version"] == engine.version
        assert set(res["profile"]) == set(FAMILIES)


def test_confidence_depends_on_the_scene(engine):
    results = engine.compose_many([scene_input_clean(s) for s in SCENES])
    assert len({r["confidence"] for r in results}) > 1


def test_explanations_name_words_of_the_scene_and_given_fields(engine):
    res = engine.compose_one(scene_input_clean(SCENES[0]))
    words = {w["word"] for w in res["explanation"]["words"]}
    assert words <= {"rain", "falls", "neon", "street", "night", "fall"}
    assert all(f["family"] in FAMILIES for f in res["explanation"]["fields"])


def test_the_same_input_is_served_from_the_cache_and_a_new_model_invalidates_it(engine):
    clean = scene_input_clean(SCENES[0])
    first = engine.compose_one(clean)
    assert engine.compose_one(dict(clean)) == first
    other = ScentEngine(tiny_model(seed=1, version="test-model-2"), encoder=HashEncoder())
    assert other.compose_one(clean)["cache_key"] != first["cache_key"]


def test_feedback_preferences_change_later_recipes(engine):
    clean = scene_input_clean(SCENES[2])
    before = engine.compose_one(clean)
    names = [i["name"] for i in before["recipe"]["ingredients"]]
    rows = [{"rating": 1, "ingredients": names, "liked": [], "disliked": [names[0]]}] * 3
    prefs = preferences_from_feedback(rows)
    assert prefs[names[0]] < -0.5
    tuned = ScentEngine(engine.model, prefs=prefs, encoder=HashEncoder())
    after = tuned.compose_one(clean)
    assert names[0] not in [i["name"] for i in after["recipe"]["ingredients"]]
    assert after["model_version"] != before["model_version"]
    assert after["model_version"].endswith(preferences_version(prefs))


def test_liked_materials_gain_weight():
    rows = [{"rating": 5, "ingredients": ["Hedione", "Vanillin"], "liked": ["Hedione"], "disliked": []}]
    prefs = preferences_from_feedback(rows)
    assert prefs["Hedione"] > prefs["Vanillin"] > 0
    assert preferences_version({}) == "nofb"


def test_the_generator_is_deterministic_bilingual_and_splits_whole_archetypes():
    a = scenarios_generate(per_archetype=3, seed=5)
    b = scenarios_generate(per_archetype=3, seed=5)
    assert [s.description for s in a] == [s.description for s in b]
    assert {s.lang for s in a} == {"en", "ko"}
    assert all(abs(sum(s.target.values()) - 1) < 1e-3 for s in a)
    train, val, test = split_archetypes()
    assert not (set(train) & set(test)) and not (set(val) & set(test))
    assert set(train) | set(val) | set(test) == {arch.key for arch in ARCHETYPES}
    assert len(concept_scenarios(per_concept=2)) > 100


def test_the_real_encoder_puts_a_korean_scene_next_to_its_english_translation():
    from apps.core.ml.text_encoder import encoder_shared

    vecs = encoder_shared().encode(
        ["rain on a neon street at night", "밤에 네온 거리에 비가 내린다", "a bakery with warm bread in the morning"]
    )
    assert float(vecs[0] @ vecs[1]) > float(vecs[1] @ vecs[2])
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)


_ENGINE = ScentEngine(tiny_model(), encoder=HashEncoder())
field_values = {
    name: st.one_of(st.just(""), st.sampled_from(values), st.text(max_size=12)) for name, values in FIELDS.items()
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    description=st.one_of(
        st.text(max_size=300), st.text(alphabet="비밤장미 rain night🌧️", max_size=60), st.just(""), st.just("x" * 5000)
    ),
    fields=st.fixed_dictionaries(field_values),
)
def test_any_input_is_either_refused_clearly_or_composed_within_the_constraints(description, fields):
    try:
        clean = scene_input_clean({"description": description, **fields})
    except SceneInputError as exc:
        assert exc.field in ("description", *FIELDS) and exc.message
        return
    result = _ENGINE.compose_one(clean)
    assert _check(_ENGINE, result) == []
    assert 0.0 <= result["confidence"] <= 1.0
