"""Shot detection benchmark: our detector against PySceneDetect's detectors on synthetic clips.

Usage (from the repository root):
    nice -n 10 .venv/bin/python bench/adstudio_shots.py [--seeds 100 101 102] [--seconds 30]
        [--width 320 --height 180] [--out var/adstudio/bench]

Clips are generated with known transitions (apps/adstudio/video/synth.py) for every kind: cuts,
dissolves, fades, flashes, motion (fast pans with shake), mixed. Every detector scores the same
files with the same matching (apps/adstudio/video/evaluate.py, 2-frame tolerance). Times are
wall seconds per detector on the whole set, decoding included; on a shared machine read them as
rough, and compare medians of repeated runs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.adstudio.video.detect import shots_from_file
from apps.adstudio.video.evaluate import boundaries_of, boundaries_score
from apps.adstudio.video.probe import video_probe
from apps.adstudio.video.synth import KINDS, clip_make


def ours(path: Path) -> list[int]:
    info = video_probe(path)
    result = shots_from_file(path, fps=info.fps, width=info.width, height=info.height)
    return boundaries_of(result["shots"])


def pyscenedetect(name: str):
    import scenedetect
    from scenedetect import detectors

    def run(path: Path) -> list[int]:
        detector = {
            "content": detectors.ContentDetector,
            "adaptive": detectors.AdaptiveDetector,
            "histogram": detectors.HistogramDetector,
            "hash": detectors.HashDetector,
            "threshold": detectors.ThresholdDetector,
        }[name]()
        scenes = scenedetect.detect(str(path), detector)
        return [start.frame_num for start, _ in scenes[1:]]

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, nargs="+", default=[100, 101, 102])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--width", type=int, default=320)
    parser.add_argument("--height", type=int, default=180)
    parser.add_argument("--kinds", nargs="+", default=list(KINDS))
    parser.add_argument(
        "--detectors", nargs="+", default=["ours", "content", "adaptive", "histogram", "hash", "threshold"]
    )
    parser.add_argument("--out", default="var/adstudio/bench")
    parser.add_argument(
        "--repeat", type=int, default=1, help="time each detector this many times; report the median total"
    )
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    clips = []
    for kind in args.kinds:
        for seed in args.seeds:
            path = out / f"{kind}_{seed}_{args.width}x{args.height}_{args.seconds:g}s.mp4"
            gt_path = path.with_suffix(".json")
            if not gt_path.exists():
                gt = clip_make(path, kind=kind, seed=seed, seconds=args.seconds, width=args.width, height=args.height)
                gt_path.write_text(json.dumps(gt))
            clips.append((kind, path, json.loads(gt_path.read_text())))
    report = {}
    for name in args.detectors:
        run = ours if name == "ours" else pyscenedetect(name)
        totals = []
        for _ in range(args.repeat):
            per_kind: dict[str, dict] = {}
            seconds = []
            for kind, path, gt in clips:
                t0 = time.perf_counter()
                predicted = run(path)
                seconds.append(time.perf_counter() - t0)
                score = boundaries_score(predicted, gt["transitions"])
                agg = per_kind.setdefault(kind, {"tp": 0, "fp": 0, "fn": 0})
                for key in agg:
                    agg[key] += score[key]
            totals.append(sum(seconds))
        report[name] = {
            "kinds": {k: _f1(v) for k, v in per_kind.items()},
            "all": _f1({key: sum(v[key] for v in per_kind.values()) for key in ("tp", "fp", "fn")}),
            "seconds_total": round(statistics.median(totals), 2),
            "seconds_runs": [round(t, 2) for t in totals],
            "seconds_median_clip": round(statistics.median(seconds), 3),
        }
        print(name, json.dumps(report[name]), flush=True)
    (out / "report.json").write_text(json.dumps(report, indent=2))
    _table(report, args.kinds)


def _f1(c: dict) -> dict:
    p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
    r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
    return {**c, "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def _table(report: dict, kinds: list[str]) -> None:
    print("\nF1 per clip kind (tp/fp/fn summed over seeds); seconds = median total wall time")
    print("detector".ljust(10) + "".join(k.rjust(10) for k in [*kinds, "all"]) + "  seconds")
    for name, r in report.items():
        cells = [r["kinds"][k]["f1"] for k in kinds] + [r["all"]["f1"]]
        print(name.ljust(10) + "".join(f"{c:10.3f}" for c in cells) + f"  {r['seconds_total']:7.2f}")


if __name__ == "__main__":
    main()
