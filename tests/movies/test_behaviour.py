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
# the model reached, so losing one case fails. With e5-small as the English encoder's base
# (en-20261206230833, its recipe chosen on SST-2 validation, the suite read once after training)
# negated negatives went 0.48 -> 0.72 (seven fixed, "I never once checked my watch." lost) and
# sarcasm 0.70 -> 0.80; idioms stayed at 0.90 with one case swapped ("It blew me away." fixed,
# "It jumped the shark in the first act." lost).
FLOORS = {
    "en": {
        "contrast": 1.0,
        "idiom_slang": 0.9,
        "intensifier": 1.0,
        "mixed_language": 1.0,
        "negated_negative": 0.72,
        "negated_positive": 1.0,
        "sarcasm": 0.8,
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
    # (en-20261206133525), 0.8375 with MiniLM fine-tuned whole (en-20261206181725), 0.9125 with
    # e5-small fine-tuned whole (en-20261206230833; 7 cases fixed, 1 broken, paired SE 0.035).
    # The aim is 0.90.
    assert pass_rate(shipped_results["en"], NEGATION_AND_CONTRAST) >= 0.9125  # 73 of 80


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_capability_falls_below_its_floor(shipped_results, lang):
    results = shipped_results[lang]
    below = {c: results[c]["pass_rate"] for c, floor in FLOORS[lang].items() if results[c]["pass_rate"] < floor}
    assert not below, f"{lang} below the floor: {below}"
