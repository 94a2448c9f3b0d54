"""Shots of one video file as JSON: {"fps", "frames", "shots": [[first, last], ...]}."""
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.adstudio.video.detect import shots_from_file
from apps.adstudio.video.probe import VideoRejected, video_probe


class Command(BaseCommand):
    help = ("Detect shots (cuts, dissolves, fades) in a video and write "
            '{"fps", "frames", "shots": [[first_frame, last_frame], ...]} (inclusive).')

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="video file")
        parser.add_argument("--output", required=True, help="JSON file to write ('-': stdout)")

    def handle(self, *args, input, output, **options):
        try:
            info = video_probe(Path(input))
        except VideoRejected as exc:
            raise CommandError(str(exc)) from exc
        result = shots_from_file(input, fps=info.fps, width=info.width, height=info.height)
        text = json.dumps(result)
        if output == "-":
            self.stdout.write(text)
        else:
            Path(output).write_text(text + "\n")
            self.stdout.write(f"{len(result['shots'])} shots in {result['frames']} frames "
                              f"-> {output}")
