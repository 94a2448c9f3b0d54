"""Findings 3, 5 and 7: a stack that survives a killed worker, a Redis outage and a burst of clients.

The first tests stop the test run's own Redis (as an outage would) and check that writes needing
a job (or the Redis-backed compose cache) are refused with a clear 503 and leave nothing saved.
The rest run the real `manage.py runstack --no-demo` (gunicorn, three supervised RQ workers,
embedded PostgreSQL + Redis in its own data folder and port), shared by the module, and probe it
from outside over HTTP as an operator would: kill -9 a worker, kill a job's work horse, stop
Redis and start it empty, fire 200 concurrent GETs; when the module is done, SIGTERM must stop
every part and the embedded services.
"""

import http.client
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import psutil
import pytest
from django.conf import settings
from django.db import transaction

from apps.adstudio.models import Analysis, Video
from apps.core.jobs import job_enqueue
from apps.core.models import Job
from apps.scents import services as scent_services
from apps.scents.models import Recipe, Scene
from cinescent import embedded
from tests.stack import free_port, runstack_start, wait_until

ADMIN_PASSWORD = "stack-test-admin-password"


# --- Redis down: refuse before anything is saved (test run's Redis, no stack) ----------------


@pytest.fixture
def master(db):
    """The ingredient master (transactional tests flush the rows its data migration loaded)."""
    scent_services.ingredient_master_load()


@pytest.mark.django_db
def test_scene_compose_with_redis_down_saves_the_scene_with_its_recipe(master, client_user, redis_down):
    """Finding 7: Redis down gave a 500 and a scene row without a recipe. Redis only caches
    recipes, so composing goes on without it: the scene and its whole recipe, or nothing."""
    response = client_user.post("/scents/compose/", {"description": "Rain on a neon street at night"})
    assert response.status_code == 302, response.content.decode()[:500]
    scene = Scene.objects.get()
    recipe = Recipe.objects.get(scene=scene)
    assert response["Location"].endswith(f"/scents/recipes/{recipe.pk}/")
    assert recipe.lines.count() >= 3


@pytest.mark.django_db
def test_compose_api_with_redis_down_composes_without_the_cache(master, api_user, user, redis_down):
    scene = scent_services.scene_create(owner=user, description="A rose garden in spring")
    stored = api_user.post("/api/scents/compose/", {"scene": scene.pk}, format="json")
    assert stored.status_code == 201 and Recipe.objects.filter(scene=scene).count() == 1
    preview = api_user.post("/api/scents/compose/", {"description": "A rose garden in spring"}, format="json")
    assert preview.status_code == 200 and redis_down not in preview.content.decode()
    assert {i["name"] for i in preview.json()["recipe"]["ingredients"]} == {
        line.ingredient.name for line in Recipe.objects.get(scene=scene).lines.all()
    }


@pytest.mark.django_db
def test_analyse_with_redis_down_is_a_503_that_leaves_no_video_analysis_or_job(
    client_user, api_user, settings, redis_down
):
    settings.NET_ALLOW_LOOPBACK = True
    url = "http://127.0.0.1:9/clip.mp4"
    api = api_user.post("/api/adstudio/analyses/", {"url": url}, format="json")
    assert api.status_code == 503 and api.json()["error"] == "queue_unavailable"
    assert "nothing was saved" in api.json()["detail"] and redis_down not in api.content.decode()
    page = client_user.post("/adstudio/", {"url": url, "provider": "local"})
    assert page.status_code == 200 and "nothing was saved" in page.content.decode()
    assert not Video.objects.exists() and not Analysis.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
def test_system_check_with_redis_down_is_refused_with_a_message_not_a_500(client_user, api_user, redis_down):
    api = api_user.post("/api/core/jobs/system-check/", {}, format="json")
    assert api.status_code == 503 and api.json()["error"] == "queue_unavailable"
    page = client_user.post("/jobs/system-check/", follow=True)
    assert page.status_code == 200 and "nothing was saved" in page.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_ops_page_and_cancel_keep_working_with_redis_down(client, staff_user, redis_down):
    """The page an operator opens to find out what is wrong answered 500 while Redis was down,
    and so did cancelling a queued job (removing its queue entry)."""
    job = Job.objects.create(kind="core.system_check", queue="default", user=staff_user, rq_id="cinescent-job-gone")
    client.force_login(staff_user)
    page = client.get("/ops/")
    assert page.status_code == 200 and "Redis unreachable" in page.content.decode()
    assert redis_down not in page.content.decode()
    cancelled = client.post(f"/jobs/{job.pk}/cancel/")
    assert cancelled.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_a_job_whose_queue_dies_before_commit_is_errored_without_the_socket_path(user):
    data_dir = Path(urlparse(settings.REDIS_URL).path).parent
    try:
        with transaction.atomic():
            job = job_enqueue(kind="core.system_check", user=user)
            embedded.redis_stop(data_dir)  # down between the check and the push after commit
    finally:
        embedded.redis_url(data_dir)
    job.refresh_from_db()
    assert job.status == Job.Status.ERRORED
    assert "queue was unavailable" in job.error and "sock" not in job.error and "/" not in job.error


# --- the supervisor ------------------------------------------------------------------------


def test_a_part_that_keeps_crashing_at_start_is_given_up_on_clearly_while_the_rest_runs(monkeypatch):
    from apps.core.management.commands import runstack

    monkeypatch.setattr(runstack, "RESTART_FIRST_DELAY", 0.01)  # the back-off's shape, not its length
    err = io.StringIO()
    command = runstack.Command(stdout=io.StringIO(), stderr=err)
    broken = runstack.Child("worker-broken", [sys.executable, "-c", "raise SystemExit(3)"])
    steady = runstack.Child("web", [sys.executable, "-c", "import time; time.sleep(60)"])
    for child in (broken, steady):
        command._spawn(child)
    try:
        wait_until(lambda: [command._tend(c) for c in (broken, steady)] and broken.given_up, 30, "given up")
        assert steady.process.poll() is None and not steady.given_up
        assert err.getvalue().count("worker-broken exited with code 3 after 0 s; restarting it") == 4
        assert "5 times in a row" in err.getvalue() and "Giving up on worker-broken" in err.getvalue()
    finally:
        steady.process.kill()


# --- the real stack ------------------------------------------------------------------------


class Stack:
    def __init__(self, var_dir: Path, port: int, process: subprocess.Popen, log: Path):
        self.var_dir, self.port, self.process, self.log_path = var_dir, port, process, log
        self._token = None

    def request(self, method: str, path: str, body=None, *, auth=False, timeout=60) -> tuple[int, dict | str]:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if auth:
            headers["Authorization"] = f"Token {self.token()}"
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode(errors="replace")

    def token(self) -> str:
        if self._token is None:
            status, body = self.request(
                "POST", "/api/accounts/token/", {"username": "admin", "password": ADMIN_PASSWORD}
            )
            assert status == 200, body
            self._token = body["token"]
        return self._token

    def healthy(self) -> bool:
        try:
            status, body = self.request("GET", "/healthz", timeout=10)
        except OSError:
            return False
        return status == 200 and body["unserved_queues"] == []

    def worker(self, queue: str, *, not_pid: int | None = None) -> psutil.Process | None:
        return next((child for child in self.workers(queue) if child.pid != not_pid), None)

    def workers(self, queue: str) -> list[psutil.Process]:
        """The live worker processes of ``queue`` (JOB_WORKERS_VIDEO of them for ``video``)."""
        found = []
        for child in psutil.Process(self.process.pid).children():
            try:
                if child.cmdline()[-2:] == ["worker", queue] and child.status() != psutil.STATUS_ZOMBIE:
                    found.append(child)
            except psutil.NoSuchProcess:
                continue
        return found

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def job_ids(self, status: str) -> set[int]:
        # The list API reads the rows as they are: unlike the detail views it never runs recovery.
        code, body = self.request("GET", f"/api/core/jobs/?status={status}&page_size=100", auth=True)
        assert code == 200, body
        return {job["id"] for job in body["results"]}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("stack")
    port = free_port()
    log = var_dir / "stack.log"
    process = runstack_start(
        var_dir, port, log, NET_ALLOW_LOOPBACK="true", CINESCENT_ADMIN_PASSWORD=ADMIN_PASSWORD, WEB_WORKERS="2"
    )
    running = Stack(var_dir, port, process, log)
    try:
        wait_until(lambda: process.poll() is not None or running.healthy(), 240, "stack healthy")
        assert process.poll() is None, running.log()[-5000:]
        yield running
        _stop_and_check(running)  # after the module's tests: the supervisor was rewritten
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)


def _stop_and_check(stack: Stack) -> None:
    """Like Ctrl-C: SIGTERM stops every child and the embedded services, and exits 0."""
    children = psutil.Process(stack.process.pid).children(recursive=True)
    stack.process.send_signal(signal.SIGTERM)
    assert stack.process.wait(timeout=60) == 0, stack.log()[-3000:]
    assert not [child for child in children if child.is_running() and child.status() != psutil.STATUS_ZOMBIE]

    def embedded_services_gone():  # Postgres (-D <var>/pg) and Redis (socket in <var>/redis)
        return not [
            p for p in psutil.process_iter(["cmdline"]) if str(stack.var_dir) in " ".join(p.info["cmdline"] or [])
        ]

    wait_until(embedded_services_gone, 30, "embedded Postgres and Redis stopped")


def _burst(port: int, path: str, concurrency: int) -> list[int]:
    """`concurrency` GETs released at once, each on its own connection; their statuses (0 = none)."""
    barrier = threading.Barrier(concurrency)
    statuses = []

    def one():
        barrier.wait()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        except (OSError, http.client.HTTPException):
            statuses.append(0)
        finally:
            conn.close()

    threads = [threading.Thread(target=one) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_200_concurrent_gets_on_the_catalog_all_succeed(stack):
    """Finding 5: runserver opened a connection per request thread, past Postgres' limit."""
    statuses = _burst(stack.port, "/movies/", 200)
    assert len(statuses) == 200
    assert statuses.count(200) == 200, {code: statuses.count(code) for code in set(statuses)}
    assert "Database connections: at most" in stack.log()


def test_a_killed_video_worker_is_restarted_while_the_site_keeps_serving(stack):
    """Finding 3: kill -9 of a worker used to stop the web, the other workers and Redis."""
    before = {worker.pid for worker in stack.workers("video")}
    old = stack.worker("video")
    old.kill()
    for _ in range(5):
        assert stack.request("GET", "/movies/")[0] == 200
    # Several video workers may run: wait for one started after the kill, not for another old one.
    wait_until(lambda: {worker.pid for worker in stack.workers("video")} - before, 60, "a new video worker")
    wait_until(stack.healthy, 60, "/healthz 200 with every queue served")
    assert stack.process.poll() is None
    assert "worker-video exited with signal SIGKILL" in stack.log()


class _SlowVideo(BaseHTTPRequestHandler):
    """A video that takes minutes to download: the work horse is busy while the test kills it."""

    hit = threading.Event()

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(50_000_000))
        self.end_headers()
        type(self).hit.set()
        try:
            for _ in range(600):
                self.wfile.write(b"\0" * 1024)
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_video():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowVideo)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/slow.mp4"
    server.shutdown()
    server.server_close()


def test_a_job_whose_work_horse_is_killed_is_errored_at_once_and_its_analysis_says_failed(stack, slow_video):
    """Finding 3 (and 4): the horse's death is recorded by the video worker itself, with no page
    visit needed; the worker stays up and the analysis reads as failed."""
    status, analysis = stack.request("POST", "/api/adstudio/analyses/", {"url": slow_video}, auth=True)
    assert status == 202, analysis
    job_id = analysis["job"]["id"]
    assert _SlowVideo.hit.wait(90), "the work horse never started the download"
    assert job_id in stack.job_ids("running")
    # The video worker that took the job is the one with a work horse.
    worker = wait_until(
        lambda: next((w for w in stack.workers("video") if w.children()), None), 30, "the video worker running the job"
    )
    horse = worker.children()[0]
    horse.kill()
    wait_until(lambda: job_id in stack.job_ids("errored"), 15, "the job marked errored")
    status, body = stack.request("GET", f"/api/adstudio/analyses/{analysis['id']}/", auth=True)
    assert status == 200 and body["status"] == "failed", body
    assert worker.is_running() and stack.healthy()


def test_after_redis_restarts_empty_healthz_recovers_within_30_s_and_a_new_job_runs(stack):
    """Finding 7: rq's workers never re-registered in a Redis that came back without its data."""
    redis_dir = stack.var_dir / "redis"
    stack.token()  # before the outage
    embedded.redis_stop(redis_dir)
    assert stack.request("GET", "/healthz")[0] == 503
    (redis_dir / "dump.rdb").unlink(missing_ok=True)  # it comes back empty, as after a crash
    time.sleep(8)  # long enough for the workers' reconnect back-off to grow
    embedded.redis_url(redis_dir)
    started = time.monotonic()
    wait_until(stack.healthy, 30, "/healthz 200 after Redis returned")
    assert time.monotonic() - started < 30
    status, job = stack.request("POST", "/api/core/jobs/system-check/", {"delay": 0}, auth=True)
    assert status == 202, job
    wait_until(lambda: job["id"] in stack.job_ids("succeeded"), 30, "the new job succeeded")
