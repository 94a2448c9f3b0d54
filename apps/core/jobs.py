"""Background jobs: one `Job` row per job, RQ only ever runs `job_run(job_pk)`.

- `@job_handler(kind, queue=..., on_finish=...)` registers `handler(job, progress) -> dict | None`;
  `job_run` looks up the job's target first (`job.target`; a deleted target fails the job) and
  calls `on_finish(job)` once on every ending: success, failure, error, a dead worker found by
  `job_recover_dead`, a cancel. Domain rows read their state from the job (`JobState`).
- `job_enqueue(...)` writes the row and enqueues after the surrounding transaction commits, so a
  worker never sees a job whose row (or the data it works on) was rolled back.
- `job_run` claims the row with a conditional update (queued -> running): a second delivery or a
  job cancelled meanwhile is skipped. `JobFailed` or `ApplicationError` = expected failure with a
  message for the user; any other exception = errored, with the traceback for admins.
- A running job's heartbeat is refreshed by a thread; `job_recover_dead()` marks jobs whose worker
  process is gone (or whose heartbeat went silent) as errored, so nobody watches a dead spinner.
"""

import logging
import os
import socket
import threading
import time
import traceback as traceback_module
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import close_old_connections, connection, transaction
from django.db.models import F
from django.utils import timezone
from redis.exceptions import RedisError
from rq.timeouts import JobTimeoutException

from apps.core.errors import ApplicationError, JobFailed
from apps.core.models import Job, JobLog

logger = logging.getLogger(__name__)

RQ_JOB_PREFIX = "cinescent-job-"
UNEXPECTED = (
    "The job stopped on an unexpected error. Nothing was lost; the team can see the " "details. Try again later."
)
_PROGRESS_MIN_INTERVAL = 0.5  # seconds between counter writes; notes and the last step always land


@dataclass(frozen=True)
class JobHandler:
    kind: str
    func: Callable
    queue: str
    timeout: int
    on_finish: Callable | None = None
    label: str = ""  # what people call it ("Video analysis"); pages show it instead of the kind
    result_url: Callable | None = None  # result_url(job) -> the page showing this job's result


_HANDLERS: dict[str, JobHandler] = {}


def job_handler(
    kind: str,
    *,
    queue: str = "default",
    timeout: int = 600,
    on_finish: Callable | None = None,
    label: str = "",
    result_url: Callable | None = None,
):
    """Register ``handler(job, progress)`` for ``kind``; ``on_finish(job)`` (optional) runs after
    every ending of such a job is recorded, with the job in its final state (domain clean-up)."""
    if queue not in settings.JOB_QUEUES:
        raise ValueError(f"unknown queue {queue!r} for job kind {kind!r}")

    def register(func):
        _HANDLERS[kind] = JobHandler(
            kind=kind, func=func, queue=queue, timeout=timeout, on_finish=on_finish, label=label, result_url=result_url
        )
        return func

    return register


def job_handler_get(kind: str) -> JobHandler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise ValueError(f"no job handler registered for kind {kind!r}") from None


def job_label(kind: str) -> str:
    """The name people read for a job kind: its handler's label, else the kind itself."""
    handler = _HANDLERS.get(kind)
    return (handler.label if handler else "") or kind


def job_result_url(job) -> str:
    """The page its app gives a job's result (`result_url` of the handler), or ""."""
    handler = _HANDLERS.get(job.kind)
    return handler.result_url(job) if handler and handler.result_url else ""


def job_kinds() -> list[str]:
    return sorted(_HANDLERS)


def job_create(
    *,
    kind: str,
    user=None,
    target=None,
    params: dict | None = None,
    status: str = Job.Status.QUEUED,
    result: dict | None = None,
) -> Job:
    """A Job row that no queue carries: queued, for a command to run in its own process with
    `job_run` (same claim, outcome and on_finish as a worker), or already finished for work
    done outside a job (an import), so every row whose state is its job's has one."""
    handler = job_handler_get(kind)
    job = Job(kind=kind, queue=handler.queue, user=user, params=params or {}, status=status, result=result)
    if target is not None:
        job.target_type = ContentType.objects.get_for_model(target)
        job.target_id = str(target.pk)
    if job.is_finished:
        job.finished_at = timezone.now()
    job.full_clean()
    job.save()
    return job


def job_enqueue(*, kind: str, user=None, target=None, params: dict | None = None) -> Job:
    """Create a queued Job and hand it to RQ once the current transaction commits.

    Raises ApplicationError 503 (`queue_unavailable`) before writing anything when the queue's
    Redis does not answer; callers write in one transaction with this call, so nothing is saved.
    """
    import django_rq

    handler = job_handler_get(kind)
    try:
        django_rq.get_connection(handler.queue).ping()
    except RedisError as exc:
        logger.warning("job queue %r unavailable, %s refused: %s", handler.queue, kind, exc)
        raise ApplicationError(
            "The job queue is unavailable right now, so nothing was saved. Try again in a minute.",
            code="queue_unavailable",
            status=503,
        ) from None
    job = Job(kind=kind, queue=handler.queue, user=user, params=params or {})
    if target is not None:
        job.target_type = ContentType.objects.get_for_model(target)
        job.target_id = str(target.pk)
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: _push_to_rq(job.pk, handler))
    return job


def _push_to_rq(job_pk: int, handler: JobHandler) -> None:
    import django_rq

    rq_id = f"{RQ_JOB_PREFIX}{job_pk}"
    try:
        django_rq.get_queue(handler.queue).enqueue(
            job_run,
            job_pk,
            job_id=rq_id,
            job_timeout=handler.timeout,
            result_ttl=3600,
            failure_ttl=7 * 24 * 3600,
        )
    except Exception:  # the queue went down after the check: say so instead of a silent "queued"
        logger.exception("could not enqueue job %s", job_pk)  # details (addresses) for admins only
        _finish(
            job_pk,
            Job.Status.ERRORED,
            error="The job queue was unavailable when this job was submitted, so it never " "started. Start it again.",
        )
        return
    Job.objects.filter(pk=job_pk).update(rq_id=rq_id)


def job_run(job_pk: int) -> None:
    """Entry point for RQ. Runs one job's handler and records the outcome on the row."""
    close_old_connections()
    claimed = Job.objects.filter(pk=job_pk, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker_name=_current_worker_name(),
        worker_host=socket.gethostname(),
        worker_pid=os.getpid(),
    )
    if not claimed:
        logger.info("job %s was not queued any more (cancelled or taken); skipping", job_pk)
        return
    job = Job.objects.get(pk=job_pk)
    handler = job_handler_get(job.kind)
    progress = Progress(job_pk)
    heartbeat = _Heartbeat(job_pk)
    heartbeat.start()
    try:
        _target_check(job)
        result = handler.func(job, progress)
    except (JobFailed, ApplicationError) as exc:
        _finish(job_pk, Job.Status.FAILED, error=str(exc))
    except JobTimeoutException:
        _finish(
            job_pk,
            Job.Status.ERRORED,
            error=f"The job ran longer than its limit of {handler.timeout} s and was stopped.",
            tb=traceback_module.format_exc(),
        )
    except BaseException as exc:
        # The exception's text can name internal addresses, paths or data: it stays in the
        # traceback (superusers); the owner reads a neutral sentence.
        _finish(job_pk, Job.Status.ERRORED, error=UNEXPECTED, tb=traceback_module.format_exc())
        if not isinstance(exc, Exception):
            raise
    else:
        _finish(job_pk, Job.Status.SUCCEEDED, result=result)
    finally:
        heartbeat.stop()


def _target_check(job: Job) -> None:
    """Load the job's target into `job.target` for the handler; a deleted one fails the job."""
    if job.target_type_id and job.target is None:
        name = job.target_type.model_class()._meta.verbose_name
        raise JobFailed(f"The {name} this job was for was deleted before the job could run.")


def _finish(job_pk, status, *, error="", tb="", result=None) -> None:
    """Record how an unfinished job ended, then run its on_finish hook (only if this call was
    the one that ended it: a job ends once)."""
    updates = dict(status=status, finished_at=timezone.now(), error=error, traceback=tb)
    if result is not None:
        updates["result"] = result
    if status == Job.Status.SUCCEEDED:
        updates["progress_done"] = F("progress_total")
    ended = Job.objects.filter(pk=job_pk, status__in=[Job.Status.RUNNING, Job.Status.QUEUED]).update(**updates)
    if error:
        JobLog.objects.create(job_id=job_pk, level=JobLog.Level.ERROR, message=error)
    if ended:
        _on_finish(job_pk)


def _on_finish(job_pk: int) -> None:
    """Call the handler's on_finish with the ended job. Its failure is logged and never undoes
    the ending, which is already recorded."""
    job = Job.objects.get(pk=job_pk)
    handler = _HANDLERS.get(job.kind)
    if handler is None or handler.on_finish is None:
        return
    try:
        handler.on_finish(job)
    except Exception:
        logger.exception("on_finish of job %s (%s) failed", job_pk, job.kind)


def _current_worker_name() -> str:
    from rq import get_current_job

    rq_job = get_current_job()
    return (rq_job.worker_name or "") if rq_job else ""


class Progress:
    """The `progress(done, total, note)` callback handed to services."""

    def __init__(self, job_pk: int):
        self.job_pk = job_pk
        self._last_write = 0.0

    def __call__(self, done: int, total: int, note: str = "") -> None:
        now = time.monotonic()
        if note or done >= total or now - self._last_write >= _PROGRESS_MIN_INTERVAL:
            updates = dict(
                progress_done=max(0, int(done)),
                progress_total=max(0, int(total)),
                heartbeat_at=timezone.now(),
            )
            if note:
                updates["progress_note"] = note[:500]
            Job.objects.filter(pk=self.job_pk).update(**updates)
            self._last_write = now
        if note:
            self.log(note)

    def log(self, message: str, level: str = JobLog.Level.INFO) -> None:
        JobLog.objects.create(job_id=self.job_pk, level=level, message=message)


class _Heartbeat:
    """Refreshes `heartbeat_at` while a handler runs, from its own thread and DB connection."""

    def __init__(self, job_pk: int):
        self.job_pk = job_pk
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, daemon=True, name=f"job-{job_pk}-hb")

    def start(self):
        self._thread.start()

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=5)

    def _beat(self):
        try:
            while not self._stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                Job.objects.filter(pk=self.job_pk, status=Job.Status.RUNNING).update(heartbeat_at=timezone.now())
        except Exception:  # a failed heartbeat must never break the job itself
            logger.exception("heartbeat for job %s failed", self.job_pk)
        finally:
            connection.close()


def job_cancel(*, job: Job) -> bool:
    """Cancel a queued job. Returns False when it already started or finished."""
    cancelled = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
        status=Job.Status.CANCELLED, finished_at=timezone.now()
    )
    if not cancelled:
        return False
    JobLog.objects.create(job_id=job.pk, message="Cancelled before it started.")
    if job.rq_id:
        _rq_cancel(job)
    _on_finish(job.pk)
    return True


def _rq_cancel(job: Job) -> None:
    import django_rq
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.job import Job as RQJob

    try:
        RQJob.fetch(job.rq_id, connection=django_rq.get_connection(job.queue)).cancel()
    except (NoSuchJobError, InvalidJobOperation):
        pass  # already gone; job_run's conditional claim skips it anyway
    except RedisError:  # the row says cancelled, so job_run's claim skips it if it is delivered
        logger.warning("job %s cancelled, but its queue entry could not be removed", job.pk, exc_info=True)


def job_is_dead(job: Job, *, now=None) -> bool:
    """A running job whose worker process is gone, or whose heartbeat went silent."""
    if job.status != Job.Status.RUNNING:
        return False
    if job.worker_pid and job.worker_host == socket.gethostname() and not pid_alive(job.worker_pid):
        return True
    now = now or timezone.now()
    last = job.heartbeat_at or job.started_at
    return last is None or now - last > timedelta(seconds=settings.JOB_STALE_SECONDS)


def job_recover_dead(*, queryset=None) -> int:
    """Mark running jobs whose worker died as errored (and run their on_finish). Returns how
    many were recovered."""
    candidates = (queryset if queryset is not None else Job.objects).filter(status=Job.Status.RUNNING)
    recovered = 0
    for job in candidates:
        if not job_is_dead(job):
            continue
        updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.ERRORED,
            finished_at=timezone.now(),
            error="The worker running this job stopped unexpectedly (it crashed or was killed). "
            "Start the job again.",
        )
        if updated:
            JobLog.objects.create(
                job_id=job.pk,
                level=JobLog.Level.ERROR,
                message=f"Worker {job.worker_name or job.worker_pid} died; job marked errored.",
            )
            _on_finish(job.pk)
            recovered += 1
    return recovered


def job_requeue_lost(*, queues) -> int:
    """Hand back to RQ the queued jobs of ``queues`` that Redis no longer holds (it restarted
    without its data after a crash): their rows say "queued" and nothing would ever run them.
    Only rows that were handed to RQ (``rq_id`` set) count: rows made by ``job_create`` run in a
    command's own process. A job handed back twice still runs once (``job_run`` claims the row).
    Returns how many were handed back."""
    import django_rq
    from rq.job import Job as RQJob

    requeued = 0
    for job in Job.objects.filter(status=Job.Status.QUEUED, queue__in=list(queues)).exclude(rq_id=""):
        if RQJob.exists(job.rq_id, connection=django_rq.get_connection(job.queue)):
            continue
        logger.warning("job %s was queued in a Redis that lost it; queueing it again", job.pk)
        JobLog.objects.create(
            job_id=job.pk,
            level=JobLog.Level.WARNING,
            message="The job queue lost this job (Redis restarted without its data); " "queued again.",
        )
        _push_to_rq(job.pk, job_handler_get(job.kind))
        requeued += 1
    return requeued


def pid_alive(pid: int) -> bool:
    import psutil

    try:
        process = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return False
    return process.status() != psutil.STATUS_ZOMBIE


@job_handler("core.system_check", queue="default", timeout=120, label="System check")
def system_check_job(job, progress):
    """Checks database, queue, storage and model store, step by step, with progress."""
    from apps.core.services import system_check_run

    return system_check_run(progress=progress, delay=float(job.params.get("delay", 0.3)))
