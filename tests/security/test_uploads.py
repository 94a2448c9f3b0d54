"""Uploads: a failed upload leaves neither its file nor its row; every
poster, uploaded or fetched from a URL, passes one Pillow check (pixel limit read from the
header, then a full decode) with a message that says what to fix."""

import http.server
import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.adstudio.models import Analysis, Video
from apps.core.errors import ApplicationError
from apps.core.models import Job
from apps.movies.models import Movie
from apps.movies.services import movie_create, movie_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NET_ALLOW_LOOPBACK = True
    return tmp_path / "media"


def stored(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def image_bytes(size=(40, 60), mode="RGB", kind="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white" if mode == "1" else "navy").save(buffer, format=kind)
    return buffer.getvalue()


def noise_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((200, 300), 60).convert("RGB").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_an_upload_whose_analysis_cannot_start_leaves_no_video_and_no_file(api_user, media, settings):
    settings.ADSTUDIO_PROVIDERS = {
        **settings.ADSTUDIO_PROVIDERS,
        "openai": {**settings.ADSTUDIO_PROVIDERS["openai"], "api_key": ""},
    }
    response = api_user.post(
        reverse("adstudio-api:analysis_list"),
        {"upload": SimpleUploadedFile("spot.mp4", b"\x00" * 5000), "provider": "openai"},
        format="multipart",
    )
    assert response.status_code == 400 and "openai" in response.json()["detail"]
    assert not Video.objects.exists() and not Analysis.objects.exists()
    assert stored(media) == []


def test_a_poster_upload_that_fails_after_storing_leaves_no_file_and_no_row(user, media):
    with pytest.raises(ApplicationError, match="genre needs a name"):
        movie_create(
            created_by=user, title="Half-saved", genres=[" "], poster=SimpleUploadedFile("p.png", image_bytes())
        )
    assert not Movie.objects.exists() and stored(media) == []
    movie = movie_create(created_by=user, title="Kept", poster=SimpleUploadedFile("p.png", image_bytes()))
    before = stored(media)
    with pytest.raises(ApplicationError, match="genre needs a name"):
        movie_update(movie=movie, user=user, genres=[" "], poster=SimpleUploadedFile("q.png", image_bytes((50, 50))))
    movie.refresh_from_db()
    assert stored(media) == before == [movie.poster.name]


def test_replacing_a_poster_deletes_the_old_file(client_user, user, media, django_capture_on_commit_callbacks):
    movie = movie_create(created_by=user, title="Twice", poster=SimpleUploadedFile("p.png", image_bytes()))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_user.post(
            reverse("movies:update", args=[movie.pk]),
            {"title": "Twice", "poster": SimpleUploadedFile("q.png", image_bytes((50, 50)))},
        )
    assert response.status_code == 302
    movie.refresh_from_db()
    assert stored(media) == [movie.poster.name]


@pytest.mark.parametrize("size, mode", [((5000, 5000), "L"), ((10000, 10000), "1")])
def test_the_poster_form_refuses_images_over_the_pixel_limit(client_user, media, settings, size, mode):
    settings.MOVIES_POSTER_MAX_PIXELS = 4000 * 4000
    response = client_user.post(
        reverse("movies:create"), {"title": "Huge", "poster": SimpleUploadedFile("huge.png", image_bytes(size, mode))}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert f"{size[0]:,}×{size[1]:,} pixels" in page and "at most 16,000,000" in page
    assert "scale it down" in page
    assert not Movie.objects.exists() and stored(media) == []


@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_the_poster_form_refuses_truncated_jpegs(client_user, media, cut):
    data = noise_jpeg()
    response = client_user.post(
        reverse("movies:create"),
        {"title": "Broken", "poster": SimpleUploadedFile("broken.jpg", data[: int(len(data) * cut)])},
    )
    assert response.status_code == 400
    assert "damaged or incomplete" in response.content.decode()
    assert not Movie.objects.exists() and stored(media) == []


def test_the_admin_poster_upload_gets_the_same_check(client, django_user_model, media, settings):
    settings.MOVIES_POSTER_MAX_PIXELS = 4000 * 4000
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.com", "pw"))
    response = client.post(
        reverse("admin:movies_movie_add"),
        {
            "title": "Admin huge",
            "poster": SimpleUploadedFile("huge.png", image_bytes((5000, 5000), "L")),
            "reviews-TOTAL_FORMS": "0",
            "reviews-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and "scale it down" in response.content.decode()
    assert not Movie.objects.exists() and stored(media) == []


def test_a_poster_is_stored_under_the_type_of_its_content(client_user, media, settings):
    response = client_user.post(
        reverse("movies:create"), {"title": "Named", "poster": SimpleUploadedFile("cover.ps", image_bytes())}
    )
    assert response.status_code == 302
    movie = Movie.objects.get()
    assert movie.poster.name == f"movies/posters/movie-{movie.pk}.png"
    assert client_user.get(settings.MEDIA_URL + movie.poster.name)["Content-Type"] == "image/png"


class _Images(http.server.BaseHTTPRequestHandler):
    bodies = {
        "/truncated.jpg": noise_jpeg()[:4000],
        "/huge.png": image_bytes((5000, 5000), "L"),
        "/fine.jpg": noise_jpeg(),
    }

    def do_GET(self):
        body = self.bodies[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if self.path.endswith("png") else "image/jpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def image_server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Images)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.mark.django_db(transaction=True)
def test_a_poster_url_to_a_corrupt_or_huge_image_fails_its_job_and_stores_nothing(user, media, image_server, run_jobs):
    for path, message in (("/truncated.jpg", "damaged or incomplete"), ("/huge.png", "5,000×5,000 pixels")):
        movie = movie_create(created_by=user, title=path, poster_url=image_server + path)
        run_jobs()
        job = Job.objects.get(kind="movies.poster_fetch", target_id=str(movie.pk))
        movie.refresh_from_db()
        assert job.status == "failed" and message in job.error, (path, job.error)
        assert not movie.poster and stored(media) == []
    movie = movie_create(created_by=user, title="fine", poster_url=image_server + "/fine.jpg")
    run_jobs()
    movie.refresh_from_db()
    assert stored(media) == [f"movies/posters/movie-{movie.pk}.jpg"]
