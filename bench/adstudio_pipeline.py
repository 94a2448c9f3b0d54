"""End-to-end timing of the analysis pipeline (no database) on one video, models warm.

Usage: nice -n 10 .venv/bin/python bench/adstudio_pipeline.py VIDEO [--runs 3] [--threads 2]

Loads EfficientNet-Lite0 once (and runs it once on a blank image so it is warm), then runs
``apps.adstudio.pipeline.video_analyse`` with the ``local`` provider ``--runs`` times and prints
each run's seconds per stage and the median total. On a shared machine, quote the median.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.adstudio.ml.vision import ImageModel
from apps.adstudio.pipeline import PipelineOptions, video_analyse


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("video")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    t0 = time.perf_counter()
    model = ImageModel(threads=args.threads)
    model.predict([np.zeros((224, 224, 3), np.uint8)])
    print(f"model load + warm-up: {time.perf_counter() - t0:.1f} s")
    totals = []
    for run in range(args.runs):
        marks = []
        start = time.perf_counter()

        def progress(done, total, note="", marks=marks):
            marks.append((time.perf_counter() - start, note))

        result = video_analyse(
            Path(args.video), model=model, options=PipelineOptions(provider="local"), progress=progress
        )
        total = time.perf_counter() - start
        totals.append(total)
        stages = "; ".join(f"{t:.1f}s {n}" for t, n in marks)
        print(
            f"run {run + 1}: {total:.1f} s total, {len(result['shots'])} shots, "
            f"{len(result['scenes'])} scenes | {stages}"
        )
    print(f"median total: {statistics.median(totals):.1f} s over {len(totals)} runs")


if __name__ == "__main__":
    main()
