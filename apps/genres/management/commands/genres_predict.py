"""Predict genres for a JSONL file of movies with the deployed (or a named) genre model.

    python manage.py genres_predict --input movies.jsonl --output out.jsonl [--model NAME]

Input lines ``{"id", "plot", "poster"}``; output lines in the same order ``{"id", "genres",
"scores", "model_version"}``. A missing or unreadable poster is treated as absent (noted in
``notes``); a line that is not JSON gets an ``error`` line so counts always match.
"""

import time
from pathlib import Path

import torch
from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.genres.ml.batch import predict_jsonl


class Command(BaseCommand):
    help = "Predict IMDb genres for movies in a JSONL file (plot and/or poster per line)."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, type=Path)
        parser.add_argument("--output", required=True, type=Path)
        parser.add_argument("--model", default=None, help="manifest name of a genre model (default: the deployed one)")
        parser.add_argument("--batch-size", type=int, default=32)
        parser.add_argument("--threads", type=int, default=0, help="torch threads (0 = torch default)")

    def handle(self, *args, **opts):
        from apps.genres.services.suggestions import genre_model_get

        if not opts["input"].is_file():
            raise CommandError(f"Input file not found: {opts['input']}")
        if opts["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        if opts["threads"]:
            torch.set_num_threads(opts["threads"])
        try:
            loaded = genre_model_get(opts["model"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        t0 = time.perf_counter()
        try:
            counts = predict_jsonl(loaded.obj, opts["input"], opts["output"], batch_size=opts["batch_size"])
        except UnicodeDecodeError as exc:
            raise CommandError(f"Input is not UTF-8 text: {exc}") from exc
        seconds = time.perf_counter() - t0
        rate = counts["lines"] / seconds if seconds else 0.0
        self.stdout.write(
            f"{counts['predicted']} predicted, {counts['errors']} bad lines, {counts['without_poster']} without a "
            f"poster, {counts['without_plot']} without a plot; model {loaded.version}; {seconds:.1f}s "
            f"({rate:.1f} movies/s) -> {opts['output']}"
        )
