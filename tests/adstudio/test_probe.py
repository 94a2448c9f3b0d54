import pytest

from apps.adstudio.video.probe import VideoRejected, video_probe
from tests.adstudio.badfiles import text_as_mp4, truncated_mp4, zero_second_mp4


def test_it_reads_duration_fps_size_and_codec(clips):
    path, truth = clips("cuts", 1)
    info = video_probe(path)
    assert (info.width, info.height, info.codec, info.fps) == (160, 90, "h264", 24.0)
    assert abs(info.duration - truth["frames"] / 24) < 0.1


def test_it_rejects_a_text_file_renamed_mp4(tmp_path):
    with pytest.raises(VideoRejected, match="text, not a video"):
        video_probe(text_as_mp4(tmp_path))


def test_it_rejects_a_truncated_mp4(tmp_path, clips):
    path, _ = clips("cuts", 1)
    with pytest.raises(VideoRejected, match="incomplete"):
        video_probe(truncated_mp4(tmp_path, path))


def test_it_rejects_a_zero_second_video(tmp_path):
    with pytest.raises(VideoRejected, match="0 seconds"):
        video_probe(zero_second_mp4(tmp_path))


def test_it_rejects_an_empty_file_and_binary_noise(tmp_path):
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    with pytest.raises(VideoRejected, match="empty"):
        video_probe(empty)
    noise = tmp_path / "noise.mp4"
    noise.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(VideoRejected):
        video_probe(noise)


def test_it_rejects_a_video_longer_than_the_limit(clips):
    path, _ = clips("cuts", 1)
    with pytest.raises(VideoRejected, match="limit is 2 s"):
        video_probe(path, max_duration=2)


def test_a_rotated_phone_video_reports_the_size_it_decodes_to(clips, tmp_path):
    import subprocess

    from apps.adstudio.video.ffmpeg import ffmpeg_exe, frames_read

    path, _ = clips("cuts", 1)
    rotated = tmp_path / "portrait.mp4"
    subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-y",
            "-display_rotation",
            "90",
            "-i",
            str(path),
            "-c",
            "copy",
            str(rotated),
        ],
        check=True,
    )
    info = video_probe(rotated)
    assert (info.width, info.height) == (90, 160)
    frame = next(iter(frames_read(rotated, width=info.width, height=info.height)))
    assert frame.shape == (160, 90, 3)
