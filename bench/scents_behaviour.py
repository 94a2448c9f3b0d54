"""Pass rates of the scents behavioural suite per capability and language (no database needed).

    .venv/bin/python bench/scents_behaviour.py [--artifact models_store/scents-profile.npz] [--failures]

A junk case (gibberish, off-topic, one repeated word) passes when it is not understood and its
confidence is below the lowest quartile of the suite's real scenes' confidence; a real scene passes
when it is understood (apps/scents/ml/behaviour.py). An artifact without a scene check understands
everything, so only its real scenes can pass: compare artifacts with --artifact.
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SUITE = ROOT / "tests" / "fixtures" / "behaviour" / "scents.jsonl"


def main():
    from apps.scents.ml.behaviour import suite_load, suite_score
    from apps.scents.ml.pipeline import ScentEngine
    from apps.scents.ml.profile.load import profile_model_load

    parser = argparse.ArgumentParser()
    parser.add_argument("--artifact", default=str(ROOT / "models_store" / "scents-profile.npz"))
    parser.add_argument("--failures", action="store_true", help="also list the cases that fail")
    args = parser.parse_args()
    engine = ScentEngine(profile_model_load(args.artifact, Path(args.artifact).stem))
    report = suite_score(engine, suite_load(SUITE))
    print(
        f"{args.artifact}: real scenes' confidence Q1 {report['real_confidence_q1']}, "
        f"AUROC real vs junk {report['auroc']}"
    )
    print(f"{'capability':22} {'n':>4} {'all':>6} {'en':>6} {'ko':>6}")
    for cap, rates in report["capabilities"].items():
        print(
            f"{cap:22} {rates['n']:>4} {rates['all']:>6.2f} {rates.get('en', float('nan')):>6.2f} "
            f"{rates.get('ko', float('nan')):>6.2f}"
        )
    if args.failures:
        for case in report["cases"]:
            if not case["passed"]:
                print(
                    json.dumps(
                        {k: case[k] for k in ("id", "description", "confidence", "understood")}, ensure_ascii=False
                    )
                )


if __name__ == "__main__":
    main()
