"""python manage.py train_sentiment --lang ko --data PATH [--sst2 PATH] [--out models_store] [--limit N] [--epochs E]"""

import shlex
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.movies.ml import cli


class Command(BaseCommand):
    help = (
        "Train the Korean or English sentiment + rating model, print validation and held-out "
        "metrics, and write models_store/movies-sentiment-<lang>.npz with its manifest entry."
    )

    def add_arguments(self, parser):
        cli.add_arguments(parser)
        parser.set_defaults(out=str(settings.MODELS_STORE))

    def handle(self, *args, **options):
        for path in (options["data"], options.get("sst2")):
            if path and not Path(path).exists():
                raise CommandError(f"No such data file: {path}")
        command = "python manage.py train_sentiment " + shlex.join(sys.argv[2:])
        try:
            cli.run(options, command=command, log=lambda message: self.stdout.write(message))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
