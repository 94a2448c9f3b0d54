"""Private files: the /media/ route serves public storage prefixes only,
whatever the path trick; private files come only from views that look their object up by
primary key and check its owner, with byte ranges so a <video> can seek."""

import http.client
import io
import random
import threading
from importlib import import_module, reload
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.urls import clear_url_caches, reverse
from PIL import Image

from apps.adstudio import services
from apps.adstudio.models import Shot
from apps.adstudio.video.synth import clip_make

VIDEO = b"\x00\x00\x00\x18ftypmp42" + random.Random(15).randbytes(150_000)
TSV = b"movie_id\ttext\n" + b"".join(b"%d\tsecret review %d\n" % (i, i) for i in range(2000))


def _jpeg(seed: int) -> bytes:
    buffer = io.BytesIO()
    Image.frombytes("RGB", (64, 36), random.Random(seed).randbytes(64 * 36 * 3)).save(buffer, format="JPEG")
    return buffer.getvalue()


KEYFRAME, POSTER = _jpeg(1), _jpeg(2)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def files(user, media):
    """A user's video, an analysis with one keyframe and a review import, stored where the app
    stores them, plus one public poster."""
    video = services.video_create_from_upload(owner=user, upload=SimpleUploadedFile("spot.mp4", VIDEO), title="Spot")
    analysis = services.analysis_start(owner=user, video=video)
    keyframe = default_storage.save(f"adstudio/{user.pk}/analyses/{analysis.pk}/shot-0000.jpg", ContentFile(KEYFRAME))
    shot = Shot(
        analysis=analysis, index=0, first_frame=0, last_frame=9, start=0, end=0.4, keyframe_frame=4, keyframe=keyframe
    )
    shot.save()
    tsv = default_storage.save(f"private/movies/{user.pk}/import.tsv", ContentFile(TSV))
    poster = default_storage.save("movies/posters/poster.jpg", ContentFile(POSTER))
    return SimpleNamespace(
        owner=user,
        video=video,
        analysis=analysis,
        shot=shot,
        poster=poster,
        private={video.file.name: VIDEO, keyframe: KEYFRAME, tsv: TSV},
    )


@pytest.fixture
def media_route(settings):
    """media_route(on): rebuild the URLconf with SERVE_MEDIA on or off (restored afterwards)."""
    before = settings.SERVE_MEDIA

    def use(on: bool):
        settings.SERVE_MEDIA = on
        reload(import_module(settings.ROOT_URLCONF))
        clear_url_caches()

    yield use
    use(before)


def variants(name: str) -> list[str]:
    """Ways to spell storage name ``name`` in a /media/ URL (as sent, before the server's own
    percent-decoding)."""
    top, rest = name.split("/", 1)
    return [
        name,
        "/" + name,
        "//" + name,
        "./" + name,
        "movies/../" + name,
        "movies/posters/../../" + name,
        "movies/%2e%2e/" + name,
        "movies/%2E%2E/" + name,
        "movies%2f..%2f" + name,
        "movies/posters/..%2f..%2f" + name,
        "%2e/" + name,
        "movies/%252e%252e/" + name,
        "movies/posters/%252e%252e%252f%252e%252e%252f" + name,
        "%25%36%31" + name[1:],
        "%61" + name[1:],
        top.upper() + "/" + rest,
        top.capitalize() + "/" + rest,
        top + "./" + rest,
        name + ".",
        name + "/",
        "movies\\..\\" + name,
        "movies/posters\\..\\..\\" + name,
        name.replace("/", "\\"),
        "movies/posters/" + name.replace("/", "%2f"),
    ]


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_no_leak(body: bytes, data: bytes, where: str) -> None:
    for start in (0, len(data) // 2, len(data) - 48):
        assert data[start : start + 48] not in body, where


@pytest.mark.parametrize("debug", [False, True])
def test_no_path_trick_gets_a_private_file_from_the_media_route(client, other_user, files, settings, debug):
    settings.DEBUG = debug
    for who in (None, other_user, files.owner):  # not even the owner: private files have views
        client.logout()
        if who:
            client.force_login(who)
        for name, data in files.private.items():
            for path in variants(name):
                response = client.get(settings.MEDIA_URL + path)
                assert response.status_code == 404, (who, path)
                assert_no_leak(body_of(response), data, path)


@pytest.fixture
def web_server():
    """(host, port) of the site served as `runserver` serves it (Django's threaded WSGI server
    and handler); the test live server is no use here, as it answers /media/ by itself."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address
    server.shutdown()
    server.server_close()


@pytest.mark.django_db(transaction=True)
def test_path_tricks_sent_as_is_over_a_socket_get_404(web_server, files):
    """The probe's requests (curl --path-as-is) through a real WSGI server's decoding."""
    for name, data in files.private.items():
        for path in variants(name):
            connection = http.client.HTTPConnection(*web_server, timeout=20)
            connection.request("GET", "/media/" + path)
            response = connection.getresponse()
            body = response.read()
            connection.close()
            assert response.status == 404, path
            assert_no_leak(body, data, path)


def test_public_media_are_served_whole_in_ranges_and_to_head(client, files, settings):
    url = settings.MEDIA_URL + files.poster
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Content-Type"] == "image/jpeg"
    assert body_of(whole) == POSTER and whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=10-19")
    assert part.status_code == 206 and body_of(part) == POSTER[10:20]
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Length"] == str(len(POSTER))
    assert body_of(head) == b""


def test_serve_media_on_serves_public_files_only_and_off_serves_nothing(client, files, settings, media_route):
    for on in (False, True):
        media_route(on)
        poster = client.get(settings.MEDIA_URL + files.poster)
        assert poster.status_code == (200 if on else 404)
        for name, data in files.private.items():
            for path in variants(name):
                response = client.get(settings.MEDIA_URL + path)
                assert response.status_code == 404, (on, path)
                assert_no_leak(body_of(response), data, path)


def _guarded(files) -> dict[str, bytes]:
    return {
        reverse("adstudio:keyframe", args=[files.shot.pk]): KEYFRAME,
        reverse("adstudio-api:shot_keyframe", args=[files.shot.pk]): KEYFRAME,
        reverse("adstudio:video_source", args=[files.video.pk]): VIDEO,
    }


def _guarded_variants(url: str) -> list[str]:
    return [
        url,
        url.replace("/adstudio/", "/adstudio//"),
        url.replace("/adstudio/", "/ADSTUDIO/"),
        url + ".",
        url + "/",
        url.replace(f"/{url.split('/')[-2]}/", f"/0{url.split('/')[-2]}/"),
        url.rsplit("/", 1)[0] + "/./" + url.rsplit("/", 1)[1],
        url.rsplit("/", 1)[0] + "/%2e/" + url.rsplit("/", 1)[1],
    ]


def test_file_views_serve_nobody_but_the_owner(client, other_user, files):
    for url, data in _guarded(files).items():
        client.logout()
        for variant in _guarded_variants(url):
            response = client.get(variant)
            assert response.status_code in (302, 401, 403, 404), variant  # 302: to log in
            assert_no_leak(body_of(response), data, variant)
        client.force_login(other_user)
        assert client.get(url).status_code == 404, url
        for variant in _guarded_variants(url):
            response = client.get(variant, HTTP_RANGE="bytes=0-")
            assert response.status_code in (301, 404), variant
            assert_no_leak(body_of(response), data, variant)
        client.force_login(files.owner)
        assert body_of(client.get(url)) == data, url


def test_the_owner_streams_the_source_video_with_byte_ranges(client, files):
    client.force_login(files.owner)
    url, size = reverse("adstudio:video_source", args=[files.video.pk]), len(VIDEO)
    whole = client.get(url)
    assert whole.status_code == 200 and whole["Content-Type"] == "video/mp4"
    assert whole["Accept-Ranges"] == "bytes" and whole["Content-Length"] == str(size)
    assert "private" in whole["Cache-Control"] and body_of(whole) == VIDEO
    for header, start, end in (
        ("bytes=100-199", 100, 199),
        ("bytes=1000-", 1000, size - 1),
        ("bytes=-500", size - 500, size - 1),
        (f"bytes=0-{size * 2}", 0, size - 1),
    ):
        part = client.get(url, HTTP_RANGE=header)
        assert part.status_code == 206, header
        assert part["Content-Range"] == f"bytes {start}-{end}/{size}", header
        assert part["Content-Length"] == str(end - start + 1)
        assert body_of(part) == VIDEO[start : end + 1], header
    for header in (f"bytes={size}-", f"bytes={size + 10}-{size + 20}", "bytes=-0"):
        refused = client.get(url, HTTP_RANGE=header)
        assert refused.status_code == 416, header
        assert refused["Content-Range"] == f"bytes */{size}" and body_of(refused) == b""
    for header in ("bytes=5-2", "lines=1-2", "bytes=0-1,5-6", "bytes=x-"):  # not one valid range
        assert body_of(client.get(url, HTTP_RANGE=header)) == VIDEO, header
    head = client.head(url, HTTP_RANGE="bytes=0-99")
    assert head.status_code == 206 and head["Content-Length"] == "100"
    assert body_of(head) == b""


@pytest.mark.parametrize("route", ["adstudio:keyframe", "adstudio-api:shot_keyframe"])
def test_the_keyframe_views_answer_ranges_and_head(client, files, route):
    client.force_login(files.owner)
    url = reverse(route, args=[files.shot.pk])
    part = client.get(url, HTTP_RANGE="bytes=2-5")
    assert part.status_code == 206 and body_of(part) == KEYFRAME[2:6]
    head = client.head(url)
    assert head.status_code == 200 and head["Content-Type"] == "image/jpeg"
    assert head["Content-Length"] == str(len(KEYFRAME)) and body_of(head) == b""
    assert client.post(url).status_code == 405


def test_with_x_accel_the_view_hands_the_file_to_nginx_after_the_owner_check(client, other_user, files, settings):
    settings.MEDIA_PRIVATE_SERVE = "x-accel"
    url = reverse("adstudio:video_source", args=[files.video.pk])
    client.force_login(other_user)
    refused = client.get(url)
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
    client.force_login(files.owner)
    response = client.get(url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 200 and body_of(response) == b""
    assert response["X-Accel-Redirect"] == "/_private_media/" + files.video.file.name
    assert response["Content-Type"] == "video/mp4"


def test_the_analysis_page_plays_the_source_through_the_guarded_view(client, files):
    client.force_login(files.owner)
    page = client.get(reverse("adstudio:analysis_detail", args=[files.analysis.pk]))
    html = page.content.decode()
    assert f'src="{reverse("adstudio:video_source", args=[files.video.pk])}"' in html
    assert '<video controls preload="metadata"' in html
    assert files.video.file.name not in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_player_seeks_in_the_source_video(page, live_server, log_in, user, media, tmp_path):
    path = tmp_path / "clip.mp4"
    clip_make(path, kind="cuts", seed=5, seconds=4)
    video = services.video_create_from_upload(owner=user, upload=SimpleUploadedFile("clip.mp4", path.read_bytes()))
    analysis = services.analysis_start(owner=user, video=video)
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if "/source" in r.url else None)
    log_in(user)
    page.goto(f"{live_server.url}{reverse('adstudio:analysis_detail', args=[analysis.pk])}")
    state = page.evaluate("""async () => {
        const v = document.querySelector('video');
        if (v.readyState < 1) await new Promise(r => v.addEventListener('loadedmetadata', r, {once: true}));
        v.currentTime = 3;
        await new Promise(r => v.addEventListener('seeked', r, {once: true}));
        return {duration: v.duration, time: v.currentTime, error: v.error && v.error.code};
    }""")
    assert state["error"] is None and state["duration"] > 3.5
    assert abs(state["time"] - 3) < 0.1 and 206 in statuses
