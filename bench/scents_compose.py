"""Throughput of `manage.py scenes_compose` (embedding included) and warm per-scene latency.

    .venv/bin/python bench/scents_compose.py --n 5000 --repeats 3 --workers 1 2

Scenes are distinct texts (generated with a seed the training never used, Korean and English
mixed), so neither the embedding cache nor the recipe cache helps. Each command run is a fresh
process: model loading is inside the timing printed by the command? No: the command prints its
own compose time (after the model is loaded); the wall time of the process is shown too.
Needs a migrated database (the ingredient master is read from it).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def scenes(n):
    from apps.scents.ml.scenarios import scenarios_generate

    pool = scenarios_generate(per_archetype=max(2, n // 80 + 1), seed=987654)
    seen, out = set(), []
    for s in pool:
        if s.description not in seen:
            seen.add(s.description)
            out.append({"id": len(out), "description": s.description, **s.fields})
    return out[:n]


def run_command(src, dst, workers):
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "scenes_compose",
            "--input",
            src,
            "--output",
            dst,
            "--workers",
            str(workers),
            "--skip-checks",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - t0
    rate = float(re.search(r"([\d.]+) scenes/s", proc.stderr).group(1))
    cpu = float(re.search(r"cpu ([\d.]+) s", proc.stderr).group(1))  # the parent's only
    return rate, wall, int(re.search(r"(\d+) composed", proc.stderr).group(1)) / max(cpu, 1e-9)


def single_latency(n):
    """Warm latency of one scene on the page: POST to the compose preview view (validation,
    embedding, profile, explanation, composer, HTML), distinct texts so no cache helps."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")
    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    client = Client()
    client.post("/scents/compose/preview/", {"description": "warm up the encoder and the model"})
    times = []
    nonce = int(time.time())  # a new number per run: the Django cache must not answer
    for row in scenes(n):
        data = {k: v for k, v in row.items() if k != "id"}
        data["description"] = f"{data['description']} #{nonce}"
        t0 = time.perf_counter()
        response = client.post("/scents/compose/preview/", data)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200 and b"<svg" in response.content, response.content[:300]
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--single", type=int, default=50)
    args = parser.parse_args()
    rows = scenes(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.jsonl"), os.path.join(tmp, "out.jsonl")
        Path(src).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
        report = {"n": len(rows), "load_avg_before": os.getloadavg()}
        for workers in args.workers:
            runs = [run_command(src, dst, workers) for _ in range(args.repeats)]
            report[f"workers_{workers}"] = {
                "scenes_per_s_median": statistics.median(r for r, _, _ in runs),
                "scenes_per_s_runs": [r for r, _, _ in runs],
                "process_wall_s_median": round(statistics.median(w for _, w, _ in runs), 2),
            }
            if workers == 1:  # CPU time of the one process: what a free core would do, whatever the load
                report["workers_1"]["scenes_per_cpu_s_median"] = round(statistics.median(c for _, _, c in runs), 1)
        times = single_latency(args.single)
        report["single_scene_ms"] = {
            "median": round(statistics.median(times), 1),
            "p90": round(sorted(times)[int(0.9 * len(times)) - 1], 1),
            "n": len(times),
        }
        report["load_avg_after"] = os.getloadavg()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
