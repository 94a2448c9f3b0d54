"""`make run`: the whole site on one machine.

Starts (or reuses) the embedded PostgreSQL + Redis (through settings), migrates, loads demo
data, creates or reports an admin login, then runs the web server (gunicorn, settings in
cinescent/gunicorn_conf.py) and one RQ worker per queue (settings.JOB_WORKERS_VIDEO for `video`,
so several videos are analysed side by side) as supervised child processes: a child that exits
is started again after a back-off (1 s, doubling); one that keeps dying within
FAST_CRASH_SECONDS of its start is given up on, loudly, while the others keep serving.
Ctrl-C (or SIGTERM) stops the children, then the embedded services.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from cinescent import gunicorn_conf
from cinescent.env import env_int, env_str

RESTART_FIRST_DELAY = 1.0  # seconds before restarting a child that ran a while
FAST_CRASH_SECONDS = 30.0  # a child that exits sooner than this after its start crashed "fast"
FAST_CRASH_LIMIT = 5  # that many fast exits in a row (1 + 2 + 4 + 8 s of back-off): give up
# Database connections outside the web: default and ml workers one each plus a job's heartbeat
# thread; each video worker one (closed before each fork) plus its work horse and heartbeat.
WORKER_CONNECTIONS = 2 + 2
VIDEO_WORKER_CONNECTIONS = 3


@dataclass
class Child:
    name: str
    command: list
    process: subprocess.Popen | None = None
    started: float = 0.0
    fast_exits: int = 0
    restart_at: float = 0.0
    given_up: bool = False


class Command(BaseCommand):
    help = "Run the web server and one worker per queue on embedded services (Ctrl-C stops all)."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Skip loading demo data.")

    def handle(self, *args, no_demo=False, **options):
        call_command("migrate", interactive=False, verbosity=1)
        for command in settings.STARTUP_COMMANDS:  # upkeep after migrating (settings say which)
            call_command(command)
        if not settings.DEBUG:  # with debug on, whitenoise serves static files from the app folders
            call_command("collectstatic", interactive=False, verbosity=0)
        if not no_demo:
            call_command("demo_load")
        self._admin_login()
        self._check_connection_bound()
        connections.close_all()  # the supervisor itself holds none while it waits
        children = self._start_children()
        self._supervise(children)

    def _admin_login(self):
        User = get_user_model()
        username = env_str("CINESCENT_ADMIN_USER", "admin")
        password_file = Path(settings.VAR_DIR) / "admin-password.txt"
        user = User.objects.filter(username=username).first()
        if user is None:
            password = env_str("CINESCENT_ADMIN_PASSWORD", "") or secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, password=password, email="")
            password_file.parent.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
            self.stdout.write(
                self.style.SUCCESS(f"Admin login created: {username} / {password}" f" (saved in {password_file})")
            )
        elif password_file.exists():
            self.stdout.write(
                f"Admin login: {username} / {password_file.read_text().strip()}" f" (from {password_file})"
            )
        else:
            self.stdout.write(f"Admin login: {username} (exists; password unchanged)")

    def _check_connection_bound(self) -> None:
        """Refuse to start a stack that could open more connections than Postgres accepts."""
        web = gunicorn_conf.workers * (gunicorn_conf.threads + 1)  # + each process's warm-up thread
        workers = WORKER_CONNECTIONS + VIDEO_WORKER_CONNECTIONS * settings.JOB_WORKERS_VIDEO
        bound = web + workers + 1  # + this supervisor (migrate, admin login)
        with connection.cursor() as cursor:
            cursor.execute("show max_connections")
            limit = int(cursor.fetchone()[0])
        summary = (
            f"Database connections: at most {bound} (web {gunicorn_conf.workers} processes x "
            f"({gunicorn_conf.threads} threads + warm-up), workers {workers} (video "
            f"{settings.JOB_WORKERS_VIDEO} x {VIDEO_WORKER_CONNECTIONS}), supervisor 1) of "
            f"Postgres' max_connections {limit}"
        )
        if bound > limit * 3 // 4:  # leave room for admin sessions, psql, a second checkout
            raise CommandError(f"{summary}: lower WEB_WORKERS, WEB_THREADS or JOB_WORKERS_VIDEO.")
        self.stdout.write(summary + ".")

    def children(self, host: str, port: int) -> list[Child]:
        """The web server, then the workers: one per queue, JOB_WORKERS_VIDEO for `video`."""
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            gunicorn_conf.__file__,
            "--bind",
            f"{host}:{port}",
            "cinescent.wsgi:application",
        ]
        children = [Child("web", web)]
        for queue in settings.JOB_QUEUES:
            count = settings.JOB_WORKERS_VIDEO if queue == "video" else 1
            # One name for all of a queue's workers: they are interchangeable.
            children += [Child(f"worker-{queue}", manage + ["worker", queue]) for _ in range(count)]
        return children

    def _start_children(self) -> list[Child]:
        host = env_str("CINESCENT_HOST", "127.0.0.1")
        port = env_int("CINESCENT_PORT", 8000, minimum=1)
        children = self.children(host, port)
        for child in children:
            self._spawn(child)
        self.stdout.write(
            self.style.SUCCESS(
                f"CineScent is up: http://{host}:{port}/  (health: /healthz, API: /api/docs/, "
                f"admin: /admin/). Press Ctrl-C to stop."
            )
        )
        return children

    def _spawn(self, child: Child) -> None:
        env = dict(os.environ, DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL, PYTHONUNBUFFERED="1")
        # Own session: Ctrl-C reaches only this supervisor, which then stops the children
        # in order (web first, then workers finish their current job).
        child.process = subprocess.Popen(child.command, env=env, start_new_session=True)
        child.started = time.monotonic()

    def _supervise(self, children: list[Child]) -> None:
        stopping = {"flag": False}

        def request_stop(signum, frame):
            stopping["flag"] = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        while not stopping["flag"]:
            for child in children:
                self._tend(child)
            if all(child.given_up for child in children):
                self.stderr.write("Every part of the stack was given up on; stopping.")
                break
            time.sleep(0.5)
        self._stop(children)

    def _tend(self, child: Child) -> None:
        """Restart an exited child after its back-off, or give up after repeated fast exits."""
        now = time.monotonic()
        if child.given_up:
            return
        if child.process is None:
            if now >= child.restart_at:
                self.stdout.write(f"Restarting {child.name}.")
                self._spawn(child)
            return
        code = child.process.poll()
        if code is None:
            return
        child.process = None
        lived = now - child.started
        child.fast_exits = child.fast_exits + 1 if lived < FAST_CRASH_SECONDS else 0
        how = _exit_text(code)
        if child.fast_exits >= FAST_CRASH_LIMIT:
            child.given_up = True
            self.stderr.write(
                self.style.ERROR(
                    f"{child.name} exited with {how}: {child.fast_exits} times in a row, each within "
                    f"{FAST_CRASH_SECONDS:.0f} s of its start. Giving up on {child.name}; the rest keeps "
                    f"serving. Fix the error above, then restart `make run`."
                )
            )
            return
        delay = RESTART_FIRST_DELAY * 2**child.fast_exits
        child.restart_at = now + delay
        self.stderr.write(
            self.style.WARNING(f"{child.name} exited with {how} after {lived:.0f} s; restarting it in {delay:.0f} s.")
        )

    def _stop(self, children: list[Child]) -> None:
        self.stdout.write("Stopping…")
        running = [child for child in children if child.process and child.process.poll() is None]
        for child in running:
            child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{child.name} did not stop in time; killing it.")
                child.process.kill()
        self.stdout.write("All stopped; embedded services shut down on exit.")


def _exit_text(code: int) -> str:
    if code >= 0:
        return f"code {code}"
    try:
        return f"signal {signal.Signals(-code).name}"
    except ValueError:
        return f"signal {-code}"
