"""Compute time of shot detection on many files in one process: ours against PySceneDetect.

Usage (from the repository root):
    nice -n 10 .venv/bin/python bench/adstudio_shots_batch.py [--inputs FILE_OR_FOLDER ...]
        [--clips 10 --seconds 40 --width 640 --height 360] [--repeat 3] [--out DIR]

Without ``--inputs`` it generates ``--clips`` synthetic "mixed" clips (apps/adstudio/video/
synth.py) once. Two ways are timed on the same files, in alternating order, ``--repeat`` times:

* **process**: one command does every file: ``manage.py video_shots --input FILES --output DIR
  --jobs JOBS`` (its default reads one video per CPU core at a time) against a Python process
  that imports scenedetect and runs ContentDetector on each file in turn. Start-up (Django,
  imports) is included, as a user meets it.
* **compute**: inside this process, one file after another, probe + decode + detection (ours)
  against ``scenedetect.detect`` (decode + detection); start-up excluded.

Each run records wall seconds and CPU seconds (user + system, ffmpeg children included); on a
machine shared with other work the CPU seconds say more. Prints the medians and the ratios
ours / content.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.adstudio.video.detect import shots_from_file
from apps.adstudio.video.probe import video_probe
from apps.adstudio.video.synth import clip_make

CONTENT_SCRIPT = """
import sys
import scenedetect
from scenedetect import detectors
for path in sys.argv[1:]:
    scenedetect.detect(path, detectors.ContentDetector())
"""


def inputs_make(args) -> list[Path]:
    if args.inputs:
        from apps.adstudio.management.commands.video_shots import _videos

        return _videos(args.inputs)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed in range(args.clips):
        path = out / f"mixed_{seed}_{args.width}x{args.height}_{args.seconds:g}s.mp4"
        if not path.exists():
            clip_make(path, kind="mixed", seed=500 + seed, seconds=args.seconds, width=args.width, height=args.height)
        paths.append(path)
    return paths


def process_ours(files: list[Path], jobs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "video_shots",
                "--input",
                *map(str, files),
                "--output",
                folder,
                "--jobs",
                str(jobs),
            ],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )


def process_content(files: list[Path]) -> None:
    subprocess.run([sys.executable, "-c", CONTENT_SCRIPT, *map(str, files)], check=True)


def compute_ours(files: list[Path]) -> None:
    for path in files:
        info = video_probe(path)
        shots_from_file(path, fps=info.fps, width=info.width, height=info.height)


def compute_content(files: list[Path]) -> None:
    import scenedetect
    from scenedetect import detectors

    for path in files:
        scenedetect.detect(str(path), detectors.ContentDetector())


def timed(run, files: list[Path]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its finished children)."""

    def cpu() -> float:
        own, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    t0, c0 = time.perf_counter(), cpu()
    run(files)
    return time.perf_counter() - t0, cpu() - c0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--inputs", nargs="+")
    parser.add_argument("--clips", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--width", type=int, default=640)
    parser.add_argument("--height", type=int, default=360)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="video_shots --jobs (process way)")
    parser.add_argument("--out", default="var/adstudio/batch")
    args = parser.parse_args()
    files = inputs_make(args)
    runs: dict[str, list[tuple[float, float]]] = {}
    ways = [
        ("process", lambda f: process_ours(f, args.jobs), process_content),
        ("compute", compute_ours, compute_content),
    ]
    for r in range(args.repeat):
        for way, ours, content in ways:
            # Alternate which goes first, so a change in the machine's load hits both alike.
            order = [("ours", ours), ("content", content)][:: 1 if r % 2 == 0 else -1]
            for name, run in order:
                runs.setdefault(f"{way} {name}", []).append(timed(run, files))
    report: dict = {}
    for key, values in runs.items():
        wall, cpu = zip(*values)
        report[key] = {
            "wall_median_s": round(statistics.median(wall), 2),
            "cpu_median_s": round(statistics.median(cpu), 2),
            "wall_runs_s": [round(x, 2) for x in wall],
            "cpu_runs_s": [round(x, 2) for x in cpu],
        }
    for way, _, _ in ways:
        ours, content = report[f"{way} ours"], report[f"{way} content"]
        report[f"{way} ratio ours/content"] = {
            m: round(ours[f"{m}_median_s"] / content[f"{m}_median_s"], 2) for m in ("wall", "cpu")
        }
    seconds = sum(video_probe(p).duration for p in files)
    print(f"{len(files)} files, {seconds:.0f} s of video")
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
