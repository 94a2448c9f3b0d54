"""Which worker class serves which queue (one worker process per queue under `make run`)."""

from workers.worker import DefaultWorker, MLWorker, VideoWorker

WORKER_CLASSES = {
    "default": DefaultWorker,
    "video": VideoWorker,
    "ml": MLWorker,
}
