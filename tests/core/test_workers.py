"""Several `video` workers side by side (settings.JOB_WORKERS_VIDEO), each supervised by runstack,
and the Postgres connection bound that counts them."""

import io
import os
import signal
import socket
import subprocess
import sys
import time

import psutil
import pytest
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from apps.core.management.commands import runstack


def _connection_summary() -> str:
    out = io.StringIO()
    runstack.Command(stdout=out, stderr=io.StringIO())._check_connection_bound()
    return out.getvalue()


@pytest.mark.django_db
def test_the_connection_bound_counts_every_video_worker_and_refuses_too_many():
    with override_settings(JOB_WORKERS_VIDEO=3):
        assert "workers 13 (video 3 x 3)" in _connection_summary()
    with connection.cursor() as cursor:
        cursor.execute("show max_connections")
        limit = int(cursor.fetchone()[0])
    with override_settings(JOB_WORKERS_VIDEO=limit // 3), pytest.raises(CommandError) as refused:
        _connection_summary()
    assert "lower WEB_WORKERS, WEB_THREADS or JOB_WORKERS_VIDEO" in str(refused.value)


def _video_workers(stack: subprocess.Popen) -> list[psutil.Process]:
    found = []
    for child in psutil.Process(stack.pid).children():
        try:
            if child.cmdline()[-2:] == ["worker", "video"] and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
        except psutil.NoSuchProcess:
            continue
    return found


def _wait_until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def test_runstack_keeps_every_video_worker_running_and_restarts_a_killed_one(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CINESCENT_TEST_DB_NAME")}
    env.update(
        CINESCENT_VAR_DIR=str(tmp_path),
        CINESCENT_PORT=str(port),
        JOB_WORKERS_VIDEO="2",
        WEB_WORKERS="1",
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "stack.log"
    with log.open("w") as out:
        stack = subprocess.Popen(
            [sys.executable, "manage.py", "runstack", "--no-demo"],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        first = _wait_until(lambda: len(_video_workers(stack)) == 2 and _video_workers(stack), 240, "two video workers")
        assert "video 2 x 3" in log.read_text()
        first[0].kill()
        _wait_until(
            lambda: {w.pid for w in _video_workers(stack)} - {w.pid for w in first},
            60,
            "a new video worker in place of the killed one",
        )
        assert len(_video_workers(stack)) == 2 and first[1].is_running()
        assert "worker-video exited with signal SIGKILL" in log.read_text()
    finally:
        stack.send_signal(signal.SIGTERM)
        try:
            stack.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
