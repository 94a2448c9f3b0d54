"""Background jobs of the Ad studio (auto-imported by apps.core)."""
from django.conf import settings

from apps.adstudio import services
from apps.adstudio.services.analyses import JOB_KIND as ANALYSE
from apps.adstudio.services.notion import JOB_KIND as NOTION_EXPORT
from apps.core.jobs import job_handler


@job_handler(ANALYSE, queue="video", timeout=settings.ADSTUDIO_JOB_TIMEOUT, label="Video analysis",
             on_finish=services.analysis_finished)
def analyse(job, progress):
    """Run the whole pipeline for one Analysis (target); see services.analysis_run."""
    return services.analysis_run(analysis=job.target, progress=progress)


@job_handler(NOTION_EXPORT, queue="default", timeout=1800, label="Notion export")
def notion_export(job, progress):
    """Create or update the Notion page of one NotionExport (target)."""
    return services.notion_export_run(export=job.target, progress=progress)
