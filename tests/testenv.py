"""Loaded with `-p tests.testenv` before Django reads settings: test-only environment.

Each test run gets its own Redis server and its own test database name, so two runs from the
same checkout (or a run beside `make run`) never flush or drop each other's data.
"""

import os
import shutil
import tempfile
from pathlib import Path

from cinescent import embedded

_redis_dir = Path(tempfile.mkdtemp(prefix="cs-test-redis-"))
os.environ["REDIS_URL"] = embedded.redis_url(_redis_dir)  # stopped at exit by embedded
os.environ["CINESCENT_TEST_DB_NAME"] = f"test_cinescent_{os.getpid()}"
os.environ.setdefault("CINESCENT_FAST_PASSWORD_HASHER", "true")
os.environ.setdefault("JOB_HEARTBEAT_SECONDS", "0.5")
# Playwright's sync API runs an event loop in the main thread; the ORM calls the tests make
# there are not async code, so Django's async-safety check must not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_unconfigure(config):
    embedded.redis_stop(_redis_dir)
    shutil.rmtree(_redis_dir, ignore_errors=True)
