"""Shot detection on real footage spliced with known truth.

``tests/fixtures/adstudio_shots/real_shots.mp4`` holds short pieces of real shots of the shared
videos (Blender Foundation, CC-BY 3.0) joined by cuts; each test splices them back with the
transitions and traps it needs (``splice.py``), so the truth is exact.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from apps.adstudio.ml.vision import image_model_get
from apps.adstudio.pipeline import video_analyse
from apps.adstudio.video.detect import features_from_file, shots_from_file
from apps.adstudio.video.evaluate import boundaries_match, boundaries_of, boundaries_score, false_by_negative
from apps.adstudio.video.ffmpeg import frames_read
from apps.adstudio.video.shots import boundaries_detect
from apps.adstudio.video.splice import splice_render

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "adstudio_shots"


@pytest.fixture(scope="module")
def real():
    """``(frame_of, shots)`` over the fixture clip: its decoded frames and its shot table."""
    table = json.loads((FIXTURE / "real_shots.json").read_text())
    frames = list(frames_read(FIXTURE / "real_shots.mp4", width=160, height=90))
    return (lambda video, index: frames[index]), {s["id"]: s for s in table["shots"]}


def _piece(shots, shot, frames, *, offset=0, join="cut", effects=()):
    return {
        "video": "real",
        "first": shots[shot]["first"] + offset,
        "frames": frames,
        "join": join,
        "effects": list(effects),
    }


def _splice(real, tmp_path, pieces):
    frame_of, _ = real
    path = tmp_path / "clip.mp4"
    truth = splice_render({"fps": 24.0, "size": [160, 90], "pieces": pieces}, frame_of, path)
    found = boundaries_of(shots_from_file(path, fps=24.0, width=160, height=90)["shots"])
    return truth, found


def test_light_steps_and_lightning_on_real_shots_are_not_cuts(real, tmp_path):
    _, shots = real
    truth, found = _splice(
        real,
        tmp_path,
        [
            _piece(shots, "bbb-bunny", 48, effects=[{"type": "gain", "at": 20, "gain": 1.7}]),
            _piece(shots, "bbb-flowers", 48, effects=[{"type": "tint", "at": 24, "rgb": [1.3, 1.0, 0.7]}]),
            _piece(shots, "bbb-cave", 48, effects=[{"type": "lightning", "at": 20, "gain": 0.6}]),
            _piece(shots, "sin-dunes", 48, effects=[{"type": "gain", "at": 24, "gain": 0.55}]),
            _piece(shots, "bbb-bird", 48, effects=[{"type": "tint", "at": 20, "rgb": [0.8, 1.0, 1.25]}]),
            _piece(shots, "sin-sunset", 40, effects=[{"type": "lightning", "at": 16, "gain": 1.5}]),
        ],
    )
    score = boundaries_score(found, truth["transitions"])
    assert score["fn"] == 0, (found, truth["transitions"])
    assert false_by_negative(found, truth["transitions"], truth["negatives"]) == {
        "gain": 0,
        "tint": 0,
        "lightning": 0,
        "other": 0,
    }


def test_a_cut_to_black_or_to_titles_on_black_is_a_boundary_at_the_cut(real, tmp_path):
    _, shots = real
    truth, found = _splice(
        real,
        tmp_path,
        [
            _piece(shots, "bbb-bunny", 40),
            _piece(shots, "sin-soon", 20, join="cut_black"),
            _piece(shots, "bbb-flowers", 40),
            {"black": 16, "join": "cut_black"},
            _piece(shots, "bbb-cave", 40, join={"type": "fade_in", "frames": 10}),
            _piece(shots, "sin-logo", 24, join="cut_black"),
            _piece(shots, "sin-dunes", 40),
        ],
    )
    to_black = [t for t in truth["transitions"] if t["type"] == "cut_black"]
    pairs, unmatched = boundaries_match(found, truth["transitions"], tolerance=1)
    assert len(pairs) == len(truth["transitions"]) and not unmatched, (found, truth)
    assert sorted(b for t, b in pairs if t["type"] == "cut_black") == [t["start"] for t in to_black]


def test_short_dissolves_between_short_real_shots_are_found(real, tmp_path):
    _, shots = real
    names = ["bbb-bunny", "sin-dunes", "bbb-flowers", "sin-sunset", "bbb-cave", "bbb-bird", "sin-dragon", "bbb-bunny"]
    pieces = [
        _piece(shots, name, 20, offset=2, join={"type": "dissolve", "frames": 6 + k % 3})
        for k, name in enumerate(names)
    ]
    truth, found = _splice(real, tmp_path, pieces)
    score = boundaries_score(found, truth["transitions"])
    # Quarter-second dissolves between shots under a second long: at most one may be missed.
    assert score["tp"] >= 6 and score["fp"] == 0, (found, truth["transitions"])


def test_the_splicer_reports_every_transition_and_trap_where_it_put_it(real, tmp_path):
    frame_of, shots = real
    truth, _ = _splice(
        real,
        tmp_path,
        [
            _piece(shots, "bbb-bunny", 30, effects=[{"type": "flash", "at": 10, "frames": 2, "strength": 0.8}]),
            _piece(shots, "sin-dunes", 30, join={"type": "dissolve", "frames": 8}),
            _piece(shots, "bbb-cave", 30, join={"type": "fade", "out": 6, "black": 2, "in": 5}),
            {"black": 10, "join": "cut_black"},
            _piece(
                shots,
                "bbb-bird",
                30,
                join={"type": "fade_in", "frames": 6},
                effects=[{"type": "gain", "at": 12, "gain": 0.5}],
            ),
        ],
    )
    assert truth["frames"] == 30 + 22 + 2 + 30 + 10 + 30
    assert truth["transitions"] == [
        {"type": "dissolve", "start": 22, "end": 29},
        {"type": "fade", "start": 46, "end": 58},
        {"type": "cut_black", "start": 84, "end": 84},
        {"type": "fade_in", "start": 94, "end": 99},
    ]
    assert truth["negatives"] == [{"type": "flash", "start": 10, "end": 11}, {"type": "gain", "start": 106, "end": 106}]
    clip = list(frames_read(tmp_path / "clip.mp4", width=160, height=90))
    assert len(clip) == truth["frames"]
    before, after = clip[104].astype(float).mean(), clip[108].astype(float).mean()
    assert 0.4 < after / before < 0.6  # the light step halves the picture


def test_a_flash_whitens_the_picture_but_not_its_letterbox(tmp_path):
    wide = np.full((68, 160, 3), 90, np.uint8)  # 2.35:1, letterboxed into 16:9
    recipe = {
        "fps": 24.0,
        "size": [160, 90],
        "pieces": [
            {
                "video": "wide",
                "first": 0,
                "frames": 6,
                "effects": [{"type": "flash", "at": 2, "frames": 1, "strength": 0.9}],
            }
        ],
    }
    splice_render(recipe, lambda video, index: wide, tmp_path / "wide.mp4")
    clip = list(frames_read(tmp_path / "wide.mp4", width=160, height=90))
    assert clip[2][:8].max() < 30 and clip[2][40:50].mean() > 220
    assert abs(clip[0][40:50].mean() - 90) < 6


def test_false_boundaries_are_put_down_to_the_trap_they_fell_on():
    transitions = [{"type": "cut", "start": 50, "end": 50}]
    negatives = [{"type": "gain", "start": 20, "end": 20}, {"type": "pan", "start": 60, "end": 90}]
    counts = false_by_negative([21, 50, 51, 75, 120], transitions, negatives)
    assert counts == {"gain": 1, "pan": 1, "other": 2}
    assert np.isclose(boundaries_score([21, 50, 75], transitions)["precision"], 1 / 3)


def test_only_boundaries_into_or_out_of_black_are_marked_via_black(real, tmp_path):
    frame_of, shots = real
    path = tmp_path / "clip.mp4"
    splice_render(
        {
            "fps": 24.0,
            "size": [160, 90],
            "pieces": [
                _piece(shots, "bbb-bunny", 30),
                _piece(shots, "sin-dunes", 30),
                {"black": 12, "join": "cut_black"},
                _piece(shots, "bbb-cave", 30),
                _piece(shots, "bbb-bird", 30, join={"type": "dissolve", "frames": 12}),
            ],
        },
        frame_of,
        path,
    )
    features = features_from_file(path, fps=24.0, width=160, height=90, scene_colours=False)
    found = boundaries_detect(features)
    assert [(b.kind, b.via_black) for b in found.values()] == [
        ("cut", False),
        ("cut", True),
        ("cut", True),
        ("dissolve", False),
    ], found


def test_a_cut_to_black_and_back_into_the_same_shot_starts_a_new_scene(real, tmp_path):
    """However alike the pictures on either side, going through black breaks the scene."""
    frame_of, shots = real
    path = tmp_path / "clip.mp4"
    splice_render(
        {
            "fps": 24.0,
            "size": [160, 90],
            "pieces": [
                _piece(shots, "bbb-flowers", 22),
                {"black": 5, "join": "cut_black"},
                _piece(shots, "bbb-flowers", 22, offset=26),
            ],
        },
        frame_of,
        path,
    )
    result = video_analyse(path, model=image_model_get())
    assert [s["cut_in"] for s in result["shots"]] == ["start", "cut"]
    assert [scene["shots"] for scene in result["scenes"]] == [[0], [1]]
