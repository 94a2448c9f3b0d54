"""Experiment reads its state from its job (core.Job) from 0004 on: an experiment that has no job
(imported runs, ``--now`` runs) gets one carrying its status and error, so no state is lost
when the columns go."""
from django.db import migrations

KIND, QUEUE = "movies.genres_experiment", "ml"
FINISHED = ("succeeded", "failed")
OLD = {"errored": "failed", "cancelled": "failed"}  # back to the old columns' statuses


def jobs_for_rows_without_one(apps, schema_editor):
    Job = apps.get_model("core", "Job")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Experiment = apps.get_model("movies", "Experiment")
    for row in Experiment.objects.filter(job__isnull=True):
        job = Job.objects.create(
            kind=KIND, queue=QUEUE, user_id=row.created_by_id, status=row.status, error=row.error,
            target_type=ContentType.objects.get_for_model(Experiment), target_id=str(row.pk),
            finished_at=row.updated_at if row.status in FINISHED else None)
        Job.objects.filter(pk=job.pk).update(created_at=row.created_at)
        Experiment.objects.filter(pk=row.pk).update(job=job)


def states_from_jobs(apps, schema_editor):
    Experiment = apps.get_model("movies", "Experiment")
    for row in Experiment.objects.select_related("job"):
        job = row.job
        status = OLD.get(job.status, job.status) if job else ("succeeded" if row.metrics else "failed")
        cancelled = "Cancelled." if job and job.status == "cancelled" else ""
        error = (job.error or cancelled) if job else ""
        Experiment.objects.filter(pk=row.pk).update(status=status, error=error)


class Migration(migrations.Migration):

    dependencies = [
        ("movies", "0002_genres"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_job"),
    ]

    operations = [migrations.RunPython(jobs_for_rows_without_one, states_from_jobs)]
