"""Train and compare genre heads on a data set; optionally deploy one.

    python manage.py genres_experiment --data ../shared/data/genres [--heads text image gmu ...]
        [--name NAME] [--seed 13] [--limit N] [--now] [--deploy KIND|best]
    python manage.py genres_experiment --import-results var/genres/exp3/results.json [--name NAME]

Without ``--now`` the run is enqueued as a job on the ``ml`` queue (watch it on the job page);
with ``--now`` the same job runs in this process (its log is printed when it ends). ``--deploy`` (needs ``--now``) copies the chosen head to
``models_store/`` and writes its manifest entry; ``best`` = the run's validation pick.
"""

import json

import torch
from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from apps.core.jobs import job_run
from apps.genres.ml.heads import HEAD_KINDS
from apps.genres.models import Experiment


class Command(BaseCommand):
    help = "Run a genre-model experiment (and optionally deploy a head)."

    def add_arguments(self, parser):
        parser.add_argument("--data", help="shared JSONL folder/file or an MM-IMDb folder")
        parser.add_argument(
            "--import-results",
            metavar="RESULTS_JSON",
            help="store a bench run's results.json as a finished experiment instead of training",
        )
        parser.add_argument("--heads", nargs="+", default=list(HEAD_KINDS), choices=HEAD_KINDS)
        parser.add_argument("--name", default="")
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument("--limit", type=int, default=None)
        parser.add_argument("--train", default="{}", help="JSON training overrides, e.g. '{\"epochs\": 20}'")
        parser.add_argument("--now", action="store_true", help="run in this process instead of a job")
        parser.add_argument("--deploy", default="", help="head kind to deploy after the run, or 'best'")
        parser.add_argument("--threads", type=int, default=0)

    def handle(self, *args, **opts):
        from apps.genres.services.experiments import experiment_create, experiment_deploy, experiment_import

        if opts["import_results"]:
            try:
                experiment = experiment_import(path=opts["import_results"], name=opts["name"])
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Imported as experiment {experiment.pk}.")
            self._table(experiment)
            return
        if not opts["data"]:
            raise CommandError("--data is required (or --import-results)")
        if opts["deploy"] and not opts["now"]:
            raise CommandError("--deploy needs --now (a queued run has no results yet)")
        if opts["threads"]:
            torch.set_num_threads(opts["threads"])
        try:
            train = json.loads(opts["train"])
            experiment = experiment_create(
                user=None,
                name=opts["name"] or f"heads: {' '.join(opts['heads'])}",
                data_path=opts["data"],
                heads=opts["heads"],
                seed=opts["seed"],
                limit=opts["limit"],
                train=train,
                enqueue=not opts["now"],
            )
        except (ApplicationError, ValueError) as exc:
            raise CommandError(getattr(exc, "message", str(exc))) from exc
        if not opts["now"]:
            self.stdout.write(f"Experiment {experiment.pk} queued as job {experiment.job_id} on the ml queue.")
            return
        self.stdout.write(f"Running experiment {experiment.pk} here as job {experiment.job_id}.")
        job_run(experiment.job_id)
        experiment.refresh_from_db()
        for line in experiment.job.logs.all():
            self.stdout.write(line.message)
        if experiment.status != Experiment.Status.SUCCEEDED:
            raise CommandError(f"Experiment {experiment.pk} {experiment.status}: {experiment.error}")
        self._table(experiment)
        if opts["deploy"]:
            kind = experiment.summary["deploy_candidate"] if opts["deploy"] == "best" else opts["deploy"]
            try:
                entry = experiment_deploy(experiment=experiment, kind=kind)
            except ApplicationError as exc:
                raise CommandError(exc.message) from exc
            self.stdout.write(f"Deployed {kind} as {entry['path']} (version {entry['version']}).")

    def _table(self, experiment):
        cols = ("f1_macro", "f1_micro", "map_macro", "roc_auc_macro")
        for subset in ("test_both", "test_image"):
            self.stdout.write(f"\n{subset:>10}  " + "  ".join(f"{c:>13}" for c in cols))
            for kind, m in experiment.metrics.items():
                row = m.get(subset, {})
                self.stdout.write(f"{kind:>10}  " + "  ".join(f"{(row.get(c) or 0):13.4f}" for c in cols))
        self.stdout.write("\n" + json.dumps(experiment.summary))
