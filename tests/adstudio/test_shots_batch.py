"""``manage.py video_shots`` on several videos in one process."""

import json
import shutil

import pytest
from django.core.management import CommandError, call_command

from tests.adstudio.badfiles import text_as_mp4


@pytest.fixture
def videos(clips, tmp_path):
    """Two short clips in a folder, one more beside it: ``(folder, other, truths by name)``."""
    folder = tmp_path / "in"
    folder.mkdir()
    truths = {}
    for kind, seed, target in (("cuts", 91, folder), ("fades", 92, folder), ("mixed", 93, tmp_path)):
        path, truth = clips(kind, seed, seconds=4)
        shutil.copy(path, target / path.name)
        truths[path.stem] = truth
    (folder / "notes.txt").write_text("not a video, and not named like one")
    return folder, tmp_path / "mixed_93_4.mp4", truths


def test_it_writes_one_json_per_video_for_files_and_folders_in_one_run(videos, tmp_path):
    folder, other, truths = videos
    out, alone = tmp_path / "out", tmp_path / "alone"
    call_command("video_shots", "--input", str(folder), str(other), "--output", str(out), "--jobs", "2")
    call_command("video_shots", "--input", str(folder), str(other), "--output", str(alone), "--jobs", "1")
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{name}.json" for name in truths)
    for name, truth in truths.items():
        result = json.loads((out / f"{name}.json").read_text())
        assert set(result) == {"fps", "frames", "shots"}
        assert result["frames"] == truth["frames"]
        assert result["shots"][0][0] == 0 and result["shots"][-1][1] == truth["frames"] - 1
        assert result == json.loads((alone / f"{name}.json").read_text())


def test_a_bad_video_among_several_is_named_and_the_others_are_still_written(videos, tmp_path):
    folder, other, truths = videos
    bad = text_as_mp4(folder)
    out = tmp_path / "out"
    with pytest.raises(CommandError) as raised:
        call_command("video_shots", "--input", str(folder), str(other), "--output", str(out))
    assert f"{bad}: The file is text, not a video." in str(raised.value)
    assert "1 of 4 videos were not read" in str(raised.value)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.json" for name in truths)


def test_two_videos_that_would_write_the_same_file_are_refused_before_any_work(videos, tmp_path):
    folder, other, _ = videos
    twin = tmp_path / "twin"
    twin.mkdir()
    shutil.copy(other, twin / other.name)
    out = tmp_path / "out"
    with pytest.raises(CommandError, match="would both write"):
        call_command("video_shots", "--input", str(other), str(twin / other.name), "--output", str(out))
    assert not out.exists()


def test_stdout_takes_one_video_and_a_missing_input_is_named(videos):
    folder, other, _ = videos
    with pytest.raises(CommandError, match="takes one video"):
        call_command("video_shots", "--input", str(folder), "--output", "-")
    with pytest.raises(CommandError, match="No such file or folder: .*nowhere.mp4"):
        call_command("video_shots", "--input", str(other), "nowhere.mp4", "--output", "x")
