"""Time `make run` from start to a healthy /healthz (warm venv), a few runs, median reported.

Usage: .venv/bin/python bench/core_startup.py [--runs 3] [--port 8765]
Starts the real stack (embedded Postgres + Redis, migrate, demo data, web, workers), polls
/healthz until it answers 200, then stops it with SIGINT like Ctrl-C and waits for a clean exit.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(port: int, timeout: float) -> tuple[float, float]:
    env = dict(os.environ, CINESCENT_PORT=str(port))
    started = time.monotonic()
    process = subprocess.Popen(
        ["make", "run"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    healthy_after = None
    try:
        while time.monotonic() - started < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    if response.status == 200 and json.load(response)["status"] == "ok":
                        healthy_after = time.monotonic() - started
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
    finally:
        stop_started = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        stopped_in = time.monotonic() - stop_started
    if healthy_after is None:
        raise SystemExit(f"/healthz did not become healthy within {timeout} s")
    return healthy_after, stopped_in


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args()
    results = [one_run(args.port, args.timeout) for _ in range(args.runs)]
    for i, (healthy, stopped) in enumerate(results, 1):
        print(f"run {i}: healthy after {healthy:.2f} s, stopped in {stopped:.2f} s")
    print(
        f"median: healthy after {statistics.median(r[0] for r in results):.2f} s, "
        f"stopped in {statistics.median(r[1] for r in results):.2f} s"
    )


if __name__ == "__main__":
    main()
