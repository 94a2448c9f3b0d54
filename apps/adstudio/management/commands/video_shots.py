"""Shots of video files as JSON: {"fps", "frames", "shots": [[first, last], ...]} per video.

One command for any number of videos (files, or folders of them), so start-up is paid once;
``--jobs`` videos are read at a time, in forked worker processes (one per CPU core by default).
"""

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.adstudio.video.detect import shots_from_file
from apps.adstudio.video.ffmpeg import FFmpegError
from apps.adstudio.video.probe import VideoRejected, video_probe

VIDEO_SUFFIXES = {".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".ts", ".wmv", ".flv"}


class Command(BaseCommand):
    # It reads files and writes JSON: no models, URLs or templates. Django's system checks import
    # every view to check the URL configuration, 1.7 of the command's ~2.5 s of start-up.
    requires_system_checks = []
    help = (
        "Detect shots (cuts, dissolves, fades) in videos and write one JSON per video: "
        '{"fps", "frames", "shots": [[first_frame, last_frame], ...]} (inclusive).'
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--input", required=True, nargs="+", help="video files and/or folders (their video files, not recursive)"
        )
        parser.add_argument(
            "--output",
            required=True,
            help="for one video: a JSON file or '-' (stdout); for several: a " "folder that gets NAME.json per video",
        )
        parser.add_argument("--jobs", type=int, default=0, help="videos read at a time (default 0: one per CPU core)")

    def handle(self, *args, input, output, jobs, **options):
        if jobs < 0:
            raise CommandError("--jobs takes 0 (one per CPU core) or a positive number.")
        videos = _videos(input)
        single = len(input) == 1 and not Path(input[0]).is_dir()
        if output == "-" and not single:
            raise CommandError("--output - takes one video; give a folder for several.")
        to_file = single and not (Path(output).is_dir() or output.endswith(os.sep))
        targets = _targets(videos, Path(output), single=to_file)
        failed = []
        workers = min(len(videos), jobs or os.cpu_count() or 1)
        for video, target, result in zip(videos, targets, _results(videos, workers)):
            if isinstance(result, str):
                failed.append(f"{video}: {result}")
                self.stderr.write(f"{video}: {result}")
                continue
            if output == "-":
                self.stdout.write(json.dumps(result))
                continue
            _write(target, result)
            self.stdout.write(f"{video}: {len(result['shots'])} shots in {result['frames']} " f"frames -> {target}")
        if failed and single:
            raise CommandError(failed[0].split(": ", 1)[1])
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(videos)} videos were not read "
                "(the others were written):\n" + "\n".join(failed)
            )


def _results(videos: list[Path], workers: int):
    """Each video's shots (or why it could not be read), in order, ``workers`` at a time."""
    if workers <= 1:
        yield from map(_shots_of, videos)
        return
    # Fork: the workers inherit the loaded code instead of starting Django again.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_shots_of, videos)


def _shots_of(video: Path) -> dict | str:
    try:
        info = video_probe(video)
        return shots_from_file(video, fps=info.fps, width=info.width, height=info.height)
    except (VideoRejected, FFmpegError) as exc:
        return str(exc)


def _videos(inputs: list[str]) -> list[Path]:
    """The files named, and the video files (by extension) of the folders named, in order."""
    videos, missing = [], []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)
            if not found:
                raise CommandError(f"{path} has no video files ({', '.join(sorted(VIDEO_SUFFIXES))}).")
            videos += found
        elif path.is_file():
            videos.append(path)
        else:
            missing.append(name)
    if missing:
        raise CommandError("No such file or folder: " + ", ".join(missing))
    return videos


def _targets(videos: list[Path], output: Path, *, single: bool) -> list[Path]:
    """Where each video's JSON goes; refuses two videos that would share a name."""
    if single:
        return [output]
    if output.exists() and not output.is_dir():
        raise CommandError(f"{output} is a file; give a folder for several videos.")
    targets = [output / f"{video.stem}.json" for video in videos]
    seen: dict[Path, Path] = {}
    for video, target in zip(videos, targets):
        if target in seen:
            raise CommandError(
                f"{seen[target]} and {video} would both write {target}; " "rename one or run them separately."
            )
        seen[target] = video
    output.mkdir(parents=True, exist_ok=True)
    return targets


def _write(target: Path, result: dict) -> None:
    """Write through a temporary file so a reader never sees half a JSON."""
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(json.dumps(result) + "\n")
    os.replace(partial, target)
