"""Writes in the ad studio go through services and never happen on a GET: the admin saves boards
through the moodboard services on the owner's behalf (their limits hold), the pipeline's own rows are
read-only, deleting a video or an analysis takes its files along, and the full-resolution frame is
stored by a POST only (the API's GET sends it without storing it); a deleted tag leaves its scene's words
and search vector."""

import os
import socket
from datetime import timedelta

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from apps.adstudio import services
from apps.adstudio.models import Analysis, Moodboard, SceneGroup, Shot, Tag, Video
from apps.adstudio.services.search import TEXT_VERSION, scene_words
from apps.adstudio.services.storage import workspace
from apps.core.ml.text_encoder import encoder_shared
from apps.core.models import Job
from tests.adstudio.factories import analysis_started
from tests.adstudio.test_board_finish import board, done  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    return client


def _items(moodboard):
    """The board's owner, the management form and each item's own values, as the change page posts
    them back (fields shown read-only are ignored)."""
    count = str(moodboard.items.count())
    data = {
        "owner": moodboard.owner_id,
        "items-TOTAL_FORMS": count,
        "items-INITIAL_FORMS": count,
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for k, item in enumerate(moodboard.items.order_by("position", "id")):
        data.update(
            {
                f"items-{k}-id": item.pk,
                f"items-{k}-moodboard": moodboard.pk,
                f"items-{k}-note": item.note,
                f"items-{k}-shot": item.shot_id,
                f"items-{k}-position": item.position,
            }
        )
    return data


def test_a_moodboard_description_over_the_limit_is_a_form_error_in_the_admin(admin_client, user):
    moodboard = services.moodboard_create(owner=user, title="Spring")
    response = admin_client.post(
        reverse("admin:adstudio_moodboard_change", args=[moodboard.pk]),
        {"title": "Spring", "description": "x" * 2001, **_items(moodboard)},
    )
    assert response.status_code == 200
    assert "at most 2000 characters" in " ".join(response.context["adminform"].form.errors["description"])
    moodboard.refresh_from_db()
    assert moodboard.description == ""


@pytest.mark.django_db(transaction=True)
def test_board_item_notes_and_removals_in_the_admin_go_through_the_services(admin_client, board):
    first, second, third = board.items.order_by("position", "id")
    url = reverse("admin:adstudio_moodboard_change", args=[board.pk])
    response = admin_client.post(
        url, {"title": board.title, "description": "", **_items(board), "items-0-note": "n" * 2001}
    )
    assert response.status_code == 200  # the note limit of moodboard_item_annotate
    first.refresh_from_db()
    assert first.note == "따뜻한 노을 0"
    response = admin_client.post(
        url, {"title": board.title, "description": "", **_items(board), "items-1-note": "dusk", "items-2-DELETE": "on"}
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.note == "dusk" and not board.items.filter(pk=third.pk).exists()


def test_the_pipelines_rows_are_read_only_in_the_admin(admin_client, user):
    video = Video.objects.create(owner=user, title="As downloaded")
    assert admin_client.get(reverse("admin:adstudio_video_change", args=[video.pk])).status_code == 200
    response = admin_client.post(
        reverse("admin:adstudio_video_change", args=[video.pk]), {"owner": user.pk, "title": "Renamed"}
    )
    assert response.status_code == 403
    video.refresh_from_db()
    assert video.title == "As downloaded"


@pytest.mark.django_db(transaction=True)
def test_a_get_never_decodes_and_stores_a_full_resolution_frame(client, board):
    shot = board.items.first().shot
    stored = workspace(board.owner.pk, "analyses", str(shot.analysis_id), f"shot-{shot.index:04d}-full.png")
    client.force_login(board.owner)
    url = reverse("adstudio:keyframe_full", args=[shot.pk])
    assert client.get(url).status_code == 405 and client.head(url).status_code == 405
    assert not default_storage.exists(stored)
    response = client.post(url)
    assert response["Content-Type"] == "image/png" and default_storage.exists(stored)
    page = client.get(board.get_absolute_url()).content.decode()
    assert f'<form method="post" action="{url}"' in page  # the board's "Full size" button posts


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_full_size_buttons_download_the_frame_in_a_browser(page, live_server, log_in, board):
    log_in(board.owner)
    page.goto(f"{live_server.url}{board.get_absolute_url()}")
    with page.expect_download() as button:
        page.click("ol.board li:first-child button:has-text('Full size')")
    page.click("ol.board li:first-child [data-lightbox]")
    with page.expect_download() as lightbox:
        page.click("#lightbox [data-lightbox-download] button")
    for download in (button.value, lightbox.value):
        assert download.suggested_filename.endswith(".png") and download.failure() is None


def _stored(names) -> set:
    return {name for name in names if default_storage.exists(name)}


def _tree(folder) -> set:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


@pytest.mark.django_db(transaction=True)
def test_a_video_deleted_in_the_admin_takes_its_analysis_and_their_files_along(admin_client, done):
    video, shot = done.video, done.shots.first()
    files = {video.file.name, *done.shots.values_list("keyframe", flat=True)}
    files.add(services.shot_frame_full(owner=done.owner, shot=shot))
    assert _stored(files) == files
    response = admin_client.post(reverse("admin:adstudio_video_delete", args=[video.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Video.objects.filter(pk=video.pk).exists() and not Analysis.objects.filter(pk=done.pk).exists()
    assert _stored(files) == set()


@pytest.mark.django_db(transaction=True)
def test_analyses_deleted_together_in_the_admin_take_their_files_but_not_keyframes_a_reuse_shows(
    admin_client, user, media, clips, run_jobs
):
    path, _ = clips("cuts", 63, seconds=6)
    first = analysis_started(user, path)
    run_jobs()
    second = analysis_started(user, path)
    run_jobs()
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.reused_from_id == first.pk  # its shots show the first's keyframes
    keyframes = set(first.shots.values_list("keyframe", flat=True))
    first_full = services.shot_frame_full(owner=user, shot=first.shots.first())
    second_full = services.shot_frame_full(owner=user, shot=second.shots.first())
    changelist = reverse("admin:adstudio_analysis_changelist")
    delete = {"action": "delete_selected", "post": "yes"}
    assert admin_client.post(changelist, {**delete, "_selected_action": [first.pk]}).status_code == 302
    assert not Analysis.objects.filter(pk=first.pk).exists()
    assert _stored({*keyframes, first_full, second_full}) == {*keyframes, second_full}
    assert admin_client.post(changelist, {**delete, "_selected_action": [second.pk]}).status_code == 302
    assert not Analysis.objects.exists() and _stored({*keyframes, second_full}) == set()


@pytest.mark.django_db(transaction=True)
def test_the_api_gives_the_full_frame_on_a_get_and_stores_nothing(board, media, other_user):
    shot = board.items.first().shot
    url = f"/api/adstudio/shots/{shot.pk}/frame.png"
    api, stranger = APIClient(), APIClient()
    api.force_authenticate(board.owner)
    stranger.force_authenticate(other_user)
    rows = [list(model.objects.values_list("pk", "updated_at")) for model in (Video, Analysis, Shot, Moodboard)]
    files = _tree(media)
    assert stranger.get(url).status_code == 404
    response = api.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert _tree(media) == files
    assert [list(model.objects.values_list("pk", "updated_at")) for model in (Video, Analysis, Shot, Moodboard)] == rows
    services.shot_frame_full(owner=board.owner, shot=shot)  # the page's "Full size" button stores it
    again = api.get(url)
    assert b"".join(again.streaming_content) == response.content  # the same frame, now from storage


@pytest.mark.django_db(transaction=True)
def test_an_analysis_whose_job_runs_is_kept_until_its_worker_is_gone(admin_client, done):
    keyframes = set(done.shots.values_list("keyframe", flat=True))
    live = {"worker_pid": os.getpid(), "worker_host": socket.gethostname(), "heartbeat_at": timezone.now()}
    Job.objects.filter(pk=done.job_id).update(status=Job.Status.RUNNING, **live)
    url = reverse("admin:adstudio_analysis_delete", args=[done.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403  # it would store files afterwards
    assert Analysis.objects.filter(pk=done.pk).exists() and _stored(keyframes) == keyframes
    Job.objects.filter(pk=done.job_id).update(worker_pid=None, heartbeat_at=timezone.now() - timedelta(hours=1))
    assert admin_client.post(url, {"post": "yes"}).status_code == 302  # a dead worker's job has ended
    assert not Analysis.objects.filter(pk=done.pk).exists() and _stored(keyframes) == set()


def _words(scene_pk) -> tuple[list[str], np.ndarray]:
    """The scene's words as search reads them now, and its stored vector."""
    scene = SceneGroup.objects.select_related("analysis").prefetch_related("tags", "shots").get(pk=scene_pk)
    return scene_words(scene), np.array(scene.text_embedding)


def _embedded(words: list[str]) -> np.ndarray:
    """What a scene saying ``words`` is stored as: the mean of their vectors, L2-normalised."""
    mean = np.mean(encoder_shared().encode(words), axis=0)
    return mean / np.linalg.norm(mean)


@pytest.mark.django_db(transaction=True)
def test_tags_deleted_in_the_admin_leave_their_scenes_words_and_vector(admin_client, done):
    tag = Tag.objects.filter(analysis=done, kind="colour").select_related("scene").first()
    before, vector = _words(tag.scene_id)
    assert tag.name in before and np.allclose(vector, _embedded(before), atol=1e-5)
    assert admin_client.post(reverse("admin:adstudio_tag_delete", args=[tag.pk]), {"post": "yes"}).status_code == 302
    after, vector = _words(tag.scene_id)
    assert after != before and np.allclose(vector, _embedded(after), atol=1e-5)
    assert SceneGroup.objects.get(pk=tag.scene_id).text_version == TEXT_VERSION
    rest = list(tag.scene.tags.values_list("pk", flat=True))
    selected = {"action": "delete_selected", "post": "yes", "_selected_action": rest}
    assert admin_client.post(reverse("admin:adstudio_tag_changelist"), selected).status_code == 302
    words, vector = _words(tag.scene_id)
    assert not Tag.objects.filter(scene=tag.scene_id).exists() and words != after
    assert np.allclose(vector, _embedded(words), atol=1e-5)


@pytest.mark.django_db(transaction=True)
def test_the_analysis_summary_follows_scenes_and_tags_deleted_in_the_admin(admin_client, done):
    summary = Analysis.objects.get(pk=done.pk).summary
    scenes = SceneGroup.objects.filter(analysis=done).count()
    assert summary["scenes"] == scenes and summary["top_tags"]
    top = summary["top_tags"][0]
    for tag in Tag.objects.filter(analysis=done, name=top):
        assert (
            admin_client.post(reverse("admin:adstudio_tag_delete", args=[tag.pk]), {"post": "yes"}).status_code == 302
        )
    after = Analysis.objects.get(pk=done.pk).summary
    # the others keep their places (a tag ranked below them may move up into the twelve)
    assert top not in after["top_tags"] and after["top_tags"][: len(summary["top_tags"]) - 1] == summary["top_tags"][1:]
    assert {k: v for k, v in after.items() if k != "top_tags"} == {k: v for k, v in summary.items() if k != "top_tags"}
    scene = SceneGroup.objects.filter(analysis=done).first()
    assert (
        admin_client.post(reverse("admin:adstudio_scenegroup_delete", args=[scene.pk]), {"post": "yes"}).status_code
        == 302
    )
    after = Analysis.objects.get(pk=done.pk).summary
    assert after["scenes"] == scenes - 1 and after["shots"] == summary["shots"]
    kept = set(Tag.objects.filter(analysis=done, confidence__isnull=False).values_list("name", flat=True))
    assert set(after["top_tags"]) <= kept
