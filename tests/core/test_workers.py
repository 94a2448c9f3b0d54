"""Several `video` workers side by side (settings.JOB_WORKERS_VIDEO), each supervised by runstack,
and the Postgres connection bound that counts them."""

import io
import os
import signal
import subprocess

import psutil
import pytest
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from apps.core.management.commands import runstack
from tests.stack import free_port, runstack_start, wait_until


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


def test_runstack_keeps_every_video_worker_running_and_restarts_a_killed_one(tmp_path):
    log = tmp_path / "stack.log"
    stack = runstack_start(tmp_path, free_port(), log, JOB_WORKERS_VIDEO="2", WEB_WORKERS="1")
    try:
        first = wait_until(lambda: len(_video_workers(stack)) == 2 and _video_workers(stack), 240, "two video workers")
        assert "video 2 x 3" in log.read_text()
        first[0].kill()
        wait_until(
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
