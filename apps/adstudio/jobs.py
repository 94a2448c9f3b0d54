"""Background jobs of the Ad studio (auto-imported by apps.core)."""

from django.conf import settings

from apps.adstudio import services
from apps.adstudio.services.analyses import JOB_KIND as ANALYSE
from apps.adstudio.services.notion import JOB_KIND as NOTION_EXPORT
from apps.core.jobs import job_handler


@job_handler(
    ANALYSE,
    queue="video",
    timeout=settings.ADSTUDIO_JOB_TIMEOUT,
    label="Video analysis",
    on_finish=services.analysis_finished,
)
def analyse(job, progress):
    """Run the whole pipeline for one Analysis (target); see services.analysis_run.

    settings.JOB_WORKERS_VIDEO work horses run side by side: PyTorch and OpenCV get this one's
    share of the cores, so the horses' thread pools do not outnumber the cores (restored
    afterwards for a process that runs jobs in-process, like the tests)."""
    import torch

    from .video.features import cv_threads

    share = max(1, settings.CPU_CORES // settings.JOB_WORKERS_VIDEO)
    before = torch.get_num_threads()
    torch.set_num_threads(share)
    try:
        with cv_threads(share):
            return services.analysis_run(analysis=job.target, progress=progress)
    finally:
        torch.set_num_threads(before)


@job_handler(NOTION_EXPORT, queue="default", timeout=1800, label="Notion export")
def notion_export(job, progress):
    """Create or update the Notion page of one NotionExport (target)."""
    return services.notion_export_run(export=job.target, progress=progress)
