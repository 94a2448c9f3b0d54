"""Cached reads against the same server's static file: the catalog, a movie page, the movie API
(list, detail, and a conditional GET answered 304), the scents index and the ingredient master.

Usage: .venv/bin/python bench/core_reads.py [--requests 1000] [--concurrency 8] [--rounds 3] [--budget 1800]
Starts `manage.py runstack` (gunicorn with cinescent/gunicorn_conf.py, workers, demo data) with
debug off on its own data folder (var/bench-reads by default, kept between runs), and beside it a
second gunicorn on the same database and Redis with the read caches off (READ_CACHE=false). Each
is warmed (every path read 20 times), then each path is measured with ApacheBench (`ab -n N -c C`,
Debian's apache2-utils; anonymous requests, no keep-alive, loopback) on the cache-off server and
then the cache-on one, each run right after a run of the static file on the same server, in
--rounds rounds. Prints the medians over the rounds of req/s, p50 / p99 (ms) and the rate as a
share of the static file's rate measured just before it on the same server (the machine is
shared: its load drifts), and the static file's median and range. Bounded by count and by
--budget seconds.
"""

import argparse
import http.client
import json
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from core_load import ROOT, start, stop, wait_for

STATIC = "/static/css/site.css"


def ab(port: int, path: str, requests: int, concurrency: int, headers=()) -> dict:
    """One ApacheBench run: req/s, p50 / p99 in ms, and failed answers (non-2xx ones too, except
    for conditional GETs, whose answer is a 304)."""
    command = ["ab", "-q", "-n", str(requests), "-c", str(concurrency)]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=600, check=True
    ).stdout

    def number(pattern):
        found = re.search(pattern, out, re.MULTILINE)
        return float(found.group(1)) if found else 0.0

    non_2xx = 0 if headers else number(r"^Non-2xx responses:\s+(\d+)")
    return {
        "req_s": number(r"^Requests per second:\s+([\d.]+)"),
        "p50": number(r"^\s+50%\s+(\d+)"),
        "p99": number(r"^\s+99%\s+(\d+)"),
        "bad": int(number(r"^Failed requests:\s+(\d+)") + non_2xx),
    }


def fetch(port: int, path: str, headers=None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    response.body = response.read()
    conn.close()
    return response


def paths(port: int) -> list[tuple[str, str, tuple]]:
    """(label, path, extra headers) for each read measured; a demo movie for the detail reads."""
    movies = json.loads(fetch(port, "/api/movies/movies/?page_size=1").body)["results"]
    if not movies:
        raise SystemExit("no movie in the catalog: the stack loads the demo data on start")
    pk = movies[0]["id"]
    etag = fetch(port, f"/api/movies/movies/{pk}/").getheader("ETag")
    rows = [
        ("catalog /movies/", "/movies/", ()),
        ("movie page", f"/movies/{pk}/", ()),
        ("API list", "/api/movies/movies/", ()),
        ("API detail", f"/api/movies/movies/{pk}/", ()),
        ("scents index", "/scents/", ()),
        ("ingredient master", "/scents/ingredients/", ()),
    ]
    if etag:  # only the cache-on server gives one
        rows.append(("API detail, If-None-Match (304)", f"/api/movies/movies/{pk}/", (f"If-None-Match: {etag}",)))
    return rows


def warm(port: int, rows) -> None:
    for _, path, _ in rows:
        for _ in range(20):
            fetch(port, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8795)
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-reads"))
    parser.add_argument("--budget", type=float, default=1800, help="seconds for the whole run")
    args = parser.parse_args()
    deadline, load = time.monotonic() + args.budget, os.getloadavg()[0]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "READ_CACHE")}
    env.update(
        CINESCENT_VAR_DIR=args.var_dir,
        CINESCENT_PORT=str(args.port),
        PYTHONUNBUFFERED="1",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
    )
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    log = open(Path(args.var_dir).with_suffix(".log"), "w")
    stack = start([sys.executable, "manage.py", "runstack"], env, log)
    off_port = args.port + 1
    try:
        wait_for(args.port, "/healthz", deadline)
        off = start(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                "cinescent/gunicorn_conf.py",
                "--bind",
                f"127.0.0.1:{off_port}",
                "cinescent.wsgi:application",
            ],
            {**env, "READ_CACHE": "false"},
            log,
        )
        try:
            wait_for(off_port, "/healthz", deadline)
            on_rows, off_rows = paths(args.port), paths(off_port)
            warm(args.port, on_rows)
            warm(off_port, off_rows)
            results = {}
            for _ in range(args.rounds):
                for label, path, headers in on_rows:
                    if time.monotonic() > deadline:
                        raise SystemExit("out of --budget")
                    sides = [("on", args.port)] if headers else [("off", off_port), ("on", args.port)]
                    for side, port in sides:
                        static = ab(port, STATIC, args.requests, args.concurrency)
                        results.setdefault(("static file", side), []).append(static["req_s"])
                        row = ab(port, path, args.requests, args.concurrency, headers)
                        results.setdefault((label, side), []).append({**row, "share": row["req_s"] / static["req_s"]})
        finally:
            stop(off)
    finally:
        stop(stack)
    report(results, on_rows, args, log.name, load)


def report(results, rows, args, log_name, load):
    def cells(label, side):
        runs = results.get((label, side))
        if runs is None:
            return "– | – | – | –"
        r = {k: statistics.median(run[k] for run in runs) for k in ("req_s", "p50", "p99", "share")}
        bad = sum(run["bad"] for run in runs)
        return (
            f"{r['req_s']:.0f}{f' ({bad} bad)' if bad else ''} | {r['p50']:.0f} | {r['p99']:.0f} | " f"{r['share']:.0%}"
        )

    statics = {side: results[("static file", side)] for side in ("off", "on")}

    print(
        f"ab -n {args.requests} -c {args.concurrency}, {args.rounds} rounds (medians), anonymous, loopback; gunicorn "
        f"(cinescent/gunicorn_conf.py), debug off; {os.cpu_count()} CPUs, load before: "
        f"{load:.1f}; server log in {log_name}"
    )
    print("| read | cache off: req/s | p50 ms | p99 ms | of static | cache on: req/s | p50 ms | p99 ms | of static |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(
        "| static file (median of the runs; min–max) | "
        + " | ".join(f"{statistics.median(v):.0f} ({min(v):.0f}–{max(v):.0f}) | | | 100%" for v in statics.values())
        + " |"
    )
    for label, _, _ in rows:
        print(f"| {label} | {cells(label, 'off')} | {cells(label, 'on')} |")


if __name__ == "__main__":
    main()
