"""``benchmark_models()``: inference speed and peak memory of trained genre models.

Each model runs in a fresh Python process so its peak resident memory (``ru_maxrss``: torch,
both encoders, the head and the activations) is its own. Per model we report: load time,
warm single-movie latency (median over movies, full pipeline: decode poster, encode plot and
poster, head), batch throughput, head-only latency, and peak RSS. Timings on a shared machine are
noisy: medians, and the caller should say the machine was shared.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import torch


def benchmark_models(
    artifacts: dict[str, str], items_file: str | Path, *, singles: int = 20, batch: int = 32, threads: int = 1
) -> dict[str, dict]:
    """Benchmark each ``{name: artifact path}`` on the movies in ``items_file`` (JSONL: id, plot, poster)."""
    out = {}
    for name, path in artifacts.items():
        cmd = [
            sys.executable,
            "-m",
            "apps.genres.ml.benchmark",
            str(path),
            str(items_file),
            str(singles),
            str(batch),
            str(threads),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parents[3])
        out[name] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def _bench_one(path: str, items_file: str, singles: int, batch: int, threads: int) -> dict:
    torch.set_num_threads(threads)
    from .predictor import GenrePredictor, MovieInput

    t0 = time.perf_counter()
    predictor = GenrePredictor.load(path)
    predictor.warm_up()
    load_s = time.perf_counter() - t0
    rss_loaded = _rss_mb()
    rows = [json.loads(line) for line in Path(items_file).read_text().splitlines() if line.strip()]
    items = [MovieInput(id=r.get("id"), plot=r.get("plot"), poster=r.get("poster")) for r in rows]
    single = []
    for item in items[:singles]:
        t = time.perf_counter()
        predictor.predict([item])
        single.append(time.perf_counter() - t)
    explain = []
    for item in items[:5]:  # what a "Suggest genres" job does: prediction + 3 Grad-CAMs + word scores
        t = time.perf_counter()
        predictor.explain(item, top_k=3)
        explain.append(time.perf_counter() - t)
    t = time.perf_counter()
    predictor.predict(items, batch_size=batch)
    batch_s = time.perf_counter() - t
    encoded, _, _, _ = predictor._encode(items[:batch])
    head_ms = []
    with torch.no_grad():
        for _ in range(20):
            t = time.perf_counter()
            predictor.head(encoded)
            head_ms.append((time.perf_counter() - t) * 1000 / len(items[:batch]))
    return {
        "kind": predictor.kind,
        "params": sum(p.numel() for p in predictor.head.parameters()),
        "artifact_mb": round(Path(path).stat().st_size / 1e6, 2),
        "load_s": round(load_s, 2),
        "single_ms_median": round(statistics.median(single) * 1000, 1),
        "single_ms_max": round(max(single) * 1000, 1),
        "explain_ms_median": round(statistics.median(explain) * 1000, 1),
        "batch_movies_per_s": round(len(items) / batch_s, 2),
        "head_ms_per_movie": round(statistics.median(head_ms), 3),
        "rss_after_load_mb": rss_loaded,
        "peak_rss_mb": _rss_mb(),
        "threads": threads,
        "movies": len(items),
    }


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


if __name__ == "__main__":
    p, f, s, b, th = sys.argv[1:6]
    print(json.dumps(_bench_one(p, f, int(s), int(b), int(th))))
