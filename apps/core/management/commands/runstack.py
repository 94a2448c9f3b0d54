"""`make run`: the whole site on one machine.

Starts (or reuses) the embedded PostgreSQL + Redis (through settings), migrates, loads demo
data, creates or reports an admin login, then runs the web server and one RQ worker per queue
as child processes. Ctrl-C (or SIGTERM) stops the children, then the embedded services.
"""
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cinescent.env import env_int, env_str


class Command(BaseCommand):
    help = "Run the web server and one worker per queue on embedded services (Ctrl-C stops all)."

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Skip loading demo data.")

    def handle(self, *args, no_demo=False, **options):
        call_command("migrate", interactive=False, verbosity=1)
        if not no_demo:
            call_command("demo_load")
        self._admin_login()
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
            self.stdout.write(self.style.SUCCESS(f"Admin login created: {username} / {password}"
                                                 f" (saved in {password_file})"))
        elif password_file.exists():
            self.stdout.write(f"Admin login: {username} / {password_file.read_text().strip()}"
                              f" (from {password_file})")
        else:
            self.stdout.write(f"Admin login: {username} (exists; password unchanged)")

    def _start_children(self) -> dict:
        env = dict(os.environ, DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL,
                   PYTHONUNBUFFERED="1")
        manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
        host = env_str("CINESCENT_HOST", "127.0.0.1")
        port = env_int("CINESCENT_PORT", 8000, minimum=1)
        commands = {"web": manage + ["runserver", f"{host}:{port}", "--noreload"]}
        for queue in settings.JOB_QUEUES:
            commands[f"worker-{queue}"] = manage + ["worker", queue]
        children = {}
        for name, command in commands.items():
            # Own session: Ctrl-C reaches only this supervisor, which then stops the children
            # in order (web first, then workers finish their current job).
            children[name] = subprocess.Popen(command, env=env, start_new_session=True)
        self.stdout.write(self.style.SUCCESS(
            f"CineScent is up: http://{host}:{port}/  (health: /healthz, API: /api/docs/, "
            f"admin: /admin/). Press Ctrl-C to stop."
        ))
        return children

    def _supervise(self, children: dict) -> None:
        stopping = {"flag": False}

        def request_stop(signum, frame):
            stopping["flag"] = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        while not stopping["flag"]:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(f"{name} exited with code {child.returncode}; stopping everything.")
                    stopping["flag"] = True
                    break
            time.sleep(0.5)
        self.stdout.write("Stopping…")
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 30
        for name, child in children.items():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in time; killing it.")
                child.kill()
        self.stdout.write("All stopped; embedded services shut down on exit.")
