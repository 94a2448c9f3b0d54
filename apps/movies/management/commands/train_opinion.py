"""python manage.py train_opinion --data ../shared/data [--out models_store] [--encoder models_store/scents-profile.npz]"""

from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.core.registry import manifest_write_entry
from apps.core.management.training import command_line
from apps.movies.ml.opinion.train import Paths, train_opinion


def django_po_files() -> list[Path]:
    """Django's Korean message catalogues (shipped in its package): its interface messages in
    English and Korean are the off-topic texts."""
    return sorted(Path(django.__file__).parent.glob("**/locale/ko/LC_MESSAGES/django.po"))


class Command(BaseCommand):
    help = (
        "Train the 'no opinion' detector (student encoder embedding + hashed n-grams + word rules), "
        "choose its threshold on validation, print held-out figures and write "
        "models_store/movies-opinion.npz with its manifest entry."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--data",
            required=True,
            help="folder with imdb_reviews/, nsmc/, sst2/ and tmdb/ (see its README)",
        )
        parser.add_argument("--out", default=str(settings.MODELS_STORE), help="artifact folder")
        parser.add_argument(
            "--max-abstain",
            type=float,
            default=0.01,
            help="share of validation reviews (each language) allowed to get 'no opinion'",
        )
        parser.add_argument("--scale", type=float, default=1.0, help="shrink every source's sample (tests)")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument(
            "--encoder",
            default=None,
            help="artifact that ships the student encoder (default: scents-profile.npz in "
            "MODELS_STORE); the detector must be deployed in the same folder",
        )
        parser.add_argument("--no-manifest", action="store_true", help="write the artifact only")

    def handle(self, *args, **options):
        root = Path(options["data"])
        sst2 = root / "sst2/train.tsv"
        paths = Paths(
            imdb=root / "imdb_reviews/train.tsv.gz",
            nsmc=root / "nsmc/reviews.tsv.gz",
            tmdb=root / "tmdb/movies.jsonl",
            sst2=sst2 if sst2.exists() else None,
            offtopic=django_po_files(),
        )
        encoder = Path(options["encoder"] or Path(settings.MODELS_STORE) / "scents-profile.npz")
        missing = [str(p) for p in (paths.imdb, paths.nsmc, paths.tmdb, encoder) if not p.exists()]
        if missing:
            raise CommandError(f"Missing data file(s): {', '.join(missing)}")
        if paths.sst2 is None:
            self.stdout.write(f"No {sst2}: training without SST-2 sentences.")
        out = Path(options["out"])
        try:
            entry = train_opinion(
                paths,
                out_dir=out,
                encoder_path=encoder,
                seed=options["seed"],
                scale=options["scale"],
                max_abstain=options["max_abstain"],
                command=command_line(self, "train_opinion", options),
                log=lambda message: self.stdout.write(message),
            )
        except ValueError as exc:  # e.g. an --encoder artifact that ships no student
            raise CommandError(str(exc)) from exc
        if not options["no_manifest"]:
            manifest_write_entry(entry.pop("name"), entry, store=out)
