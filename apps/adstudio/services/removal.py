"""Deleting videos and analyses: the rows and, once the deletion has committed, the files that were
theirs alone (an analysis that reused another's results shares its keyframes)."""

from django.core.files.storage import default_storage
from django.db import transaction

from apps.adstudio.models import Analysis, Shot, Video
from apps.adstudio.services.storage import stored_files, workspace
from apps.core.errors import ApplicationError
from apps.core.jobs import job_cancel, job_recover_dead
from apps.core.models import Job


def analysis_delete(*, analysis: Analysis) -> None:
    """Delete an analysis with its shots, scenes, tags, board items and Notion exports, then its
    keyframes and full-size frames that no other analysis's shots use. A queued job is cancelled.
    Raises ApplicationError (409) while its job runs (on a live worker): it would store files after
    the deletion."""
    if analysis.job_id:  # a job whose worker died reads as ended first
        job_recover_dead(queryset=Job.objects.filter(pk=analysis.job_id))
        analysis.job.refresh_from_db()
    if analysis.job_id and analysis.job.status == Job.Status.RUNNING:
        raise ApplicationError(
            f"{analysis} is running: delete it once its job has ended.", code="analysis_running", status=409
        )
    with transaction.atomic():
        if analysis.job_id:
            job_cancel(job=analysis.job)  # nothing to do unless it is still queued
        own = set(stored_files(workspace(analysis.owner_id, "analyses", str(analysis.pk))))
        own |= set(analysis.shots.values_list("keyframe", flat=True))
        shared = Shot.objects.filter(keyframe__in=own).exclude(analysis=analysis).values_list("keyframe", flat=True)
        files = own - set(shared)
        analysis.delete()
        transaction.on_commit(lambda: _storage_delete(files))


def video_delete(*, video: Video) -> None:
    """Delete a video with its analyses (``analysis_delete``, each) and then its source file.
    Raises ApplicationError (409) while one of its analyses runs."""
    with transaction.atomic():
        for analysis in video.analyses.select_related("job"):
            analysis_delete(analysis=analysis)
        files = set(stored_files(workspace(video.owner_id, "videos", str(video.pk))))
        files |= {video.file.name} if video.file else set()
        video.delete()
        transaction.on_commit(lambda: _storage_delete(files))


def _storage_delete(names) -> None:
    for name in names:
        default_storage.delete(name)
