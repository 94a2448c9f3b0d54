"""The face finder before and after, on the same keyframes in one run: what it finds and its cost.

    nice -n 10 .venv/bin/python bench/adstudio_faces.py [--baseline COMMIT] [--repeat 3]

Keyframes: the 260 labelled ones of ``bench/adstudio_tags.py`` (the two shared trailers at the
pipeline's keyframe size, 480x204, and six synthetic clips, 320x180) and 65 frames of the
concurrent bench's 640x360 clip (``bench/adstudio_concurrent.py``, one per shot). Three finders:
``faces_find`` as it was at ``--baseline`` (its ``ml/look.py`` and ``ml/faces.py``, extracted
with git archive), today's on the baseline's 320-wide copy (the cascade's evaluation alone), and
today's as the pipeline calls it. For each: faces found, how many of the baseline's faces it
finds again, and the CPU time of one call per keyframe (median over keyframes of the fastest of
``--repeat`` calls, and the total). No labels are read: tag precision and recall are
``bench/adstudio_tags.py``'s.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import cv2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from adstudio_concurrent import clip
from adstudio_tags import LABELS, _frames

from apps.adstudio.ml import look
from apps.adstudio.ml.faces import faces_detect, scan_windows
from apps.adstudio.video.ffmpeg import frames_read
from apps.adstudio.video.probe import video_probe

BASELINE = "8c7930e"  # the face finder before: a 320-wide scan, three gathers per rectangle


def baseline_look(commit: str, out: Path):
    """``ml/look.py`` and ``ml/faces.py`` as they were at ``commit``, importable under a new name."""
    package = f"ml_{commit[:10]}"
    tar = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "archive",
            commit,
            "apps/adstudio/ml/look.py",
            "apps/adstudio/ml/faces.py",
            "apps/adstudio/ml/data",
        ],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        for member in archive.getmembers():
            if member.isfile():
                target = out / package / Path(member.name).relative_to("apps/adstudio/ml")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.extractfile(member).read())
    (out / package / "__init__.py").touch()
    sys.path.insert(0, str(out))
    return importlib.import_module(f"{package}.look")


def keyframes(videos: Path, tmp: Path) -> dict[str, list]:
    rows = [json.loads(line) for line in LABELS.read_text().splitlines() if line.strip()]
    images = _frames(rows, videos, tmp)
    trailers = [images[r["id"]] for r in rows if r["source"] != "synth"]
    synth = [images[r["id"]] for r in rows if r["source"] == "synth"]
    path = clip()
    frames = video_probe(path).frames_estimate - 2
    picks = [int((k + 0.5) * frames / 65) for k in range(65)]  # one per ~1.9 s shot
    cuts = list(frames_read(path, width=640, height=360, select=picks))
    return {"trailers 480x204": trailers, "synthetic 320x180": synth, "cuts clip 640x360": cuts}


def measure(find, images: list, repeat: int) -> tuple[list, list[float]]:
    found, costs = [], []
    for image in images:
        best = float("inf")
        for _ in range(repeat):
            start = time.process_time()
            rects = find(image)
            best = min(best, time.process_time() - start)
        found.append(sorted(rects))
        costs.append(best * 1000)
    return found, costs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--videos", type=Path, default=ROOT.parent / "shared" / "data" / "videos")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_look(args.baseline, Path(tmp) / "baseline")
        sets = keyframes(args.videos, Path(tmp))
        print(
            f"{'keyframes':18s} {'n':>4s} | {'finder':9s} {'faces':>5s} {'frames':>6s} "
            f"{'kept':>4s} {'ms median':>9s} {'ms mean':>8s} {'total s':>7s}"
        )
        for name, images in sets.items():
            finders = {
                f"@{args.baseline}": old.faces_find,
                "now 320": old_scan,
                f"now {look.FACE_WIDTH}": look.faces_find,
            }
            before = None
            for label, find in finders.items():
                found, ms = measure(find, images, args.repeat)
                before = found if before is None else before
                kept = sum(matched(a, b) for a, b in zip(before, found))
                print(
                    f"{name:18s} {len(images):4d} | {label:9s} {sum(map(len, found)):5d} "
                    f"{sum(bool(f) for f in found):6d} {kept:4d} "
                    f"{statistics.median(ms):9.1f} {statistics.mean(ms):8.1f} "
                    f"{sum(ms) / 1000:7.2f}"
                )
        for name, images in sets.items():
            h, w = images[0].shape[:2]
            before = scan_windows((round(h * min(1.0, 320 / w)), min(w, 320)))
            print(f"{name}: {before} windows per keyframe scanned before, " f"{look.face_scan_windows(h, w)} now")
    print(
        "faces: rectangles found; frames: keyframes with one or more; kept: the baseline's "
        "faces this finder found too (IoU 0.5 or more); ms: CPU per keyframe, fastest of "
        f"{args.repeat} calls"
    )


def old_scan(image) -> list:
    """Today's cascade evaluation on the scan ``faces_find`` made before: 320 wide, from the
    24-pixel window up."""
    h, w = image.shape[:2]
    scale = min(1.0, 320 / w)
    if scale < 1:
        image = cv2.resize(image, (320, round(h * scale)), interpolation=cv2.INTER_AREA)
    grey = cv2.equalizeHist(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY))
    found = faces_detect(grey, min_neighbors=look.FACE_MIN_NEIGHBORS)
    return [tuple(int(round(v / scale)) for v in rect) for rect in found]


def matched(before: list, after: list) -> int:
    """How many of ``before``'s rectangles one of ``after``'s overlaps by IoU 0.5 or more."""

    def iou(a, b):
        w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
        h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
        inter = max(0, w) * max(0, h)
        return inter / (a[2] * a[3] + b[2] * b[3] - inter)

    return sum(any(iou(a, b) >= 0.5 for b in after) for a in before)


if __name__ == "__main__":
    main()
