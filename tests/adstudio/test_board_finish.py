"""Moodboards people want to use: order by drag and drop (the page's endpoint), a read-only
share link, full-resolution keyframes, a PDF, and the same through the API and the admin."""

import io

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from rest_framework.test import APIClient

from apps.adstudio import services
from apps.adstudio.models import Moodboard
from apps.adstudio.video.synth import clip_make
from tests.adstudio.factories import analysis_started

pytestmark = pytest.mark.django_db(transaction=True)
JPEG = b"\xff\xd8\xff"


@pytest.fixture
def done(user, media, clips, run_jobs):
    path, _ = clips("cuts", 63, seconds=6)  # three shots
    analysis = analysis_started(user, path)
    run_jobs()
    analysis.refresh_from_db()
    return analysis


@pytest.fixture
def board(done):
    board = services.moodboard_create(owner=done.owner, title="봄 캠페인 — 무드")
    for k, shot in enumerate(done.shots.order_by("index")[:3]):
        services.moodboard_item_add(owner=done.owner, moodboard=board, shot=shot, note=f"따뜻한 노을 {k}")
    return board


def _order(board):
    return list(board.items.order_by("position").values_list("pk", flat=True))


def test_the_order_from_drag_and_drop_is_saved_and_a_wrong_one_is_refused(client_user, board, client, other_user):
    url = reverse("adstudio:moodboard_order", args=[board.pk])
    ids = _order(board)
    assert client_user.post(url, {"item": ids[::-1]}).status_code == 204
    assert _order(board) == ids[::-1]
    response = client_user.post(url, {"item": ids[:2]})
    assert response.status_code == 400 and "every item of this board once" in response.content.decode()
    assert client_user.post(url, {"item": ["x"]}).status_code == 400
    assert _order(board) == ids[::-1]
    client.force_login(other_user)
    assert client.post(url, {"item": ids}).status_code == 404
    assert _order(board) == ids[::-1]


def test_a_share_link_shows_the_board_and_its_keyframes_to_anyone_holding_it(client_user, board):
    client = Client()  # anonymous (client_user is the logged-in `client` fixture)
    client_user.post(reverse("adstudio:moodboard_share", args=[board.pk]), {"share": "1"})
    board.refresh_from_db()
    assert len(board.share_token) >= 43  # 256 random bits
    page = client_user.get(reverse("adstudio:moodboard_detail", args=[board.pk])).content.decode()
    assert f"/adstudio/shared/{board.share_token}/" in page
    response = client.get(reverse("adstudio:moodboard_shared", args=[board.share_token]))  # anonymous
    html = response.content.decode()
    assert response.status_code == 200 and "따뜻한 노을 2" in html
    assert response["Referrer-Policy"] == "no-referrer" and response["Cache-Control"] == "no-store"
    item = board.items.order_by("position").first()
    assert reverse("adstudio:shared_keyframe", args=[board.share_token, item.pk]) in html
    assert reverse("adstudio:keyframe", args=[item.shot_id]) not in html and "/media/" not in html
    assert "Save note" not in html and "Remove" not in html  # read-only
    image = client.get(reverse("adstudio:shared_keyframe", args=[board.share_token, item.pk]))
    assert image["Content-Type"] == "image/jpeg" and b"".join(image.streaming_content)[:3] == JPEG


def test_a_revoked_or_wrong_share_link_is_a_404_and_sends_no_bytes(user, client, board, done):
    token = services.moodboard_share(owner=user, moodboard=board)
    item = board.items.first()
    other = services.moodboard_create(owner=user, title="Not shared")
    foreign = services.moodboard_item_add(owner=user, moodboard=other, shot=done.shots.first())
    assert client.get(reverse("adstudio:shared_keyframe", args=[token, foreign.pk])).status_code == 404

    services.moodboard_unshare(owner=user, moodboard=board)
    for url in (
        reverse("adstudio:moodboard_shared", args=[token]),
        reverse("adstudio:shared_keyframe", args=[token, item.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert JPEG not in response.content and "따뜻한" not in response.content.decode()
    again = services.moodboard_share(owner=user, moodboard=board)
    assert again != token
    assert client.get(reverse("adstudio:moodboard_shared", args=[token])).status_code == 404
    assert client.get(reverse("adstudio:moodboard_shared", args=[again])).status_code == 200


def test_only_the_owner_shares_revokes_or_exports_a_board(client, other_user, board):
    client.force_login(other_user)
    for name in ("moodboard_share", "moodboard_scent"):
        assert client.post(reverse(f"adstudio:{name}", args=[board.pk]), {"share": "1"}).status_code == 404
    assert client.get(reverse("adstudio:moodboard_pdf", args=[board.pk])).status_code == 404
    board.refresh_from_db()
    assert board.share_token is None


def test_the_full_resolution_keyframe_is_the_source_frame_for_its_owner_only(
    user, client, other_user, media, run_jobs, tmp_path
):
    """Keyframes are stored at most 640 px wide; the download is the same frame at 960x540."""
    path = tmp_path / "wide.mp4"
    clip_make(path, kind="cuts", seed=64, seconds=3, width=960, height=540)
    analysis = analysis_started(user, path)
    run_jobs()
    shot = analysis.shots.order_by("index").last()
    stored = Image.open(default_storage.open(shot.keyframe.name)).convert("RGB")
    assert stored.size == (640, 360)
    url = reverse("adstudio:keyframe_full", args=[shot.pk])
    client.force_login(other_user)
    assert client.post(url).status_code == 404
    client.logout()
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(user)
    response = client.post(url)
    assert response["Content-Type"] == "image/png" and "attachment" in response["Content-Disposition"]
    full = Image.open(io.BytesIO(b"".join(response.streaming_content))).convert("RGB")
    assert full.size == (960, 540)
    difference = np.abs(np.asarray(full.resize((640, 360)), float) - np.asarray(stored, float)).mean()
    other_frame = analysis.shots.order_by("index").first()
    other = Image.open(default_storage.open(other_frame.keyframe.name)).convert("RGB")
    assert difference < 6 < np.abs(np.asarray(other, float) - np.asarray(stored, float)).mean()
    assert client.post(url).status_code == 200  # from storage now


def test_without_its_source_video_the_full_frame_says_why(client_user, done):
    shot = done.shots.first()
    default_storage.delete(done.video.file.name)
    response = client_user.post(reverse("adstudio:keyframe_full", args=[shot.pk]), follow=True)
    assert "source video is not stored" in response.content.decode()
    api = APIClient()
    api.force_authenticate(done.owner)
    answer = api.get(f"/api/adstudio/shots/{shot.pk}/frame.png")
    assert answer.status_code == 409 and answer.json()["error"] == "source_missing"


def test_the_pdf_holds_every_keyframe_and_the_korean_words_as_real_text(client_user, board):
    response = client_user.get(reverse("adstudio:moodboard_pdf", args=[board.pk]))
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "봄 캠페인 — 무드" in text and "따뜻한 노을 2" in text
    # Korean comes back as text only when drawn in the embedded NanumGothic (PDF base fonts have no Hangul).
    fonts = {str(f["/BaseFont"]) for page in pdf.pages for f in page["/Resources"]["/Font"].get_object().values()}
    assert {"NanumGothic", "NanumGothicBold"} <= {f.split("+")[-1] for f in fonts}
    assert sum(len(page.images) for page in pdf.pages) == 3


def test_an_empty_board_is_not_exported_and_says_why(client_user, user, media):
    board = services.moodboard_create(owner=user, title="Empty")
    response = client_user.get(reverse("adstudio:moodboard_pdf", args=[board.pk]), follow=True)
    assert "empty: add keyframes first" in response.content.decode()


def test_the_api_shares_revokes_exports_and_gives_full_frames_to_the_owner_only(board, other_user):
    api, stranger = APIClient(), APIClient()
    api.force_authenticate(board.owner)
    stranger.force_authenticate(other_user)
    base = f"/api/adstudio/moodboards/{board.pk}"
    share = api.post(f"{base}/share/").json()["share_url"]
    assert api.get(f"{base}/").json()["share_url"] == share
    assert APIClient().get(share).status_code == 200
    assert api.get(f"{base}/board.pdf")["Content-Type"] == "application/pdf"
    shot = board.items.first().shot
    assert api.get(f"/api/adstudio/shots/{shot.pk}/frame.png")["Content-Type"] == "image/png"
    for method, url in (
        ("post", f"{base}/share/"),
        ("delete", f"{base}/share/"),
        ("get", f"{base}/board.pdf"),
        ("get", f"/api/adstudio/shots/{shot.pk}/frame.png"),
    ):
        assert getattr(stranger, method)(url).status_code == 404, url
    assert api.delete(f"{base}/share/").status_code == 204
    assert api.get(f"{base}/").json()["share_url"] is None
    assert APIClient().get(share).status_code == 404


def test_a_superuser_revokes_share_links_in_the_admin(client, board, django_user_model):
    services.moodboard_share(owner=board.owner, moodboard=board)
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456789")
    client.force_login(admin)
    changelist = reverse("admin:adstudio_moodboard_changelist")
    assert client.get(changelist).status_code == 200
    client.post(changelist, {"action": "revoke_share_links", "_selected_action": [board.pk]})
    assert Moodboard.objects.get(pk=board.pk).share_token is None
