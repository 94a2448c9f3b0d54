"""Build apps/genres/fixtures/demo_experiments.json from the results of real runs (figures only).

    .venv/bin/python bench/movies_genres_demo_fixture.py \
        --run var/genres/exp4/results.json "seed 13, seven heads" "python bench/movies_genres_experiment.py ..." \
        [--run RESULTS NAME COMMAND ...] [--out apps/genres/fixtures/demo_experiments.json]

RESULTS is a ``results.json`` of bench/movies_genres_experiment.py (one model per head), of
bench/movies_genres_ensemble.py or movies_genres_crossfit.py build (one ensemble), or
``KIND=RESULTS,KIND=RESULTS`` to show several such ensembles as the models of one run (the first
one is the run's pick). Kept: config, data split sizes, scalar metrics per
evaluation subset, the per-genre table on test movies with both modalities, artifact versions and
hashes (no paths: the weights stay out of the fixture), the summary. Nothing is computed here.
The demo (apps/genres/demo.py) imports the records in file order, so the last one is the newest.
"""

import argparse
import json
import time
from pathlib import Path

SUBSETS = ("val", "val_both", "test_all", "test_both", "test_image", "test_plot_only")


def scalars(m: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items() if not isinstance(v, dict)}


def per_genre(m: dict) -> dict:
    return {
        g: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in row.items()}
        for g, row in m.get("per_genre", {}).items()
    }


def record(spec: str, name: str, command: str) -> dict:
    if "=" in spec:  # "ensemble=path,text=path": ensembles built separately, shown as one run
        return combined(spec, name, command)
    path = Path(spec)
    res = json.loads(path.read_text())
    if "models" in res:  # an experiment run: several heads
        models, config, summary = res["models"], res["config"], res["summary"]
        artifacts = {
            k: {
                "version": m["version"],
                "sha256": m["sha256"],
                "params": m["params"],
                "train_seconds": m["train_seconds"],
                "epochs_run": m["fit"]["epochs_run"],
            }
            for k, m in models.items()
        }
    else:  # an ensemble over runs (bench/movies_genres_ensemble.py)
        models = {"ensemble": {"metrics": res["metrics"]}}
        config = {"heads": ["ensemble"], "members": res["members"]}
        summary = {"ranking": ["ensemble"], "best_fusion": "ensemble", "deploy_candidate": "ensemble"}
        artifacts = {"ensemble": {"version": res["version"], "sha256": res["sha256"]}}
    return {
        "key": f"{path.parent.name}:{artifacts[next(iter(artifacts))]['version']}",
        "name": name,
        "source": {
            "command": command,
            "results": str(path),
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(path.stat().st_mtime)),
            "note": "imported demo record: figures of a real run on the shared genre data; weights not shipped",
        },
        "config": config,
        "dataset": res["data"],
        "metrics": {k: {s: scalars(m["metrics"][s]) for s in SUBSETS if s in m["metrics"]} for k, m in models.items()},
        "per_genre": {k: per_genre(m["metrics"]["test_both"]) for k, m in models.items()},
        "artifacts": artifacts,
        "summary": summary,
    }


def combined(spec: str, name: str, command: str) -> dict:
    parts = [record(p, name, command) for p in (x.split("=", 1)[1] for x in spec.split(","))]
    kinds = [x.split("=", 1)[0] for x in spec.split(",")]
    out = parts[0]
    out["key"] = "+".join(f"{k}:{p['key']}" for k, p in zip(kinds, parts))
    out["config"] = {"heads": kinds, "members": {k: p["config"]["members"] for k, p in zip(kinds, parts)}}
    for field in ("metrics", "per_genre", "artifacts"):
        out[field] = {k: p[field]["ensemble"] for k, p in zip(kinds, parts)}
    f1 = {k: out["metrics"][k]["test_both"]["f1_macro"] for k in kinds}
    single = [k for k in kinds if k in ("text", "image")]
    fusion = [k for k in kinds if k not in single]
    out["summary"] = {"ranking": sorted(kinds, key=lambda k: -f1[k]), "deploy_candidate": kinds[0]}
    if single and fusion:
        best_s, best_f = max(single, key=f1.get), max(fusion, key=f1.get)
        out["summary"].update(
            best_single=best_s, best_fusion=best_f, fusion_gain_f1_macro=round(f1[best_f] - f1[best_s], 4)
        )
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", nargs=3, action="append", required=True, metavar=("RESULTS", "NAME", "COMMAND"))
    ap.add_argument("--out", default="apps/genres/fixtures/demo_experiments.json")
    args = ap.parse_args()
    out = {
        "about": "Genre-model runs measured on ../shared/data/genres (built by bench/movies_genres_demo_fixture.py)",
        "experiments": [record(p, name, cmd) for p, name, cmd in args.run],
    }
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")
    print(f"{args.out}: {len(out['experiments'])} records, {Path(args.out).stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
