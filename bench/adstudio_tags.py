"""Tag precision and recall of the local provider on the labelled keyframes.

Usage: nice -n 10 .venv/bin/python bench/adstudio_tags.py [--videos DIR] [--tune]

``tests/fixtures/adstudio_tags/labels.jsonl`` lists 260 keyframes labelled by eye for the whole
vocabulary: every 12th frame of the two shared Blender trailers (Sintel, Big Buck Bunny) and six
synthetic clips (``video/synth.py``, made again here from their kind and seed). Each row says
its split: 6-second blocks of a trailer alternate between ``tune`` and ``held-out``, synthetic
clips by seed, fixed before any threshold was chosen. Frames are decoded at the pipeline's
keyframe size and go through the same model, face finder and measurements as an analysis.

Prints precision / recall per tag and micro-averaged on each split; the tuning figures are
development figures (the thresholds were chosen on them). ``--tune`` prints, for each rule of
each tag, the lowest threshold whose precision on the tuning part alone is at least
``PRECISION`` (a rule with no such threshold gets one just above every tuning negative, and
at least 0.5 where the tag has no tuning example at all) and the tuning table only; the chosen
values are written into ``apps/adstudio/ml/vocabulary.py`` by hand. Face counts are not tuned:
"faces" is one face found, "crowd" four.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from apps.adstudio.ml.look import faces_find
from apps.adstudio.ml.vision import ImageModel
from apps.adstudio.ml.vocabulary import VOCABULARY, frame_signals, tags_decide
from apps.adstudio.pipeline import KEYFRAME_MAX_WIDTH
from apps.adstudio.video.ffmpeg import frames_read
from apps.adstudio.video.probe import video_probe
from apps.adstudio.video.synth import clip_make

LABELS = ROOT / "tests" / "fixtures" / "adstudio_tags" / "labels.jsonl"
PRECISION = 0.85  # what --tune asks of each rule on the tuning part (the goal is 0.8 held out)
NO_POSITIVE_FLOOR = 0.5


def _frames(rows: list[dict], videos: Path, tmp: Path) -> dict[int, object]:
    """Decode every labelled frame at the size the pipeline's keyframes have."""
    by_source = defaultdict(list)
    for row in rows:
        key = (row["source"], row.get("kind"), row.get("seed"))
        by_source[key].append(row)
    images = {}
    for (source, kind, seed), group in by_source.items():
        if source == "synth":
            path = tmp / f"{kind}_{seed}.mp4"
            clip_make(path, kind=kind, seed=seed, seconds=12, width=320, height=180)
        else:
            path = videos / source
        info = video_probe(path)
        scale = min(1.0, KEYFRAME_MAX_WIDTH / info.width)
        w, h = int(round(info.width * scale / 2) * 2), int(round(info.height * scale / 2) * 2)
        picks = sorted(r["frame"] for r in group)
        decoded = dict(zip(picks, frames_read(path, width=w, height=h, select=picks)))
        images.update({r["id"]: decoded[r["frame"]] for r in group})
    return images


def signals_compute(rows: list[dict], videos: Path) -> dict[int, dict]:
    model = ImageModel(threads=2)
    with tempfile.TemporaryDirectory() as tmp:
        images = _frames(rows, videos, Path(tmp))
    ids = sorted(images)
    out = {}
    for start in range(0, len(ids), 16):
        batch = ids[start : start + 16]
        for i, pred in zip(batch, model.predict([images[i] for i in batch])):
            out[i] = frame_signals(images[i], pred.probs, model.names, faces_find(images[i]))
    return out


def _score(rows, predicted) -> tuple[dict, dict]:
    """Per tag (tp, fp, fn) and the micro totals."""
    counts = {t.name: [0, 0, 0] for t in VOCABULARY}
    for row in rows:
        truth, guess = set(row["tags"]), predicted[row["id"]]
        for tag, c in counts.items():
            c[0] += tag in truth and tag in guess
            c[1] += tag not in truth and tag in guess
            c[2] += tag in truth and tag not in guess
    micro = [sum(c[k] for c in counts.values()) for k in range(3)]
    return counts, {"all (micro)": micro}


def _pr(tp, fp, fn) -> str:
    p = f"{tp / (tp + fp):.3f}" if tp + fp else "  -  "
    r = f"{tp / (tp + fn):.3f}" if tp + fn else "  -  "
    return f"{p} {r} {tp:3d} {fp:3d} {fn:3d}"


def report(rows: list[dict], signals: dict[int, dict], splits: tuple[str, ...]) -> None:
    predicted = {i: {n for n, _ in tags_decide(s)} for i, s in signals.items()}
    parts = {split: [r for r in rows if r["split"] == split] for split in splits}
    tables = {split: _score(part, predicted) for split, part in parts.items()}
    print(
        ", ".join(f"{len(p)} {s} keyframes" for s, p in parts.items())
        + " (tune figures are development figures: the thresholds were chosen on them)"
    )
    print(f"{'tag':16s} | " + " | ".join(f"{s + ':':9s} P     R    tp  fp  fn" for s in splits))
    for tag in [*tables[splits[0]][0], "all (micro)"]:
        cells = [_pr(*({**tables[s][0], **tables[s][1]})[tag]) for s in splits]
        print(f"{tag:16s} | " + " | ".join(f"{'':9s} {c}" for c in cells))


def tune(rows: list[dict], signals: dict[int, dict]) -> None:
    part = [r for r in rows if r["split"] == "tune"]
    for tag in VOCABULARY:
        for signal, current in tag.rules:
            if signal == "faces":  # a count is a definition (a face, four faces), not tuned
                continue
            pos = sorted((signals[r["id"]].get(signal, 0.0) for r in part if tag.name in r["tags"]), reverse=True)
            neg = [signals[r["id"]].get(signal, 0.0) for r in part if tag.name not in r["tags"]]
            chosen = None
            for t in sorted({v for v in pos if v > 0}, reverse=True):
                tp, fp = sum(v >= t for v in pos), sum(v >= t for v in neg)
                if tp / (tp + fp) >= PRECISION:
                    chosen = t
            if chosen is None:
                chosen = max(NO_POSITIVE_FLOOR if not pos else 0.0, max(neg) * 1.05 + 1e-3)
            tp, fp = sum(v >= chosen for v in pos), sum(v >= chosen for v in neg)
            print(
                f"{tag.name:16s} {signal:20s} now {current:<7g} tuned {chosen:.4f} "
                f"(tune: {tp}/{len(pos)} positives, {fp} false)"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--videos", type=Path, default=ROOT.parent / "shared" / "data" / "videos")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--tune", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.labels.read_text().splitlines() if line.strip()]
    signals = signals_compute(rows, args.videos)
    if args.tune:  # never shows the held-out part
        tune(rows, signals)
        report(rows, signals, ("tune",))
    else:
        report(rows, signals, ("held-out", "tune"))


if __name__ == "__main__":
    main()
