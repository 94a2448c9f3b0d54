"""python manage.py train_sentiment --lang ko --data PATH [--sst2 PATH] [--out models_store] [--epochs E] ..."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.registry import manifest_write_entry
from apps.core.management.training import command_line
from apps.movies.ml.sentiment.train import TrainConfig, refit_tables, train_sentiment


class Command(BaseCommand):
    help = (
        "Train the Korean or English sentiment + rating model from the data alone (every part: linear "
        "parts, networks, the English encoder with --sst2, blend and calibration), print validation and "
        "held-out metrics, and write models_store/movies-sentiment-<lang>.npz with its manifest entry."
    )

    def add_arguments(self, parser):
        parser.add_argument("--lang", choices=["ko", "en"], required=True)
        parser.add_argument("--data", required=True, help="TSV(.gz) with review_id, rating, text")
        parser.add_argument(
            "--sst2",
            default=None,
            help="English: SST-2 train.tsv (label, sentence); adds the fine-tuned encoder (e5-small)",
        )
        parser.add_argument("--out", default=str(settings.MODELS_STORE), help="artifact folder")
        parser.add_argument("--limit", type=int, default=None, help="use only the first N rows")
        parser.add_argument("--epochs", type=int, default=None, help="network epochs (0 = linear parts only)")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="torch threads for the networks (on a shared 2-core machine 1 was ~4x faster per step than 2)",
        )
        parser.add_argument("--no-manifest", action="store_true", help="write the artifact only")
        parser.add_argument(
            "--refit-tables",
            action="store_true",
            help="development shortcut, not a rebuild: keep the weights of the existing artifact in --out "
            "and refit only the validation tables (blend, calibration, rating map); the manifest entry's "
            "weights_from names the artifact whose weights were kept",
        )
        parser.add_argument(
            "--refit-linear",
            action="store_true",
            help="development shortcut, with --refit-tables: also refit the linear parts (ridges, "
            "classifier) with the current recipe; the networks are kept",
        )

    def handle(self, *args, **options):
        for path in (options["data"], options["sst2"]):
            if path and not Path(path).exists():
                raise CommandError(f"No such data file: {path}")
        if options["refit_linear"] and not options["refit_tables"]:
            raise CommandError("--refit-linear goes with --refit-tables")
        cfg = TrainConfig(
            lang=options["lang"],
            data_path=Path(options["data"]),
            out_dir=Path(options["out"]),
            limit=options["limit"],
            epochs=options["epochs"],
            seed=options["seed"],
            threads=options["threads"],
            command=command_line(self, "train_sentiment", options),
            sst2_path=Path(options["sst2"]) if options["sst2"] else None,
        )
        try:
            if options["refit_tables"]:
                entry = refit_tables(cfg, refit_linear=options["refit_linear"], log=self.stdout.write)
            else:
                entry = train_sentiment(cfg, log=self.stdout.write)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not options["no_manifest"]:
            manifest_write_entry(entry.pop("name"), entry, store=cfg.out_dir)
        self.stdout.write(json.dumps(entry["metrics"]["test"], indent=2))
