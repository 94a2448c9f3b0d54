import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from apps.core.errors import JobFailed


def system_check_run(*, progress, delay: float = 0.0) -> dict:
    """Checks that the database, the queue, file storage and the model store work.

    Changes nothing that outlives the check (the probe file is deleted). Raises JobFailed naming
    the first part that does not work.
    """
    steps = [
        ("Database answers", _check_database),
        ("Queue answers", _check_queue),
        ("File storage writes and reads", _check_storage),
        ("Model store manifest is readable", _check_models),
    ]
    results = {}
    progress(0, len(steps), "Starting system check")
    for index, (label, check) in enumerate(steps, start=1):
        time.sleep(max(0.0, delay))  # lets people watch the bar move; 0 in tests
        try:
            results[label] = check()
        except Exception as exc:
            raise JobFailed(f"{label}: failed ({type(exc).__name__}: {exc})") from exc
        progress(index, len(steps), f"{label}: ok ({results[label]})")
    return {"checks": results}


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("select extversion from pg_extension where extname = 'vector'")
        row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the pgvector extension is not installed")
    return f"pgvector {row[0]}"


def _check_queue() -> str:
    import django_rq

    django_rq.get_connection("default").ping()
    return "ping ok"


def _check_storage() -> str:
    name = default_storage.save(f"system-check/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("read back different bytes")
    finally:
        default_storage.delete(name)
    return "write/read/delete ok"


def _check_models() -> str:
    from apps.core.registry import manifest_read

    return f"{len(manifest_read()['models'])} model(s) listed"
