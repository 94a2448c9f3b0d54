"""Worker runtime: one RQ worker class per queue kind.

- `ml`: runs jobs in the worker process itself (`SimpleWorker`), so models loaded by
  `apps.core.registry.ml_model_get` stay in memory between jobs; warm-up functions listed in
  settings.ML_WARMUP run once at start.
- `video`: forks a work horse per job (ffmpeg/OpenCV memory is returned to the OS after each
  video, and a crash in native code kills only the horse). Database connections are closed
  before forking: a connection shared by parent and child corrupts the protocol stream.
- `default`: light jobs, in-process.
Every worker marks jobs left `running` by a dead worker as errored when it starts.
"""
import logging

from django.conf import settings
from django.db import connections
from rq import SimpleWorker, Worker

from apps.core.warmup import warm_up

logger = logging.getLogger(__name__)


class _RecoveringMixin:
    def bootstrap(self, *args, **kwargs):
        from apps.core.jobs import job_recover_dead

        recovered = job_recover_dead()
        if recovered:
            logger.warning("marked %s job(s) of dead workers as errored", recovered)
        return super().bootstrap(*args, **kwargs)


class DefaultWorker(_RecoveringMixin, SimpleWorker):
    def execute_job(self, job, queue):
        try:
            return super().execute_job(job, queue)
        finally:
            connections.close_all()  # never keep a connection across idle hours


class MLWorker(_RecoveringMixin, SimpleWorker):
    def bootstrap(self, *args, **kwargs):
        result = super().bootstrap(*args, **kwargs)
        warm_up(settings.ML_WARMUP)  # a missing model must not stop the worker serving other jobs
        connections.close_all()
        return result


class VideoWorker(_RecoveringMixin, Worker):
    """Forks a work horse per job.

    Never build a torch model in this parent process (no ML_WARMUP here): a forked child of a
    parent that has run torch's thread pool hangs on its first prediction. Importing torch is
    fine; each horse loads the models it needs.
    """

    def fork_work_horse(self, job, queue):
        connections.close_all()
        return super().fork_work_horse(job, queue)
