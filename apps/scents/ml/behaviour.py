"""The scents behavioural suite (tests/fixtures/behaviour/scents.jsonl) scored against an engine.

Capabilities: gibberish, off-topic text (news, everyday messages, recipes, code, shopping lists),
one repeated word, and real scenes, in English and Korean. A junk case passes when the engine says
it did not understand it *and* its confidence is below the lowest quartile of the suite's real
scenes' confidence; a real scene passes when it is understood. Nothing is trained or tuned on it.
"""

import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from .text import scene_input_clean


def suite_load(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def suite_score(engine, rows):
    """{"real_confidence_q1", "auroc", "capabilities": {capability: {lang: rate, "all": rate, "n"}},
    "cases": [row + result]} for the suite rows."""
    from sklearn.metrics import roc_auc_score

    results = engine.compose_many([scene_input_clean({"description": r["description"]}) for r in rows], explain=False)
    real = np.array([res["confidence"] for r, res in zip(rows, results) if r["expect"] == "scene"])
    q1 = float(np.percentile(real, 25))
    cases, by_cap = [], defaultdict(list)
    for row, res in zip(rows, results):
        understood = res.get("understood", True)
        ok = understood if row["expect"] == "scene" else (not understood and res["confidence"] < q1)
        cases.append(dict(row, confidence=res["confidence"], understood=understood, passed=bool(ok)))
        by_cap[row["capability"]].append((row["lang"], ok))
    caps = {}
    for cap, items in sorted(by_cap.items()):
        caps[cap] = {"n": len(items), "all": round(float(np.mean([ok for _, ok in items])), 4)}
        for lang in sorted({lg for lg, _ in items}):
            caps[cap][lang] = round(float(np.mean([ok for lg, ok in items if lg == lang])), 4)
    y = [c["expect"] == "scene" for c in cases]
    return {
        "real_confidence_q1": round(q1, 4),
        "auroc": round(float(roc_auc_score(y, [c["confidence"] for c in cases])), 4),
        "capabilities": caps,
        "cases": cases,
    }
