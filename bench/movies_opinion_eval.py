"""The "no opinion" detector: its held-out figures, the behavioural suites, and its cost.

    .venv/bin/python bench/movies_opinion_eval.py [--repeats 3]

1. The manifest's held-out figures of ``movies-opinion`` (test split: IMDB / NSMC reviews that
   the sentiment models never saw, held-out TMDB movies, Django messages, generated mash).
2. ``tests/fixtures/behaviour/reviews_{en,ko}.jsonl`` (written by another engineer, never used
   for training or the threshold) scored as the product scores reviews (``review_score``): per
   capability the share that got "none"; for the capabilities that expect "none" that is the
   recall, for the others a false abstention. Precision of "none" over both suites.
3. Single-review latency of ``review_score`` with and without the detector (median of repeats).
"""

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")

import django

django.setup()

from apps.core.registry import manifest_read
from apps.movies.ml.behaviour import suite_read
from apps.movies.scoring import OPINION_NAME, predictor_get, review_score

SUITES = ROOT / "tests" / "fixtures" / "behaviour"


def suites() -> None:
    none_said = none_right = 0
    for lang in ("en", "ko"):
        cases = suite_read(SUITES / f"reviews_{lang}.jsonl")
        scores = review_score([c.text for c in cases])
        by_capability = defaultdict(list)
        for case, score in zip(cases, scores):
            by_capability[case.capability].append((case.expected, score.label))
            none_said += score.label == "none"
            none_right += score.label == "none" and case.expected == "none"
        print(f"\n{lang}: {len(cases)} cases\n{'capability':<18} {'n':>4} {'got none':>9}  expected")
        for capability, pairs in by_capability.items():
            share = sum(label == "none" for _, label in pairs) / len(pairs)
            expected = "none" if pairs[0][0] == "none" else "an opinion"
            print(f"{capability:<18} {len(pairs):>4} {share:>9.3f}  {expected}")
    print(f"\nprecision of 'none' over both suites: {none_right}/{none_said}")


def latency(repeats: int) -> None:
    texts = [
        "A wonderful, moving film.",
        "정말 재미있는 영화였어요",
        "It was not bad at all, actually good.",
        "Too long and the ending made no sense to me, but the actors were fine.",
    ]
    predictor = predictor_get()
    review_score(texts)  # load and warm every model
    for label, run in (
        ("sentiment only", lambda t: predictor.predict([t])),
        ("review_score (sentiment + detector)", lambda t: review_score([t])),
    ):
        times = []
        for r in range(repeats):
            for text in texts:
                started = time.perf_counter()
                run(f"{text} {r}")  # a new text each time: the encoder caches what it saw
                times.append((time.perf_counter() - started) * 1000)
        print(f"{label:<38} median {statistics.median(times):6.1f} ms per review ({len(times)} calls)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    entry = manifest_read()["models"].get(OPINION_NAME)
    if entry is None:
        sys.exit("no movies-opinion model in the manifest: run manage.py train_opinion")
    print(f"{OPINION_NAME} {entry['version']}, threshold {entry['metrics']['threshold']}")
    print("held-out (test split):", json.dumps(entry["metrics"]["test"], indent=1))
    suites()
    print()
    latency(args.repeats)


if __name__ == "__main__":
    main()
