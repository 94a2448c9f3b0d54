"""Writes in the ad studio go through services and never happen on a GET: the admin saves boards
through the moodboard services on the owner's behalf (their limits hold), the pipeline's own rows are
read-only, and the full-resolution frame (decoded and stored on first request) is made by a POST."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from apps.adstudio import services
from apps.adstudio.models import Video
from apps.adstudio.services.storage import workspace
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
