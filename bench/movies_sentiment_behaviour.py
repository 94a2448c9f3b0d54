"""Pass rates of the review models on the behavioural suites, per capability and language.

    .venv/bin/python bench/movies_sentiment_behaviour.py [--store models_store] [--failures]

Scores ``tests/fixtures/behaviour/reviews_{en,ko}.jsonl`` with the artifacts in ``--store``
(a language missing there comes from models_store/; both loaded, each text routed as the
product routes it). A case passes when the
predicted label is the expected one; for the no-opinion capabilities (expected ``none``) the
table also says which labels the models gave.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.movies.ml.behaviour import pass_rate, suite_read, suite_score
from apps.movies.ml.sentiment.model import SentimentPredictor, load_language_model

SUITES = ROOT / "tests" / "fixtures" / "behaviour"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default=str(ROOT / "models_store"))
    parser.add_argument("--failures", action="store_true", help="print every failed case")
    args = parser.parse_args()
    paths = {lang: Path(args.store) / f"movies-sentiment-{lang}.npz" for lang in ("ko", "en")}
    predictor = SentimentPredictor(
        {
            lang: load_language_model(path if path.exists() else ROOT / "models_store" / path.name)
            for lang, path in paths.items()
        }
    )
    print(f"models {predictor.version}")
    summary = {}
    for lang in ("en", "ko"):
        cases = suite_read(SUITES / f"reviews_{lang}.jsonl")
        results = suite_score(predictor, cases)
        print(f"\n{lang}: {len(cases)} cases\n{'capability':<18} {'n':>4} {'pass':>6}  labels given")
        for capability, r in results.items():
            print(f"{capability:<18} {r['n']:>4} {r['pass_rate']:>6.3f}  {json.dumps(r['said'])}")
        opinion = tuple(c for c, r in results.items() if r["expected"] == "opinion")
        summary[lang] = {
            "negation_and_contrast": round(pass_rate(results, ("negated_positive", "negated_negative", "contrast")), 4),
            "all_opinion_cases": round(pass_rate(results, opinion), 4),
        }
        if args.failures:
            for case, p in zip(cases, predictor.predict([c.text for c in cases])):
                if p.label != case.expected:
                    print(
                        f"  FAIL {case.capability}: {case.text!r} expected {case.expected}, "
                        f"got {p.label} p={p.p_positive:.2f} rating={p.rating} ({p.language})"
                    )
    print("\n" + json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
