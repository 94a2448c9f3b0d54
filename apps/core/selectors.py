"""Reads for jobs and operations pages."""

import logging
import os
import time

from django.conf import settings
from django.db import connection
from django.http import Http404

from apps.core.models import Job

logger = logging.getLogger(__name__)


def job_list_for_user(*, user):
    """Jobs a user may see: their own; superusers see everyone's. Other staff (curators) see
    only theirs: a job's error, log and result may hold another user's data."""
    queryset = Job.objects.select_related("user", "target_type")
    return queryset if user.is_superuser else queryset.filter(user=user)


def job_get_for_user(*, user, pk) -> Job:
    """One job the user may see, else 404 (never reveal that another user's job exists)."""
    try:
        return job_list_for_user(user=user).get(pk=pk)
    except (Job.DoesNotExist, ValueError):
        raise Http404("No such job.") from None


def queue_stats() -> list[dict]:
    import django_rq
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    stats = []
    for name in settings.JOB_QUEUES:
        queue = django_rq.get_queue(name)
        stats.append(
            {
                "name": name,
                "queued": queue.count,
                "started": StartedJobRegistry(queue=queue).count,
                "failed": FailedJobRegistry(queue=queue).count,
            }
        )
    return stats


def worker_list() -> list[dict]:
    """RQ workers with their last heartbeat.

    A killed worker's registration lingers in Redis until its TTL runs out (minutes); for
    workers on this host we also check the process, so `alive` is right at once.
    """
    import socket

    import django_rq
    from rq import Worker

    from apps.core.jobs import pid_alive

    here = socket.gethostname()
    workers = []
    for worker in Worker.all(connection=django_rq.get_connection("default")):
        alive = not (worker.hostname == here and worker.pid and not pid_alive(worker.pid))
        workers.append(
            {
                "alive": alive,
                "name": worker.name,
                "queues": worker.queue_names(),
                "state": str(worker.get_state()),
                "last_heartbeat": worker.last_heartbeat,
                "current_job": worker.get_current_job_id(),
                "pid": worker.pid,
                "hostname": worker.hostname,
            }
        )
    return sorted(workers, key=lambda w: w["name"])


def job_duration_stats(*, days: int = 7) -> list[dict]:
    """Median and p95 duration per job kind over finished jobs of the last `days` days."""
    sql = """
        select kind, count(*),
               percentile_cont(0.5) within group (order by extract(epoch from finished_at - started_at)),
               percentile_cont(0.95) within group (order by extract(epoch from finished_at - started_at)),
               sum(case when status = 'succeeded' then 1 else 0 end),
               sum(case when status in ('failed', 'errored') then 1 else 0 end)
        from core_job
        where started_at is not null and finished_at is not null
          and finished_at > now() - make_interval(days => %s)
        group by kind order by kind
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [days])
        rows = cursor.fetchall()
    return [
        {"kind": kind, "count": count, "median_s": median, "p95_s": p95, "succeeded": ok, "failed": failed}
        for kind, count, median, p95, ok, failed in rows
    ]


def system_resources() -> dict:
    import psutil

    memory = psutil.virtual_memory()
    process = psutil.Process(os.getpid())
    return {
        "cpu_percent": psutil.cpu_percent(interval=0.1),
        "cpu_count": psutil.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "memory_total_mb": round(memory.total / 2**20),
        "memory_used_percent": memory.percent,
        "process_rss_mb": round(process.memory_info().rss / 2**20, 1),
    }


def health_report() -> dict:
    """What /healthz returns; `healthy` is False when a required part is down."""
    report = {"database": _probe_database(), "redis": _probe_redis()}
    report["queues"], report["workers"] = {}, []
    if report["redis"]["ok"]:
        report["queues"] = {q["name"]: q["queued"] for q in queue_stats()}
        report["workers"] = [
            {
                "name": w["name"],
                "queues": w["queues"],
                "state": w["state"],
                "alive": w["alive"],
                "last_heartbeat": w["last_heartbeat"].isoformat() if w["last_heartbeat"] else None,
            }
            for w in worker_list()
        ]
    served = {q for w in report["workers"] if w["alive"] for q in w["queues"]}
    unserved = [q for q in settings.JOB_QUEUES if q not in served]
    report["unserved_queues"] = unserved
    healthy = report["database"]["ok"] and report["redis"]["ok"]
    if settings.HEALTHZ_REQUIRE_WORKERS and unserved:
        healthy = False
    report["status"] = "ok" if healthy else "unhealthy"
    return report


def _probe_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("select 1")
            cursor.fetchone()
    except Exception as exc:
        return _probe_failed("database", exc)
    return {"ok": True, "latency_ms": round(1000 * (time.monotonic() - started), 2)}


def _probe_failed(part: str, exc: Exception) -> dict:
    # /healthz is public: the details (socket paths, host names) go to the log, not the answer.
    logger.warning("health check: %s unreachable: %s", part, exc)
    return {"ok": False, "error": f"{type(exc).__name__} (details in the server log)"}


def _probe_redis() -> dict:
    import django_rq

    started = time.monotonic()
    try:
        django_rq.get_connection("default").ping()
    except Exception as exc:
        return _probe_failed("redis", exc)
    return {"ok": True, "latency_ms": round(1000 * (time.monotonic() - started), 2)}
