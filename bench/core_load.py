"""200 concurrent GETs on the catalog and a movie page: `make run`'s server, and runserver before it.

Usage: .venv/bin/python bench/core_load.py [--concurrency 200] [--rounds 3] [--no-runserver]
Starts `manage.py runstack` (gunicorn + workers, demo data) on its own data folder (var/bench by
default, kept between runs), waits for /healthz, then fires `rounds` bursts of `concurrency`
simultaneous GETs (all released at once, each on its own connection, 60 s timeout) at /movies/ and
at one movie's page. With runserver (the server `make run` used before), the same bursts go to
`manage.py runserver` on the same database and Redis. Prints p50 / p99 latency, requests per
second over each burst, errors (non-200 or no answer) and the database connections still open a
few seconds after the bursts. Loopback only; bounded by count and by --budget seconds.
"""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNT_CONNECTIONS = (
    "from django.db import connection; c = connection.cursor(); "
    "c.execute('select count(*) from pg_stat_activity where datname = current_database()'); "
    "print(c.fetchone()[0] - 1)"  # less this process's own connection
)


def get(port: int, path: str, timeout: float = 60) -> tuple[int, float]:
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    except (OSError, http.client.HTTPException):
        return 0, time.monotonic() - started
    finally:
        conn.close()


def burst(port: int, path: str, concurrency: int) -> tuple[list, float]:
    """`concurrency` GETs released together; returns [(status, seconds)] and the wall time."""
    barrier = threading.Barrier(concurrency + 1)
    results = []
    lock = threading.Lock()

    def one():
        barrier.wait()
        outcome = get(port, path)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=one) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    return results, time.monotonic() - started


def measure(port: int, path: str, concurrency: int, rounds: int) -> dict:
    get(port, path)  # one warm request: the first page of a process compiles templates
    results, wall = [], 0.0
    for _ in range(rounds):
        outcome, seconds = burst(port, path, concurrency)
        results += outcome
        wall += seconds
    latencies = sorted(seconds for status, seconds in results if status == 200)
    return {
        "requests": len(results),
        "errors": sum(1 for status, _ in results if status != 200),
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] if latencies else None,
        "req_s": len(results) / wall,
    }


def wait_for(port: int, path: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        if get(port, path, timeout=5)[0] == 200:
            return
        time.sleep(0.5)
    raise SystemExit(f"no 200 from :{port}{path} in time")


def start(command: list, env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def db_connections(env: dict) -> int:
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", COUNT_CONNECTIONS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def movie_path(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/api/movies/movies/?page_size=1")
    body = json.loads(conn.getresponse().read())
    conn.close()
    if not body["results"]:
        raise SystemExit("no movie in the catalog: run without --no-demo data")
    return f"/movies/{body['results'][0]['id']}/"


def bench_server(name, port, paths, args, env) -> list[dict]:
    rows = []
    for label, path in paths:
        row = measure(port, path, args.concurrency, args.rounds)
        rows.append({"server": name, "page": label, **row})
    time.sleep(3)
    held = db_connections(env)
    for row in rows:
        row["db_conns_after"] = held
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--budget", type=float, default=900, help="seconds for the whole run")
    parser.add_argument("--no-runserver", action="store_true")
    args = parser.parse_args()
    deadline = time.monotonic() + args.budget
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(CINESCENT_VAR_DIR=args.var_dir, CINESCENT_PORT=str(args.port), PYTHONUNBUFFERED="1")
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    log = open(Path(args.var_dir).with_suffix(".log"), "w")
    stack = start([sys.executable, "manage.py", "runstack"], env, log)
    rows = []
    try:
        wait_for(args.port, "/healthz", deadline)
        paths = [("catalog /movies/", "/movies/"), ("movie page", movie_path(args.port))]
        rows += bench_server("gunicorn (make run)", args.port, paths, args, env)
        if not args.no_runserver:
            # The server `make run` used before, on the same database and Redis (found running).
            old = start(
                [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{args.port + 1}"], env, log
            )
            try:
                wait_for(args.port + 1, "/movies/", deadline)
                rows += bench_server("runserver (before)", args.port + 1, paths, args, env)
            finally:
                stop(old)
    finally:
        stop(stack)
    print(
        f"{args.rounds} bursts of {args.concurrency} concurrent GETs per page; "
        f"{os.cpu_count()} CPUs; server log in {log.name}"
    )
    print("| server | page | requests | errors | p50 ms | p99 ms | req/s | DB connections after |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        p50 = f"{r['p50_ms']:.0f}" if r["p50_ms"] is not None else "-"
        p99 = f"{r['p99_ms']:.0f}" if r["p99_ms"] is not None else "-"
        print(
            f"| {r['server']} | {r['page']} | {r['requests']} | {r['errors']} | {p50} | {p99} | "
            f"{r['req_s']:.1f} | {r['db_conns_after']} |"
        )


if __name__ == "__main__":
    main()
