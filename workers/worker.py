"""Worker runtime: one RQ worker class per queue kind.

- `ml`: runs jobs in the worker process itself (`SimpleWorker`), so models loaded by
  `apps.core.registry.ml_model_get` stay in memory between jobs; warm-up functions listed in
  settings.ML_WARMUP run once at start.
- `video`: forks a work horse per job (ffmpeg/OpenCV memory is returned to the OS after each
  video, and a crash in native code kills only the horse). Database connections are closed
  before forking: a connection shared by parent and child corrupts the protocol stream.
- `default`: light jobs, in-process.
Every worker marks jobs left `running` by a dead worker as errored when it starts, waits for
Redis before registering, survives a Redis restart, and queues again the jobs a Redis that
restarted without its data lost (see `_RecoveringMixin`).
"""

import logging
import time

from django.conf import settings
from django.db import connections
from redis.exceptions import ConnectionError as RedisConnectionError, TimeoutError as RedisTimeoutError
from rq import SimpleWorker, Worker, worker_registration

from apps.core.warmup import warm_up

logger = logging.getLogger(__name__)

_REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


class _RecoveringMixin:
    """Start-up recovery, and staying visible across a Redis outage.

    rq retries a lost Redis with a back-off that grows to 60 s, and when Redis comes back empty
    (restarted without its data) rq's heartbeat only refreshes one field of the worker's hash: the
    worker runs on but is in no registry, so /healthz and the ops page report its queue unserved
    for good. Here the back-off stops at a few seconds and a heartbeat re-registers a forgotten
    worker, so both recover seconds after Redis does.
    """

    max_connection_wait_time = 4.0

    def bootstrap(self, *args, **kwargs):
        from apps.core.jobs import job_recover_dead

        recovered = job_recover_dead()
        if recovered:
            logger.warning("marked %s job(s) of dead workers as errored", recovered)
        self._wait_for_redis()
        result = super().bootstrap(*args, **kwargs)
        self._requeue_lost()
        return result

    def _requeue_lost(self) -> None:
        """Queued jobs that a Redis crash lost go back on this worker's queues."""
        from apps.core.jobs import job_requeue_lost

        try:
            job_requeue_lost(queues=self.queue_names())
        finally:
            connections.close_all()  # the video worker forks next: no connection may cross

    def _wait_for_redis(self) -> None:
        # A worker (re)started during an outage waits instead of exiting at once, so the
        # supervisor of `make run` does not count it as a crash loop and give up on it.
        delay = 0.5
        while True:
            try:
                self.connection.ping()
                return
            except _REDIS_DOWN as exc:
                logger.warning(
                    "worker %s: Redis does not answer (%s); retrying in %.0f s", self.name, type(exc).__name__, delay
                )
                time.sleep(delay)
                delay = min(delay * 2, self.max_connection_wait_time)

    def heartbeat(self, timeout=None, pipeline=None):
        if pipeline is None:  # inside a pipeline, a read would only be queued
            self._register_again_if_forgotten()
        super().heartbeat(timeout, pipeline)

    def _register_again_if_forgotten(self) -> None:
        if self.connection.sismember(self.redis_workers_keys, self.key):
            return
        logger.warning(
            "worker %s: Redis no longer lists this worker (restarted without its " "data?); registering again",
            self.name,
        )
        with self.connection.pipeline() as pipeline:
            pipeline.hset(self.key, mapping={**self.serialize(), "state": self.get_state()})
            worker_registration.register(self, pipeline)
            pipeline.execute()
        self._requeue_lost()  # a Redis that forgot the worker forgot its queued jobs too


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

    Never run a torch model in this parent process (no ML_WARMUP here): a forked child of a
    parent that has run torch's thread pool hangs on its first prediction. The models listed in
    settings.VIDEO_PRELOAD are built here once, on one thread and without a forward pass, so
    every horse inherits them (copy-on-write) instead of loading them again for each video.
    """

    def bootstrap(self, *args, **kwargs):
        result = super().bootstrap(*args, **kwargs)
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            warm_up(settings.VIDEO_PRELOAD)
        finally:
            torch.set_num_threads(threads)
            connections.close_all()
        return result

    def fork_work_horse(self, job, queue):
        connections.close_all()
        return super().fork_work_horse(job, queue)

    def handle_work_horse_killed(self, job, retpid, ret_val, rusage):
        """The horse died mid-job (killed, out of memory, a crash in native code): its Job row
        would say "running" until the heartbeat goes stale; mark it errored now."""
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)
        from apps.core.jobs import job_recover_dead
        from apps.core.models import Job

        try:
            job_recover_dead(queryset=Job.objects.filter(rq_id=job.id))
        finally:
            connections.close_all()  # never carry a connection into the next fork
