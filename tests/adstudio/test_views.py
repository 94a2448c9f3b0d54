"""Pages: each private object is visible to its owner only; forms go through services."""

import pytest
from django.urls import reverse

from apps.adstudio import services
from apps.adstudio.models import Analysis
from tests.adstudio.factories import analysis_started, upload_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def done(user, media, clips, run_jobs):
    path, _ = clips("cuts", 61, seconds=4)
    analysis = analysis_started(user, path)
    run_jobs()
    analysis.refresh_from_db()
    return analysis


def test_the_analyse_form_stores_the_upload_and_queues_the_job(client_user, user, media, clips):
    path, _ = clips("cuts", 62, seconds=3)
    response = client_user.post(
        reverse("adstudio:index"), {"upload": upload_of(path), "provider": "local", "title": "Spot"}
    )
    analysis = Analysis.objects.get(owner=user)
    assert response.status_code == 302
    assert response.url == reverse("adstudio:analysis_detail", args=[analysis.pk])
    assert analysis.video.title == "Spot" and analysis.job.queue == "video"


def test_the_form_needs_exactly_one_source_and_refuses_private_urls(client_user, media, settings):
    settings.NET_ALLOW_LOOPBACK = False
    response = client_user.post(reverse("adstudio:index"), {"provider": "local"})
    assert "either a URL or a file" in response.content.decode()
    response = client_user.post(reverse("adstudio:index"), {"url": "http://127.0.0.1/x.mp4", "provider": "local"})
    assert "private or local" in response.content.decode()
    assert not Analysis.objects.exists()


def test_a_remote_provider_without_a_key_is_not_offered(client_user, media):
    page = client_user.get(reverse("adstudio:index")).content.decode()
    assert 'value="local"' in page and 'value="openai"' not in page


def test_the_analysis_page_shows_the_timeline_scenes_tags_and_palettes(client_user, done):
    page = client_user.get(reverse("adstudio:analysis_detail", args=[done.pk])).content.decode()
    shot = done.shots.first()
    assert reverse("adstudio:keyframe", args=[shot.pk]) in page
    assert "Scene 1" in page and 'class="swatch"' in page
    assert done.tags.first().name in page


def test_private_pages_and_keyframes_are_for_their_owner_only(client, other_user, done):
    board = services.moodboard_create(owner=done.owner, title="Mine")
    shot = done.shots.first()
    urls = [
        reverse("adstudio:analysis_detail", args=[done.pk]),
        reverse("adstudio:keyframe", args=[shot.pk]),
        reverse("adstudio:shot_similar", args=[shot.pk]),
        reverse("adstudio:moodboard_detail", args=[board.pk]),
        reverse("adstudio:moodboard_collage", args=[board.pk]),
    ]
    client.force_login(other_user)
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.logout()
    for url in urls:
        assert client.get(url).status_code == 302, url  # to the login page
    client.force_login(done.owner)
    assert client.get(urls[1])["Content-Type"] == "image/jpeg"


def test_the_media_url_of_a_keyframe_is_not_served(client_user, done, settings):
    shot = done.shots.first()
    response = client_user.get(settings.MEDIA_URL + shot.keyframe.name)
    assert response.status_code == 404


def test_search_finds_scenes_by_tag_and_text_and_similar_shots(client_user, done):
    tag = done.tags.first().name
    page = client_user.get(reverse("adstudio:search"), {"tag": tag}).content.decode()
    assert "1 scene" in page or "scenes" in page
    assert reverse("adstudio:analysis_detail", args=[done.pk]) in page
    word = done.scenes.first().description.split()[1]
    page = client_user.get(reverse("adstudio:search"), {"q": word}).content.decode()
    assert reverse("adstudio:analysis_detail", args=[done.pk]) in page
    shot = done.shots.first()
    page = client_user.get(reverse("adstudio:shot_similar", args=[shot.pk])).content.decode()
    assert "distance" in page


def test_search_never_shows_another_users_scenes(client, other_user, done):
    client.force_login(other_user)
    tag = done.tags.first().name
    page = client.get(reverse("adstudio:search"), {"tag": tag}).content.decode()
    assert reverse("adstudio:analysis_detail", args=[done.pk]) not in page


def test_moodboard_pages_add_move_annotate_and_download(client_user, user, done):
    client_user.post(reverse("adstudio:moodboard_list"), {"title": "Board"})
    board = user.adstudio_moodboards.get()
    shots = list(done.shots.order_by("index"))
    for shot in shots[:2]:
        client_user.post(reverse("adstudio:moodboard_add"), {"moodboard": board.pk, "shot": shot.pk})
    first, second = board.items.order_by("position")
    client_user.post(reverse("adstudio:item_move", args=[second.pk]), {"direction": "up"})
    client_user.post(reverse("adstudio:item_note", args=[second.pk]), {"note": "lead"})
    assert list(board.items.order_by("position").values_list("pk", "note")) == [(second.pk, "lead"), (first.pk, "")]
    response = client_user.get(reverse("adstudio:moodboard_collage", args=[board.pk]))
    assert response["Content-Type"] == "image/png" and response.content[:4] == b"\x89PNG"


def test_notion_settings_never_show_the_token_back(client_user, user, media, notion):
    notion.token = "secret_ABCDEFGHIJKLMNOP"
    client_user.post(
        reverse("adstudio:notion_settings"), {"token": "secret_ABCDEFGHIJKLMNOP", "database_id": notion.database_id}
    )
    page = client_user.get(reverse("adstudio:notion_settings")).content.decode()
    assert "secret_ABCDEFGHIJKLMNOP" not in page and "MNOP" in page
    assert user.adstudio_notion.token == "secret_ABCDEFGHIJKLMNOP"


def test_the_status_poll_asks_for_a_refresh_once_the_analysis_is_done(client_user, done):
    response = client_user.get(reverse("adstudio:analysis_status", args=[done.pk]))
    assert response.status_code == 200 and response["HX-Refresh"] == "true"


def test_an_upload_over_the_limit_is_refused_while_it_is_read(client_user, media, settings, clips):
    from apps.adstudio.models import Video

    settings.ADSTUDIO_MAX_UPLOAD_BYTES = 2048
    path, _ = clips("cuts", 63, seconds=3)
    response = client_user.post(reverse("adstudio:index"), {"upload": upload_of(path), "provider": "local"})
    assert response.status_code == 200
    assert "larger than the 0 MB limit" in response.content.decode()
    assert not Video.objects.exists()


def test_text_search_stems_words_and_ranks_scenes(user, done):
    from apps.adstudio import selectors

    scene = done.scenes.first()
    scene.description = "Golden light on the running waves"
    scene.save()
    found = list(selectors.scene_search(user=user, text="wave run"))
    assert found and found[0].pk == scene.pk
    assert list(selectors.scene_search(user=user, text="gold")) == [scene]  # substring fallback
    # No literal match: the closest scenes by meaning, without the literal boost.
    assert all(s.boost == 0 for s in selectors.scene_search(user=user, text="volcano"))


def test_the_admin_lists_every_adstudio_model_without_showing_tokens(client, staff_user, done, notion):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.set(Permission.objects.filter(content_type__app_label="adstudio"))
    notion.token = "secret_supersecretvalue"
    services.notion_settings_save(user=done.owner, token="secret_supersecretvalue", database_id=notion.database_id)
    client.force_login(staff_user)
    for model in ["video", "analysis", "scenegroup", "tag", "moodboard", "notionsettings", "notionexport"]:
        response = client.get(f"/admin/adstudio/{model}/")
        assert response.status_code == 200, model
        assert "supersecretvalue" not in response.content.decode()
    row = done.owner.adstudio_notion
    page = client.get(f"/admin/adstudio/notionsettings/{row.pk}/change/").content.decode()
    assert "supersecretvalue" not in page
    assert client.get(f"/admin/adstudio/analysis/{done.pk}/change/").status_code == 200
