"""Five users submit the same cut-heavy video at once: each analysis's wall time, submit to done.

    .venv/bin/python bench/adstudio_concurrent.py --video-workers 1 2 [--preload on off]

For each count the real stack starts (`manage.py runstack --no-demo`, JOB_WORKERS_VIDEO set, its
own embedded PostgreSQL + Redis in a temporary folder and port); five users sign up over the API,
then five threads released together each POST the file to /api/adstudio/analyses/ (`local`
provider) and the job rows' `finished_at` give each job's seconds from its submit. The stack is
stopped (SIGTERM) before the next count. ``--preload off`` runs with VIDEO_PRELOAD="" (each work
horse loads the image model itself), ``on`` with the default (the worker builds it before forking). The clip (synthetic, ~64 cuts in 124 s, 640x360, 24 fps,
from video/synth.py) is made once under var/bench/. `uptime` is printed around each run: on a
shared machine compare counts only from the same run.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CLIP = ROOT / "var" / "bench" / "adstudio_concurrent_cuts.mp4"
USERS = 5


def clip() -> Path:
    if not CLIP.exists():
        from apps.adstudio.video.synth import clip_make

        CLIP.parent.mkdir(parents=True, exist_ok=True)
        truth = clip_make(CLIP, kind="cuts", seed=60, seconds=122, width=640, height=360, fps=24)
        print(f"made {CLIP.name}: {len(truth['transitions'])} cuts, {truth['frames']} frames")
    return CLIP


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def stack_start(var_dir: Path, port: int, video_workers: int, preload: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CINESCENT_TEST_DB_NAME")}
    env.update(
        CINESCENT_VAR_DIR=str(var_dir),
        CINESCENT_PORT=str(port),
        JOB_WORKERS_VIDEO=str(video_workers),
        PYTHONUNBUFFERED="1",
    )
    env.pop("VIDEO_PRELOAD", None)
    if preload == "off":
        env["VIDEO_PRELOAD"] = ""
    log = (var_dir / "stack.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runstack", "--no-demo"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit((var_dir / "stack.log").read_text()[-3000:])
        try:
            body = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=10).json()
            if body.get("unserved_queues") == []:
                return process
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1)
    raise SystemExit("the stack did not become healthy within 300 s")


def tokens(base: str, run: int) -> list[str]:
    out = []
    for i in range(USERS):
        user = {"username": f"bench{run}u{i}", "password": "bench-password-1234"}
        httpx.post(f"{base}/api/accounts/users/", json=user, timeout=60).raise_for_status()
        response = httpx.post(f"{base}/api/accounts/token/", json=user, timeout=60)
        response.raise_for_status()
        out.append(response.json()["token"])
    return out


def submit_all(base: str, keys: list[str], data: bytes) -> list[tuple[float, int]]:
    """Every user's POST released at once: (submit time, job id) per user."""
    barrier, out = threading.Barrier(len(keys)), [None] * len(keys)

    def one(i, key):
        barrier.wait()
        submitted = time.time()
        response = httpx.post(
            f"{base}/api/adstudio/analyses/",
            headers={"Authorization": f"Token {key}"},
            files={"upload": ("cuts.mp4", data, "video/mp4")},
            data={"provider": "local"},
            timeout=120,
        )
        response.raise_for_status()
        out[i] = (submitted, response.json()["job"]["id"])

    threads = [threading.Thread(target=one, args=(i, key)) for i, key in enumerate(keys)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out


def wait_done(base: str, keys: list[str], jobs: list[tuple[float, int]]) -> list[tuple[float, str, str]]:
    """(seconds from submit to finished_at, status, its log as "seconds from submit: note") per
    job, once every job has ended."""
    done = {}
    while len(done) < len(jobs):
        for key, (submitted, job_id) in zip(keys, jobs):
            if job_id in done:
                continue
            job = httpx.get(
                f"{base}/api/core/jobs/{job_id}/", headers={"Authorization": f"Token {key}"}, timeout=60
            ).json()
            if job["finished_at"]:
                finished = datetime.fromisoformat(job["finished_at"]).timestamp()
                log = "; ".join(
                    f"{datetime.fromisoformat(line['created_at']).timestamp() - submitted:.1f} "
                    f"{line['message'][:28]}"
                    for line in job["logs"]
                )
                done[job_id] = (round(finished - submitted, 1), job["status"], log)
        time.sleep(0.5)
    return [done[job_id] for _, job_id in jobs]


def run(video_workers: int, preload: str, data: bytes, index: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-stack-") as tmp:
        port = free_port()
        process = stack_start(Path(tmp), port, video_workers, preload)
        try:
            base = f"http://127.0.0.1:{port}"
            keys = tokens(base, index)
            label = f"JOB_WORKERS_VIDEO={video_workers} preload {preload}"
            print(f"{label}  before: {uptime()}", flush=True)
            results = wait_done(base, keys, submit_all(base, keys, data))
            print(f"{label}  after:  {uptime()}")
            times = sorted(seconds for seconds, _, _ in results)
            print(
                f"  submit -> done, s: {times}  (median {statistics.median(times)}, last {times[-1]}); "
                f"statuses {sorted({status for _, status, _ in results})}"
            )
            for seconds, _, log in sorted(results):
                print(f"  {seconds:5.1f} s | {log}", flush=True)
        finally:
            process.send_signal(signal.SIGTERM)  # runstack stops its children and services
            process.wait(timeout=90)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--video-workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--preload", nargs="+", choices=["on", "off"], default=["on"])
    args = parser.parse_args()
    data = clip().read_bytes()
    runs = [(count, preload) for count in args.video_workers for preload in args.preload]
    for index, (count, preload) in enumerate(runs):
        run(count, preload, data, index)


if __name__ == "__main__":
    main()
