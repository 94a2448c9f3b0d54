from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class BaseModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Job(BaseModel):
    """One background job, as users see it. RQ only carries `job_run(job.pk)`."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        ERRORED = "errored", "Errored"
        CANCELLED = "cancelled", "Cancelled"

    FINISHED = (Status.SUCCEEDED, Status.FAILED, Status.ERRORED, Status.CANCELLED)

    kind = models.CharField(max_length=100, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True)
    queue = models.CharField(max_length=50)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    target_id = models.CharField(max_length=64, blank=True, default="")
    target = GenericForeignKey("target_type", "target_id")
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    traceback = models.TextField(blank=True, default="")
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_note = models.CharField(max_length=500, blank=True, default="")
    rq_id = models.CharField(max_length=100, blank=True, default="")
    worker_name = models.CharField(max_length=200, blank=True, default="")
    worker_host = models.CharField(max_length=200, blank=True, default="")
    worker_pid = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["target_type", "target_id"]),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def label(self) -> str:
        """What people call this kind of job ("Video analysis"), from its handler."""
        from apps.core.jobs import job_label

        return job_label(self.kind)

    @property
    def target_url(self) -> str:
        """The page of what the job worked on (its target's get_absolute_url), else the page its
        app gives the job's result (a batch without one target)."""
        from apps.core.jobs import job_result_url

        target = self.target if self.target_type_id else None
        url = getattr(target, "get_absolute_url", None)
        return url() if url else job_result_url(self)

    @property
    def result_facts(self) -> list[tuple[str, str]]:
        """The result as (label, value) lines a person can read: lists and tables are counted,
        not printed as Python."""
        if not isinstance(self.result, dict):
            return [("Result", str(self.result))] if self.result is not None else []
        facts = []
        for key, value in self.result.items():
            if isinstance(value, (list, dict)):
                value = f"{len(value)} item{'' if len(value) == 1 else 's'}"
            facts.append((str(key).replace("_", " ").capitalize(), str(value)))
        return facts

    @property
    def result_url(self) -> str:
        from apps.core.jobs import job_result_url

        return job_result_url(self)

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))

    def recent_logs(self, limit: int = 200):
        """The last `limit` log lines, oldest first (pages poll this; jobs can log a lot)."""
        return list(self.logs.order_by("-id")[:limit])[::-1]

    @property
    def duration_seconds(self) -> float | None:
        if not self.started_at:
            return None
        from django.utils import timezone

        end = self.finished_at or timezone.now()
        return (end - self.started_at).total_seconds()


class RunStatus(models.TextChoices):
    """The state of a domain row whose work is a job, as users see it (see `JobState`)."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class JobState:
    """Mixin for a model whose `job` FK is the one record of its state: `status`, `error` and
    `get_status_display()` read the job (select_related("job") where lists show them). An
    errored job (a crash, a timeout, a dead worker) reads as failed; a model may map more."""

    Status = RunStatus
    STATUS_OF_JOB = {Job.Status.ERRORED: RunStatus.FAILED}

    @property
    def status(self) -> str:
        if self.job is None:  # the job row was deleted (by an admin, or with its user)
            return self.status_without_job()
        return self.STATUS_OF_JOB.get(self.job.status, self.job.status)

    def status_without_job(self) -> str:
        return self.Status.FAILED

    @property
    def error(self) -> str:
        return self.job.error if self.job is not None else ""

    def get_status_display(self) -> str:
        return self.Status(self.status).label


class JobLog(models.Model):
    class Level(models.TextChoices):
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        ERROR = "error", "Error"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="logs")
    created_at = models.DateTimeField(auto_now_add=True)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.INFO)
    message = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.message[:80]
