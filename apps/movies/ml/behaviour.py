"""Behavioural suites of the review models (in the spirit of CheckList, Ribeiro et al. 2020).

A suite is a JSONL file (``tests/fixtures/behaviour/reviews_<lang>.jsonl``), one case a line:
``text``, ``capability`` (negated_positive, contrast, idiom_slang, gibberish, ...), ``expected``
(positive / negative, or ``none`` where the review holds no opinion) and ``source`` (the template
or "hand"). The suites measure; no model is trained or tuned on them.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

NONE = "none"


@dataclass(frozen=True)
class Case:
    text: str
    capability: str
    expected: str
    source: str


def suite_read(path: str | Path) -> list[Case]:
    """The cases of one suite file."""
    with open(path, encoding="utf-8") as handle:
        return [Case(**json.loads(line)) for line in handle if line.strip()]


def suite_score(predictor, cases: list[Case]) -> dict[str, dict]:
    """Per capability: ``n``, ``pass_rate`` (predicted label == expected label) and ``said``
    (how many cases got each label), scored as the product scores reviews (routed per text)."""
    predictions = predictor.predict([case.text for case in cases])
    grouped: dict[str, list[tuple[Case, str]]] = defaultdict(list)
    for case, prediction in zip(cases, predictions):
        grouped[case.capability].append((case, prediction.label))
    return {
        capability: {
            "n": len(pairs),
            "pass_rate": round(sum(case.expected == label for case, label in pairs) / len(pairs), 4),
            "said": dict(Counter(label for _, label in pairs)),
            "expected": NONE if all(case.expected == NONE for case, _ in pairs) else "opinion",
        }
        for capability, pairs in sorted(grouped.items())
    }


def pass_rate(results: dict[str, dict], capabilities: tuple[str, ...]) -> float:
    """Pooled pass rate over ``capabilities`` (cases weighted equally)."""
    n = sum(results[c]["n"] for c in capabilities)
    return sum(results[c]["pass_rate"] * results[c]["n"] for c in capabilities) / n
