"""Stack tests' helpers: start `manage.py runstack` as an operator would, and wait for it."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, timeout: float, what: str):
    """``check()``'s first true value within ``timeout`` seconds; AssertionError naming ``what`` if none."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def runstack_start(var_dir: Path, port: int, log: Path, **env) -> subprocess.Popen:
    """`manage.py runstack --no-demo` on its own data folder and port, in its own session, writing to
    ``log``; ``env`` adds settings (the test process's database and Redis are not passed on)."""
    environment = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CINESCENT_TEST_DB_NAME")
    }
    environment.update(CINESCENT_VAR_DIR=str(var_dir), CINESCENT_PORT=str(port), PYTHONUNBUFFERED="1", **env)
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "runstack", "--no-demo"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
