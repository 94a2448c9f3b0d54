import pytest
from rest_framework.test import APIClient

from apps.adstudio.models import Analysis
from tests.adstudio.factories import analysis_started, upload_of
from tests.adstudio.fake_notion import TOKEN, FakeNotion

pytestmark = pytest.mark.django_db(transaction=True)
API = "/api/adstudio"


@pytest.fixture
def done(user, media, clips, run_jobs):
    path, _ = clips("cuts", 71, seconds=4)
    analysis = analysis_started(user, path)
    run_jobs()
    return analysis


def test_creating_an_analysis_by_upload_returns_202_with_its_job(api_user, user, media, clips):
    path, _ = clips("cuts", 72, seconds=3)
    response = api_user.post(f"{API}/analyses/", {"upload": upload_of(path), "provider": "local"}, format="multipart")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["status"] == "queued" and body["job"]["queue"] == "video"
    assert Analysis.objects.get(pk=body["id"]).owner == user


def test_bad_input_is_a_clear_400(api_user, media, settings):
    settings.NET_ALLOW_LOOPBACK = False
    response = api_user.post(f"{API}/analyses/", {"url": "http://127.0.0.1/a.mp4"}, format="json")
    assert response.status_code == 400 and "private or local" in response.json()["detail"]
    response = api_user.post(f"{API}/analyses/", {"provider": "local"}, format="json")
    assert response.status_code == 400
    response = api_user.post(f"{API}/analyses/", {"url": "https://x.example/a.mp4", "colour": "red"}, format="json")
    assert response.status_code == 400 and "colour" in str(response.json())
    response = api_user.post(f"{API}/analyses/", {"video": 1, "provider": "openai"}, format="json")
    assert response.status_code in (400, 404)


def test_the_api_reads_shots_scenes_search_and_similar(api_user, done):
    shots = api_user.get(f"{API}/analyses/{done.pk}/shots/").json()["results"]
    assert shots and shots[0]["keyframe_url"].endswith("keyframe.jpg")
    scenes = api_user.get(f"{API}/analyses/{done.pk}/scenes/").json()["results"]
    assert scenes and scenes[0]["palette"] and scenes[0]["tags"]
    tag = scenes[0]["tags"][0]["name"]
    found = api_user.get(f"{API}/search/", {"tag": tag}).json()["results"]
    assert [sc["analysis"] for sc in found] == [done.pk] * len(found) and found
    similar = api_user.get(f"{API}/shots/{shots[0]['id']}/similar/").json()
    assert all("distance" in row for row in similar)


def test_nobody_else_can_read_or_touch_an_analysis_or_moodboard(other_user, done):
    shot = done.shots.first()
    client = APIClient()
    client.force_authenticate(user=done.owner)
    board = client.post(f"{API}/moodboards/", {"title": "Mine"}, format="json").json()
    other = APIClient()
    other.force_authenticate(other_user)
    for url in [
        f"{API}/analyses/{done.pk}/",
        f"{API}/analyses/{done.pk}/shots/",
        f"{API}/shots/{shot.pk}/similar/",
        f"{API}/moodboards/{board['id']}/",
        f"{API}/videos/{done.video_id}/",
    ]:
        assert other.get(url).status_code == 404, url
    assert other.get(f"{API}/analyses/").json()["results"] == []
    response = other.post(f"{API}/moodboards/{board['id']}/items/", {"shot": shot.pk}, format="json")
    assert response.status_code == 404
    theirs = other.post(f"{API}/moodboards/", {"title": "Theirs"}, format="json").json()
    response = other.post(f"{API}/moodboards/{theirs['id']}/items/", {"shot": shot.pk}, format="json")
    assert response.status_code == 404
    assert APIClient().get(f"{API}/analyses/").status_code in (401, 403)


def test_moodboard_items_are_added_reordered_and_annotated(api_user, done):
    board = api_user.post(f"{API}/moodboards/", {"title": "B"}, format="json").json()
    ids = [
        api_user.post(f"{API}/moodboards/{board['id']}/items/", {"shot": s.pk}, format="json").json()["id"]
        for s in done.shots.all()[:2]
    ]
    api_user.post(f"{API}/moodboards/{board['id']}/order/", {"items": ids[::-1]}, format="json")
    api_user.patch(f"{API}/moodboard-items/{ids[1]}/", {"note": "first"}, format="json")
    items = api_user.get(f"{API}/moodboards/{board['id']}/").json()["items"]
    assert [(i["id"], i["note"]) for i in items] == [(ids[1], "first"), (ids[0], "")]


def test_export_through_the_api_and_the_token_is_never_returned(api_user, done, settings, run_jobs):
    with FakeNotion() as fake:
        settings.ADSTUDIO_NOTION_BASE_URL = fake.url
        saved = api_user.put(f"{API}/notion/", {"token": TOKEN, "database_id": fake.database_id}, format="json").json()
        assert TOKEN not in str(saved) and saved["configured"]
        response = api_user.post(f"{API}/exports/", {"analysis": done.pk}, format="json")
        assert response.status_code == 202
        run_jobs()
    exports = api_user.get(f"{API}/exports/").json()["results"]
    assert exports[0]["status"] == "succeeded" and exports[0]["page_id"] in fake.pages


def test_the_api_refuses_an_upload_over_the_limit_with_413(api_user, media, settings, clips):
    settings.ADSTUDIO_MAX_UPLOAD_BYTES = 2048
    path, _ = clips("cuts", 73, seconds=3)
    response = api_user.post(f"{API}/analyses/", {"upload": upload_of(path)}, format="multipart")
    assert response.status_code == 413 and "larger than" in response.json()["detail"]


def test_keyframes_and_collages_are_served_to_token_clients_of_the_owner_only(done, other_user):
    from rest_framework.authtoken.models import Token

    shot = done.shots.first()
    owner = APIClient()
    owner.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=done.owner).key}")
    url = owner.get(f"{API}/analyses/{done.pk}/shots/").json()["results"][0]["keyframe_url"]
    response = owner.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    board = owner.post(f"{API}/moodboards/", {"title": "B"}, format="json").json()
    owner.post(f"{API}/moodboards/{board['id']}/items/", {"shot": shot.pk}, format="json")
    collage = owner.get(f"{API}/moodboards/{board['id']}/collage.png")
    assert collage.status_code == 200 and collage.content[:4] == b"\x89PNG"
    other = APIClient()
    other.force_authenticate(other_user)
    assert other.get(url).status_code == 404
    assert other.get(f"{API}/moodboards/{board['id']}/collage.png").status_code == 404


def test_the_video_list_pages_in_a_fixed_order_newest_first(api_user, user):
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    from apps.adstudio.models import Video

    videos = [Video.objects.create(owner=user, title=f"Clip {i}") for i in range(3)]
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)  # pages of an unordered query can overlap
        response = api_user.get(f"{API}/videos/")
    assert response.status_code == 200
    assert [v["id"] for v in response.json()["results"]] == [v.pk for v in reversed(videos)]
