import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import django_rq
import pytest
from django.db import connection, transaction

from apps.core.jobs import JobFailed, job_cancel, job_create, job_enqueue, job_handler, job_recover_dead, job_run
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
    raise ConnectionError("Error 2 connecting to unix:///srv/var/redis/redis.sock. No such file.")


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
def test_an_unexpected_exception_is_errored_with_a_neutral_message_and_the_details_for_admins(user, run_jobs):
    """Finding 7: an analysis error showed the internal socket path to its owner."""
    from apps.core.jobs import UNEXPECTED

    job = job_enqueue(kind="tests.crash", user=user)
    assert job.queue == "ml"
    run_jobs(["ml"])
    job.refresh_from_db()
    assert job.status == Job.Status.ERRORED
    assert job.error == UNEXPECTED and "redis.sock" not in job.error
    assert "Traceback" in job.traceback and "redis.sock" in job.traceback
    assert all("redis.sock" not in line.message for line in job.logs.all())


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
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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

    job = Job.objects.create(
        kind="tests.count",
        queue="default",
        user=user,
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker_host="another-host",
        worker_pid=1,
    )
    assert job_recover_dead() == 0
    Job.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timezone.timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    )
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


# --- job_run owns the target lookup, maps ApplicationError, and calls on_finish once per ending.
ENDINGS: list[tuple[int, str]] = []


def _record_ending(job):
    ENDINGS.append((job.pk, job.status))


def _broken_on_finish(job):
    raise RuntimeError("clean-up broke")


@job_handler("tests.target_name", queue="default", on_finish=_record_ending)
def target_name_job(job, progress):
    return {"username": job.target.username}


@job_handler("tests.app_error", queue="default", on_finish=_record_ending)
def app_error_job(job, progress):
    from apps.core.errors import ApplicationError

    raise ApplicationError("That scene is not yours.", code="forbidden", status=403)


@job_handler("tests.crash_finished", queue="default", on_finish=_record_ending)
def crash_finished_job(job, progress):
    raise RuntimeError("boom")


@job_handler("tests.broken_clean_up", queue="default", on_finish=_broken_on_finish)
def broken_clean_up_job(job, progress):
    return {"done": True}


@pytest.fixture
def endings():
    ENDINGS.clear()
    yield ENDINGS
    ENDINGS.clear()


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


@pytest.mark.django_db(transaction=True)
def test_the_handler_gets_its_target_and_a_deleted_target_fails_the_job_clearly(user, other_user, run_jobs):
    from tests.factories import UserFactory

    found = job_enqueue(kind="tests.target_name", user=user, target=other_user)
    deleted = UserFactory(username="gone")
    gone = job_enqueue(kind="tests.target_name", user=user, target=deleted)
    deleted.delete()
    run_jobs()
    found.refresh_from_db()
    gone.refresh_from_db()
    assert found.status == Job.Status.SUCCEEDED and found.result == {"username": "bob"}
    assert gone.status == Job.Status.FAILED
    assert gone.error == "The user this job was for was deleted before the job could run."


@pytest.mark.django_db(transaction=True)
def test_an_application_error_fails_the_job_with_its_message(user, run_jobs, endings):
    job = job_enqueue(kind="tests.app_error", user=user)
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "That scene is not yours." and job.traceback == ""
    assert endings == [(job.pk, Job.Status.FAILED)]


@pytest.mark.django_db(transaction=True)
def test_on_finish_runs_exactly_once_for_every_kind_of_ending(user, run_jobs, endings):
    from django.utils import timezone

    succeeded = job_enqueue(kind="tests.target_name", user=user, target=user)
    failed = job_enqueue(kind="tests.app_error", user=user)
    errored = job_enqueue(kind="tests.crash_finished", user=user)
    cancelled = job_enqueue(kind="tests.target_name", user=user, target=user)
    assert job_cancel(job=cancelled) and not job_cancel(job=cancelled)
    run_jobs()
    for job in (succeeded, failed, errored, cancelled):
        job_run(job.pk)  # a late second delivery ends nothing again
    dead = Job.objects.create(
        kind="tests.target_name",
        queue="default",
        user=user,
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker_host=socket.gethostname(),
        worker_pid=_dead_pid(),
    )
    assert job_recover_dead() == 1 and job_recover_dead() == 0
    assert sorted(endings) == sorted(
        [
            (cancelled.pk, Job.Status.CANCELLED),
            (succeeded.pk, Job.Status.SUCCEEDED),
            (failed.pk, Job.Status.FAILED),
            (errored.pk, Job.Status.ERRORED),
            (dead.pk, Job.Status.ERRORED),
        ]
    )


@pytest.mark.django_db(transaction=True)
def test_a_raising_on_finish_is_logged_and_the_ending_is_still_recorded(user, run_jobs, caplog):
    job = job_enqueue(kind="tests.broken_clean_up", user=user)
    run_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.result == {"done": True}
    assert f"on_finish of job {job.pk} (tests.broken_clean_up) failed" in caplog.text
    queued = job_enqueue(kind="tests.broken_clean_up", user=user)
    assert job_cancel(job=queued) is True
    assert Job.objects.get(pk=queued.pk).status == Job.Status.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_queued_jobs_that_a_crashed_redis_lost_run_once_a_worker_starts(user):
    """Redis restarted without its data: rows said "queued" for ever and nothing ran them."""
    from workers.worker import DefaultWorker

    lost = job_enqueue(kind="tests.count", user=user, params={"n": 2})
    lost.refresh_from_db()
    assert lost.rq_id
    connection_ = django_rq.get_connection("default")
    connection_.flushdb()  # what a Redis restarted without a snapshot holds
    in_a_command = job_create(kind="tests.count", user=user, params={"n": 1})

    worker = DefaultWorker([django_rq.get_queue("default")], connection=connection_)
    worker.work(burst=True, with_scheduler=False)
    lost.refresh_from_db()
    assert lost.status == Job.Status.SUCCEEDED and lost.result == {"counted": 2}
    assert "queued again" in " ".join(lost.logs.values_list("message", flat=True))
    in_a_command.refresh_from_db()
    assert in_a_command.status == Job.Status.QUEUED  # run by its command, never by a worker


@pytest.mark.django_db(transaction=True)
def test_a_running_worker_queues_the_lost_jobs_again_when_redis_forgot_it(user):
    from rq.job import Job as RQJob

    from workers.worker import DefaultWorker

    connection_ = django_rq.get_connection("default")
    worker = DefaultWorker([django_rq.get_queue("default")], connection=connection_)
    worker.register_birth()
    lost = job_enqueue(kind="tests.count", user=user, params={"n": 1})
    lost.refresh_from_db()
    connection_.flushdb()
    worker.heartbeat()  # Redis no longer lists the worker: it registers again and looks for lost jobs
    assert RQJob.exists(lost.rq_id, connection=connection_)
    assert connection_.sismember(worker.redis_workers_keys, worker.key)
