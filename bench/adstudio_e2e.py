"""End to end through Django: upload -> analysis job (probe, shots, keyframes, tags, scenes,
palettes, save to Postgres + storage) with the `local` provider, models warm.

Usage: nice -n 10 .venv/bin/python bench/adstudio_e2e.py VIDEO [--runs 3]

Runs in a throw-away test database and a temporary media folder (nothing touches dev data).
The model is loaded and run once before timing (the "warm" figure); each run deletes the
previous analysis so the content-hash reuse does not short-circuit it. The job is executed
in this process with `job_run`, exactly as the worker does. Quote the median on a shared box.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cinescent.settings")
os.environ.setdefault("CINESCENT_TEST_DB_NAME", f"bench_adstudio_{os.getpid()}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("video")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--worker",
        action="store_true",
        help="run the job in the real forking `video` worker (burst) instead of "
        "in this process; each job's work horse loads the model itself",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="no warm-up: the first run includes loading the model (a fresh "
        "forked video worker without a warm parent pays this)",
    )
    args = parser.parse_args()

    from cinescent import embedded

    redis_dir = Path(tempfile.mkdtemp(prefix="bench-redis-"))
    os.environ["REDIS_URL"] = embedded.redis_url(redis_dir)  # a private Redis, like the tests
    try:
        _bench(args)
    finally:
        embedded.redis_stop(redis_dir)


def _bench(args) -> None:
    import django

    django.setup()
    import numpy as np
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    from apps.adstudio import services
    from apps.adstudio.ml.vision import image_model_get
    from apps.core.jobs import job_run
    from tests.factories import UserFactory

    setup_test_environment()
    db_name = connection.creation.create_test_db(verbosity=0)
    try:
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            if not args.cold and not args.worker:
                t0 = time.perf_counter()
                image_model_get().predict([np.zeros((224, 224, 3), np.uint8)])
                print(f"model load + warm-up: {time.perf_counter() - t0:.1f} s")
            owner = UserFactory(username="bench")
            data = Path(args.video).read_bytes()
            totals = []
            for run in range(args.runs):
                owner.adstudio_analyses.all().delete()
                t0 = time.perf_counter()
                video = services.video_create_from_upload(
                    owner=owner, upload=SimpleUploadedFile(Path(args.video).name, data)
                )
                analysis = services.analysis_start(owner=owner, video=video)
                if args.worker:
                    _video_worker_burst()
                else:
                    job_run(analysis.job_id)
                total = time.perf_counter() - t0
                analysis.refresh_from_db()
                totals.append(total)
                print(
                    f"run {run + 1}: {total:.1f} s, status {analysis.status}, "
                    f"{analysis.shots.count()} shots, {analysis.scenes.count()} scenes, "
                    f"{analysis.tags.count()} tags"
                )
            print(f"median: {statistics.median(totals):.1f} s over {len(totals)} runs")
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)


def _video_worker_burst() -> None:
    import django_rq

    from workers.queues import WORKER_CLASSES

    connection = django_rq.get_connection("video")
    worker = WORKER_CLASSES["video"]([django_rq.get_queue("video")], connection=connection)
    worker.work(burst=True, with_scheduler=False)


if __name__ == "__main__":
    main()
