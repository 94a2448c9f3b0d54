"""Analysis and NotionExport read their state from their job (core.Job) from 0004 on: a row that
has no job gets one carrying its status and error, so no state is lost when the columns go."""
from django.db import migrations

KINDS = {"analysis": ("adstudio.analyse", "video"),
         "notionexport": ("adstudio.notion_export", "default")}
FINISHED = ("succeeded", "failed")
# Back to the old columns: the statuses each model had (an errored or cancelled job read as failed).
OLD = {"analysis": {"errored": "failed", "cancelled": "failed"},
       "notionexport": {"running": "queued", "errored": "failed", "cancelled": "failed"}}


def jobs_for_rows_without_one(apps, schema_editor):
    Job = apps.get_model("core", "Job")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name, (kind, queue) in KINDS.items():
        model = apps.get_model("adstudio", name)
        for row in model.objects.filter(job__isnull=True):
            job = Job.objects.create(
                kind=kind, queue=queue, user_id=row.owner_id, status=row.status, error=row.error,
                target_type=ContentType.objects.get_for_model(model), target_id=str(row.pk),
                finished_at=row.updated_at if row.status in FINISHED else None)
            Job.objects.filter(pk=job.pk).update(created_at=row.created_at)
            model.objects.filter(pk=row.pk).update(job=job)


def states_from_jobs(apps, schema_editor):
    for name, mapping in OLD.items():
        model = apps.get_model("adstudio", name)
        for row in model.objects.select_related("job"):
            job = row.job
            status = mapping.get(job.status, job.status) if job else "failed"
            cancelled = "Cancelled." if job and job.status == "cancelled" else ""
            error = (job.error or cancelled) if job else ""
            model.objects.filter(pk=row.pk).update(status=status, error=error)


class Migration(migrations.Migration):

    dependencies = [
        ("adstudio", "0002_notion_token_encrypted"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_job"),
    ]

    operations = [migrations.RunPython(jobs_for_rows_without_one, states_from_jobs)]
