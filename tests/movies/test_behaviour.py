"""The behavioural suites run against the shipped review models (models_store/, loaded through
the registry as the site loads them): pass rates per capability must not fall below the floors
measured when the models shipped. The no-opinion capabilities (neutral facts, gibberish) are
the abstention's to pass and have no floor here."""

from pathlib import Path

import pytest

from apps.core.registry import ml_cache_clear
from apps.movies.ml.behaviour import pass_rate, suite_read, suite_score

SUITES = Path(__file__).resolve().parents[1] / "fixtures" / "behaviour"
NEGATION_AND_CONTRAST = ("negated_positive", "negated_negative", "contrast")
# Pass rates of the shipped models (bench/movies_sentiment_behaviour.py); a floor is the rate
# the model reached, so losing one case fails. With the whole English encoder fine-tuned
# (en-20261206181725, chosen on SST-2 validation and kept for its SST-2 dev gain, not for this
# suite) English contrast went 0.9333 -> 1.0 (two cases gained) and two capabilities lost one
# case each: negated negatives 0.52 -> 0.48 ("The movie was not bad at all.", P(positive) 0.49)
# and idioms 0.95 -> 0.90 ("It blew me away.").
FLOORS = {
    "en": {
        "contrast": 1.0,
        "idiom_slang": 0.9,
        "intensifier": 1.0,
        "mixed_language": 1.0,
        "negated_negative": 0.48,
        "negated_positive": 1.0,
        "sarcasm": 0.7,
        "short": 1.0,
    },
    "ko": {
        "contrast": 1.0,
        "idiom_slang": 1.0,
        "intensifier": 1.0,
        "mixed_language": 1.0,
        "negated_negative": 0.44,
        "negated_positive": 1.0,
        "sarcasm": 1.0,
        "short": 1.0,
    },
}


@pytest.fixture(scope="module")
def shipped_results():
    from apps.movies.scoring import predictor_get

    ml_cache_clear()
    predictor = predictor_get()
    yield {lang: suite_score(predictor, suite_read(SUITES / f"reviews_{lang}.jsonl")) for lang in FLOORS}
    ml_cache_clear()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_each_suite_has_at_least_150_cases_over_every_capability(lang):
    cases = suite_read(SUITES / f"reviews_{lang}.jsonl")
    assert len(cases) >= 150 and len({c.text for c in cases}) == len(cases)
    assert {c.capability for c in cases} == {
        *NEGATION_AND_CONTRAST,
        "intensifier",
        "idiom_slang",
        "short",
        "mixed_language",
        "sarcasm",
        "neutral_fact",
        "gibberish",
    }
    assert {c.expected for c in cases} == {"positive", "negative", "none"}


def test_the_english_model_reads_negation_and_contrast(shipped_results):
    # 0.625 with the n-gram model alone (en-20261121125218), 0.75 with a LoRA encoder trained on
    # 20,000 SST-2 phrases (en-20261206055231), 0.825 on all of them for two epochs
    # (en-20261206133525), 0.8375 with the whole encoder fine-tuned (en-20261206181725; the
    # encoder alone passes 0.8875; blended with the n-grams, 4 fewer). The aim is
    # 0.90: negated negatives (0.48) are what is left.
    assert pass_rate(shipped_results["en"], NEGATION_AND_CONTRAST) >= 0.8375  # 67 of 80


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_capability_falls_below_its_floor(shipped_results, lang):
    results = shipped_results[lang]
    below = {c: results[c]["pass_rate"] for c, floor in FLOORS[lang].items() if results[c]["pass_rate"] < floor}
    assert not below, f"{lang} below the floor: {below}"
