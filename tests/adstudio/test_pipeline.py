import numpy as np
import pytest

from apps.adstudio.pipeline import PipelineOptions, video_analyse
from apps.adstudio.video.probe import VideoRejected
from tests.adstudio.badfiles import text_as_mp4


@pytest.fixture(scope="module")
def model():
    from apps.adstudio.ml.vision import image_model_get

    return image_model_get()


def test_it_turns_a_clip_into_shots_scenes_keyframes_and_readings(clips, model):
    path, truth = clips("cuts", 5)
    notes = []
    result = video_analyse(
        path, model=model, options=PipelineOptions(), progress=lambda d, t, n="": notes.append((d, t, n))
    )
    shots, scenes = result["shots"], result["scenes"]
    assert result["frames"] == truth["frames"]
    assert [s["first"] for s in shots][1:] == [t["start"] for t in truth["transitions"]]
    for shot in shots:
        assert shot["keyframe_jpeg"][:2] == b"\xff\xd8"
        assert shot["first"] <= shot["keyframe"] <= shot["last"]
        assert 0 <= shot["motion"] <= 1 and shot["embedding"].shape == (1280,)
    assert sorted(i for s in scenes for i in s["shots"]) == list(range(len(shots)))
    for scene in scenes:
        assert scene["palette"] and scene["reading"]["description"]
        assert abs(np.linalg.norm(scene["embedding"]) - 1) < 1e-4
    assert notes[-1][0] == notes[-1][1] and "complete" in notes[-1][2]


def test_it_rejects_a_non_video_before_doing_anything(tmp_path, model):
    with pytest.raises(VideoRejected):
        video_analyse(text_as_mp4(tmp_path), model=model)
