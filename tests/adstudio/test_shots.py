import numpy as np
import pytest

from apps.adstudio.video.detect import shots_from_file
from apps.adstudio.video.evaluate import boundaries_of, boundaries_score
from apps.adstudio.video.features import FrameFeatures
from apps.adstudio.video.shots import shots_detect, shots_from_boundaries


def _detect(path, truth):
    return shots_from_file(path, fps=truth["fps"], width=160, height=90)


@pytest.mark.parametrize("kind", ["cuts", "dissolves", "fades", "flashes", "motion", "mixed"])
def test_it_finds_the_known_boundaries_of_each_kind_of_clip(clips, kind):
    totals = {"tp": 0, "fp": 0, "fn": 0}
    for seed in (11, 12):
        path, truth = clips(kind, seed)
        score = boundaries_score(boundaries_of(_detect(path, truth)["shots"]), truth["transitions"])
        for key in totals:
            totals[key] += score[key]
    precision = totals["tp"] / max(1, totals["tp"] + totals["fp"])
    recall = totals["tp"] / max(1, totals["tp"] + totals["fn"])
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    assert f1 >= 0.9, totals


def test_the_shot_list_covers_every_frame_once_with_inclusive_ends(clips):
    path, truth = clips("mixed", 3)
    result = _detect(path, truth)
    shots = result["shots"]
    assert result["frames"] == truth["frames"]
    assert shots[0][0] == 0 and shots[-1][1] == result["frames"] - 1
    for (a, b), (c, _) in zip(shots, shots[1:]):
        assert a <= b and c == b + 1


def test_a_flash_inside_a_shot_is_not_a_cut(clips):
    path, truth = clips("flashes", 21)
    assert truth["flashes"]
    found = boundaries_of(_detect(path, truth)["shots"])
    for flash in truth["flashes"]:
        assert not any(flash - 1 <= b <= flash + 4 for b in found)


def test_fast_camera_pans_are_not_cuts(clips):
    path, truth = clips("motion", 22)
    score = boundaries_score(boundaries_of(_detect(path, truth)["shots"]), truth["transitions"])
    assert score["fp"] == 0


def test_boundaries_become_inclusive_pairs():
    assert shots_from_boundaries([5, 9], 12) == [[0, 4], [5, 8], [9, 11]]
    assert shots_from_boundaries([], 3) == [[0, 2]]
    assert shots_from_boundaries([0, 3, 99], 3) == [[0, 2]]
    assert shots_from_boundaries([], 0) == []


def test_an_empty_feature_set_has_no_shots():
    empty = FrameFeatures(
        fps=24,
        hist=np.zeros((0, 256), np.float32),
        colour=np.zeros((0, 256), np.float32),
        gray=np.zeros((0, 8, 8), np.uint8),
        luma=np.zeros(0),
        spread=np.zeros(0),
        d_hist=np.zeros(0),
        d_aligned=np.zeros(0),
        motion=np.zeros(0),
    )
    assert shots_detect(empty) == []


def test_detection_runs_opencv_single_threaded_and_gives_the_pool_back(clips):
    # OpenCV's thread pool costs more than it saves on 128-pixel frames (bench in
    # features_compute's docstring): the features and the boundary search run at one thread,
    # and the process's own setting is back afterwards, whatever happens inside.
    from dataclasses import fields

    import cv2

    from apps.adstudio.video.features import cv_threads, features_compute
    from apps.adstudio.video.ffmpeg import frames_read

    path, truth = clips("cuts", 11)
    seen = {"features": set(), "shots": set()}

    def frames():
        for frame in frames_read(path, width=128, height=72):
            seen["features"].add(cv2.getNumThreads())
            yield frame

    class Watched(FrameFeatures):
        """Features that note OpenCV's thread count whenever the detector reads them."""

        def __getattribute__(self, name):
            if name in ("gray", "d_hist"):
                seen["shots"].add(cv2.getNumThreads())
            return super().__getattribute__(name)

    before = cv2.getNumThreads()
    with cv_threads(2):
        features = features_compute(frames(), fps=truth["fps"], scene_colours=False)
        assert cv2.getNumThreads() == 2
        watched = Watched(**{f.name: getattr(features, f.name) for f in fields(FrameFeatures)})
        seen["shots"].clear()  # the constructor's own reads
        shots = shots_detect(watched)
        assert cv2.getNumThreads() == 2
    assert seen == {"features": {1}, "shots": {1}} and len(shots) >= 2
    assert cv2.getNumThreads() == before
    with pytest.raises(RuntimeError), cv_threads(1):
        raise RuntimeError("inside")
    assert cv2.getNumThreads() == before


def test_detection_decodes_with_one_ffmpeg_decoding_and_filter_thread_and_the_same_pixels(clips):
    # ffmpeg's scaler slice threads only hand work back and forth on 128-pixel frames (figures
    # in frames_read's docstring): detection asks for one, and the pixels are what the defaults give.
    import os

    import psutil

    from apps.adstudio.video.detect import analysis_size, features_from_file
    from apps.adstudio.video.ffmpeg import frames_read
    from apps.adstudio.video.probe import video_probe

    path, _ = clips("mixed", 1)
    info = video_probe(path)
    seen = []

    def ffmpeg_children():
        return [(c.cmdline(), c.num_threads()) for c in psutil.Process().children() if "-i" in c.cmdline()]

    def progress(done, total):  # called while ffmpeg is still decoding
        seen.extend(ffmpeg_children())

    features_from_file(path, fps=info.fps, width=info.width, height=info.height, progress=progress, scene_colours=False)
    command, threads_one = seen[0]
    assert command[command.index("-threads") + 1] == "1"
    assert command[command.index("-filter_threads") + 1] == "1"

    w, h = analysis_size(info.width, info.height)
    defaults = frames_read(path, width=w, height=h, yuv=True)
    first = next(defaults)
    (default_command, threads_default), *_ = ffmpeg_children()
    assert "-filter_threads" not in default_command
    if (os.cpu_count() or 1) > 1:  # ffmpeg's default is one thread per core
        assert threads_one < threads_default
    ones = list(frames_read(path, width=w, height=h, threads=1, yuv=True))
    rest = [first, *defaults]
    assert len(ones) == len(rest) > 100 and all(np.array_equal(a, b) for a, b in zip(ones, rest))
