"""The data migration that moves analysis and export state onto their jobs keeps every row's
state: written with the old columns, read through the job after migrating forward."""

import pytest

from apps.adstudio.models import Analysis, NotionExport, Video
from apps.core.jobs import job_cancel, job_create
from tests.migrating import migrate

BEFORE = [("adstudio", "0002_notion_token_encrypted")]


@pytest.mark.django_db(transaction=True)
def test_rows_without_a_job_keep_their_status_and_error_through_the_migration(user):
    cancelled = Analysis.objects.create(owner=user, video=Video.objects.create(owner=user))
    cancelled.job = job_create(kind="adstudio.analyse", user=user, target=cancelled)
    cancelled.save()
    job_cancel(job=cancelled.job)
    old = migrate(BEFORE)
    try:
        back = old.get_model("adstudio", "Analysis").objects.get(pk=cancelled.pk)
        assert (back.status, back.error) == ("failed", "Cancelled.")  # the old columns' terms
        video = old.get_model("adstudio", "Video").objects.create(owner_id=user.pk, title="v")
        analysis = old.get_model("adstudio", "Analysis").objects
        done = analysis.create(owner_id=user.pk, video=video, status="succeeded")
        broken = analysis.create(owner_id=user.pk, video=video, status="failed", error="The file is text, not a video.")
        waiting = analysis.create(owner_id=user.pk, video=video, status="queued")
        export = old.get_model("adstudio", "NotionExport").objects.create(
            owner_id=user.pk, analysis=done, status="failed", error="Notion refused the token."
        )
    finally:
        migrate()
    rows = Analysis.objects.select_related("job").in_bulk([done.pk, broken.pk, waiting.pk])
    assert rows[done.pk].status == "succeeded" and rows[done.pk].job.kind == "adstudio.analyse"
    assert rows[broken.pk].status == "failed"
    assert rows[broken.pk].job.error == "The file is text, not a video."
    assert rows[broken.pk].job.finished_at is not None
    assert rows[waiting.pk].status == "queued" and rows[waiting.pk].job.user == user
    assert rows[done.pk].job.target == rows[done.pk]
    export = NotionExport.objects.select_related("job").get(pk=export.pk)
    assert export.status == "failed" and export.job.error == "Notion refused the token."
    assert export.job.queue == "default" and export.job.kind == "adstudio.notion_export"
    assert Analysis.objects.get(pk=cancelled.pk).status == "cancelled"  # its own job again
