"""The bad inputs the issue lists, as files: text renamed .mp4, truncated mp4, 0-second video."""

from pathlib import Path

from apps.adstudio.video.ffmpeg import frames_write


def text_as_mp4(folder: Path) -> Path:
    path = folder / "notes.mp4"
    path.write_text("This is a shopping list, not a video.\n" * 20)
    return path


def truncated_mp4(folder: Path, good: Path) -> Path:
    data = good.read_bytes()
    path = folder / "truncated.mp4"
    path.write_bytes(data[: len(data) // 2])
    return path


def zero_second_mp4(folder: Path) -> Path:
    path = folder / "empty.mp4"
    frames_write(path, iter([]), fps=24, width=160, height=90)
    return path
