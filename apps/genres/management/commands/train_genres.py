"""Train the deployed genre model from the data set alone, in one command, and deploy it.

    python manage.py train_genres --data ../shared/data/genres [--out DIR] [--name NAME] [--threads 1]
        [--seeds 13 1 2 3] [--kinds late attention gmu text] [--folds 4] [--fold-seed 13] [--split-seed 13]
        [--thresholds oof+val] [--shrink 0.25] [--train JSON]

The defaults are the recipe of the shipped ``movies-genres`` (``apps/genres/ml/suggest/train.py``): 16
heads for the model and 16 fold models, about 30 minutes on the shared 2 cores. It rebuilds the shipped
artifact exactly (every tensor and threshold; only the version string differs), which was first built by
a chain of bench runs (its manifest entry's ``built_by``). Writes
``<store>/<name>.pt`` and its manifest entry, whose ``command`` is this command as it ran (options at
their defaults left out); ``--out DIR`` makes DIR the store: a candidate, the deployed models untouched.
"""

import json

import torch
from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.core.management.training import command_line
from apps.genres.ml.metrics import metrics_line
from apps.genres.ml.suggest.crossfit import SOURCES
from apps.genres.ml.suggest.train import REPORTED, Recipe

RECIPE = Recipe()


class Command(BaseCommand):
    help = (
        "Train the deployed genre model (the shipped movies-genres recipe by default) from a data set, in one "
        "process, and write the artifact and its manifest entry. With the defaults it rebuilds the shipped "
        "artifact exactly (only the version string differs)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data", required=True, help="shared JSONL folder/file or an MM-IMDb folder")
        parser.add_argument(
            "--out", default="", help="models store to write to instead of MODELS_STORE (a candidate only)"
        )
        parser.add_argument("--name", default="", help="manifest name (default: GENRES_MODEL_NAME)")
        parser.add_argument("--seeds", nargs="+", type=int, default=RECIPE.seeds, help="training seeds of the model")
        parser.add_argument("--kinds", nargs="+", default=RECIPE.kinds, help="the head set trained per seed and fold")
        parser.add_argument("--folds", type=int, default=RECIPE.folds, help="cross-fitting folds (at least 2)")
        parser.add_argument("--fold-seed", type=int, default=RECIPE.fold_seed, help="training seed of the folds")
        parser.add_argument("--split-seed", type=int, default=RECIPE.split_seed, help="seed of the 70/15/15 split")
        parser.add_argument("--thresholds", choices=SOURCES, default=RECIPE.thresholds, help="rows tuned on")
        parser.add_argument("--shrink", type=float, default=RECIPE.shrink, help="pull toward one threshold, 0-1")
        parser.add_argument("--train", default="{}", help="JSON training overrides, e.g. '{\"epochs\": 2}'")
        parser.add_argument("--threads", type=int, default=1, help="torch threads (the shipped model: 1)")

    def handle(self, *args, **opts):
        from apps.genres.services.experiments import genre_model_train

        if opts["folds"] < 2:
            raise CommandError("--folds must be at least 2")
        if not 0 <= opts["shrink"] <= 1:
            raise CommandError("--shrink must lie between 0 and 1")
        if opts["threads"] < 1:
            raise CommandError("--threads must be at least 1")
        try:
            train = json.loads(opts["train"])
        except ValueError as exc:
            raise CommandError(f"--train is not JSON: {exc}") from exc
        if not isinstance(train, dict):
            raise CommandError("--train must be a JSON object, e.g. '{\"epochs\": 2}'")
        torch.set_num_threads(opts["threads"])
        recipe = Recipe(
            seeds=opts["seeds"],
            kinds=opts["kinds"],
            folds=opts["folds"],
            fold_seed=opts["fold_seed"],
            split_seed=opts["split_seed"],
            thresholds=opts["thresholds"],
            shrink=opts["shrink"],
            train=train,
        )
        try:
            result, entry = genre_model_train(
                data_path=opts["data"],
                recipe=recipe,
                command=command_line(self, "train_genres", opts),
                store=opts["out"] or None,
                name=opts["name"] or None,
                progress=self.stdout.write,
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        for subset in REPORTED:
            self.stdout.write(f"{subset:>14}: {metrics_line(result['metrics'][subset])}")
        where = opts["out"] or "MODELS_STORE"
        self.stdout.write(f"Wrote {entry['path']} and its manifest entry to {where} (version {entry['version']}).")
