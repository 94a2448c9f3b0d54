"""Deleting genre suggestions and experiments: the rows and, once the deletion has committed, the files
that were theirs (a suggestion's Grad-CAM heat map; an experiment's work folder and example heat maps).

A suggestion's heat map goes through ``suggestion_heatmap_remove``, a ``post_delete`` receiver
(``GenresConfig.ready``): suggestions are also deleted by the movie they belong to (a cascade the
movies app runs without knowing this app) and replaced when a new prediction comes, and the one
receiver on the row that owns the file sees every such path.
"""

import shutil

from django.core.files.storage import default_storage
from django.db import transaction

from apps.core.errors import ApplicationError
from apps.core.jobs import job_cancel, job_recover_dead
from apps.core.models import Job
from apps.genres.models import Experiment, GenreSuggestion
from apps.genres.services.experiments import experiment_work_dir


def genre_suggestion_delete(*, suggestion: GenreSuggestion) -> None:
    """Delete a suggestion; its heat map goes once the deletion commits."""
    suggestion.delete()


def suggestion_heatmap_remove(sender, instance: GenreSuggestion, **kwargs) -> None:
    """``post_delete`` of a suggestion, however it went: its heat map file, after commit."""
    if instance.heatmap:
        name = instance.heatmap.name
        transaction.on_commit(lambda: default_storage.delete(name))


def experiment_delete(*, experiment: Experiment) -> None:
    """Delete an experiment, then its work folder (weights, results) and its example heat maps; a
    queued job is cancelled. A deployed head stays: deploying copied it into ``models_store/``.
    Raises ApplicationError (409) while its job runs on a live worker: it would write files after
    the deletion."""
    if experiment.job_id:  # a job whose worker died reads as ended first
        job_recover_dead(queryset=Job.objects.filter(pk=experiment.job_id))
        experiment.job.refresh_from_db()
        if experiment.job.status == Job.Status.RUNNING:
            raise ApplicationError(
                f"{experiment.name} is running: delete it once its job has ended.",
                code="experiment_running",
                status=409,
            )
    folder = experiment_work_dir(experiment)
    images = [name for example in experiment.examples for name in example.get("images", {}).values()]
    with transaction.atomic():
        if experiment.job_id:
            job_cancel(job=experiment.job)  # nothing to do unless it is still queued
        experiment.delete()
        transaction.on_commit(lambda: _files_remove(folder, images))


def _files_remove(folder, names) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    for name in names:
        default_storage.delete(name)
