import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import django_rq
import pytest
from django.db import connection, transaction

from apps.core.jobs import JobFailed, job_cancel, job_enqueue, job_handler, job_recover_dead, job_run
from apps.core.models import Job

ROOT = Path(__file__).resolve().parents[2]


@job_handler("tests.count", queue="default")
def count_job(job, progress):
    total = job.params["n"]
    for i in range(1, total + 1):
        progress(i, total, f"step {i}")
    return {"counted": total}


@job_handler("tests.refuse", queue="default")
def refuse_job(job, progress):
    progress(1, 2, "checking input")
    raise JobFailed("The file is not a video.")


@job_handler("tests.crash", queue="ml")
def crash_job(job, progress):
    raise ZeroDivisionError("boom")


def _rq_ids(queue="default"):
    return django_rq.get_queue(queue).job_ids


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_in_a_transaction_reaches_the_queue_only_after_commit(user, run_jobs):
    with transaction.atomic():
        job = job_enqueue(kind="tests.count", user=user, params={"n": 3})
        assert _rq_ids() == []  # not before commit
    assert _rq_ids() == [f"cinescent-job-{job.pk}"]
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result == {"counted": 3}
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
    assert [line.message for line in job.logs.all()] == ["step 1", "step 2", "step 3"]
    assert job.started_at and job.finished_at and job.worker_pid == os.getpid()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_enqueues_nothing(user):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            job_enqueue(kind="tests.count", user=user, params={"n": 1})
            raise RuntimeError("abort")
    assert Job.objects.count() == 0
    assert _rq_ids() == []


@pytest.mark.django_db(transaction=True)
def test_an_expected_failure_is_recorded_as_failed_with_the_users_message(user, run_jobs):
    job = job_enqueue(kind="tests.refuse", user=user)
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "The file is not a video."
    assert job.traceback == ""
    assert [line.message for line in job.logs.all()] == ["checking input", "The file is not a video."]


@pytest.mark.django_db(transaction=True)
def test_an_unexpected_exception_is_recorded_as_errored_with_a_traceback(user, run_jobs):
    job = job_enqueue(kind="tests.crash", user=user)
    assert job.queue == "ml"
    run_jobs(["ml"])
    job.refresh_from_db()
    assert job.status == Job.Status.ERRORED
    assert "ZeroDivisionError: boom" in job.error
    assert "Traceback" in job.traceback


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_job_is_never_run(user, run_jobs):
    job = job_enqueue(kind="tests.count", user=user, params={"n": 1})
    assert job_cancel(job=Job.objects.get(pk=job.pk)) is True
    job_run(job.pk)  # even a late delivery is skipped by the conditional claim
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED
    assert job.result is None
    assert job_cancel(job=job) is False


@pytest.mark.django_db(transaction=True)
def test_a_job_is_claimed_once_even_if_delivered_twice(user):
    job = job_enqueue(kind="tests.count", user=user, params={"n": 2})
    job_run(job.pk)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.logs.count() == 2


def test_an_unknown_kind_or_queue_is_refused():
    with pytest.raises(ValueError, match="no job handler"):
        job_enqueue(kind="tests.nope")
    with pytest.raises(ValueError, match="unknown queue"):
        job_handler("tests.bad", queue="gpu")


def _test_database_url() -> str:
    s = connection.settings_dict
    return f"postgresql://{s['USER']}:{s['PASSWORD']}@/{s['NAME']}?host={s['HOST']}"


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_was_killed_is_marked_errored(user):
    from django.conf import settings

    job = job_enqueue(kind="core.system_check", user=user, params={"delay": 30})
    env = dict(os.environ, DATABASE_URL=_test_database_url(), REDIS_URL=settings.REDIS_URL)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "default", "--burst"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while Job.objects.get(pk=job.pk).status != Job.Status.RUNNING:
            assert time.monotonic() < deadline, "the worker never picked up the job"
            assert worker.poll() is None, "the worker exited early"
            time.sleep(0.2)
        assert job_recover_dead() == 0  # alive: nothing to recover
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert job_recover_dead() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.ERRORED
    assert "stopped unexpectedly" in job.error
    assert job.finished_at is not None


@pytest.mark.django_db
def test_a_running_job_with_a_silent_heartbeat_is_presumed_dead(user, settings):
    from django.utils import timezone

    job = Job.objects.create(kind="tests.count", queue="default", user=user, status=Job.Status.RUNNING,
                             started_at=timezone.now(), heartbeat_at=timezone.now(),
                             worker_host="another-host", worker_pid=1)
    assert job_recover_dead() == 0
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timezone.timedelta(seconds=settings.JOB_STALE_SECONDS + 1))
    assert job_recover_dead() == 1


@job_handler("tests.slow", queue="default", timeout=1)
def slow_job(job, progress):
    time.sleep(5)


@pytest.mark.django_db(transaction=True)
def test_a_job_over_its_time_limit_is_stopped_and_says_so(user, run_jobs):
    job = job_enqueue(kind="tests.slow", user=user)
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.ERRORED
    assert job.error == "The job ran longer than its limit of 1 s and was stopped."


@pytest.mark.django_db(transaction=True)
def test_a_job_runs_in_the_forking_worker_like_in_production(user, run_jobs):
    job = job_enqueue(kind="tests.count", user=user, params={"n": 2})
    run_jobs(["default"], forking=True)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.worker_pid != os.getpid()  # ran in the forked work horse
    assert [line.message for line in job.logs.all()] == ["step 1", "step 2"]
