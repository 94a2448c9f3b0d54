"""Bodies and texts over their limits.

Findings: JSON bodies over 2 MB got an HTML 400 (Django's DATA_UPLOAD_MAX_MEMORY_SIZE check fires
before DRF's parser) instead of the documented 413 JSON; moodboard descriptions had no length
limit (900 KB accepted), nor had other free texts users write.
"""

import io
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, encode_multipart
from PIL import Image

from apps.core.errors import ApplicationError
from tests.security.test_fuzz import PLACEHOLDER, _methods, _routes

# Just over the API limit (1 MB), and over Django's own limit (2 MB) as well.
SIZES = [settings.API_MAX_BODY_BYTES + 4096, settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 4096]


def _body(kind: str, size: int) -> tuple[bytes, str]:
    text = "x" * size
    if kind == "json":
        return json.dumps({"description": text}).encode(), "application/json"
    if kind == "form":
        return f"description={text}".encode(), "application/x-www-form-urlencoded"
    # Not the MULTIPART_CONTENT object itself: the test client would encode the bytes again.
    return encode_multipart(BOUNDARY, {"description": text}), f"multipart/form-data; boundary={BOUNDARY}"


def _api_routes():
    for route, callback in _routes():
        if route.startswith("/api/"):
            yield PLACEHOLDER.sub("1", route), callback


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["json", "form", "multipart"])
@pytest.mark.parametrize("size", SIZES)
def test_every_api_route_answers_413_json_to_a_body_over_the_limit(client_user, kind, size):
    body, content_type = _body(kind, size)
    wrong = []
    for path, callback in _api_routes():
        takes_uploads = getattr(getattr(callback, "cls", None), "upload_limit_setting", "")
        if kind == "multipart" and takes_uploads and size < settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            continue  # its multipart bodies may be as large as an upload; the fields' own limit is Django's
        for method in [m for m in _methods(callback) if m != "get"]:
            response = getattr(client_user, method)(path, data=body, content_type=content_type)
            answer = response.json() if response.get("Content-Type") == "application/json" else {}
            if response.status_code != 413 or answer.get("error") != "payload_too_large" or not answer.get("detail"):
                wrong.append(f"{method.upper()} {path}: {response.status_code} {response.content[:80]!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_an_api_body_with_too_many_fields_or_files_gets_400_json(client_user):
    body = "&".join(f"f{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    fields = client_user.post("/api/adstudio/moodboards/", data=body, content_type="application/x-www-form-urlencoded")
    files = client_user.post(
        "/api/adstudio/moodboards/",
        {"f": [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]},
    )
    for response, what in ((fields, "fields"), (files, "files")):
        assert response.status_code == 400
        assert response.json()["error"] == "parse_error" and what in response.json()["detail"]


@pytest.mark.django_db
def test_an_api_upload_may_be_larger_than_the_json_limit_but_not_than_its_own(client_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    upload = io.BytesIO(b"\0" * (settings.API_MAX_BODY_BYTES + 4096))
    upload.name = "big.mp4"
    response = client_user.post("/api/adstudio/analyses/", {"upload": upload})
    assert response.status_code != 413, response.content  # not a video: refused later, for that
    settings.ADSTUDIO_MAX_UPLOAD_BYTES = 4096
    upload.seek(0)
    response = client_user.post("/api/adstudio/analyses/", {"upload": upload})
    assert response.status_code == 413 and response.json()["error"] in ("payload_too_large", "too_large")


@pytest.mark.django_db
def test_a_page_form_over_the_limit_gets_a_clear_413_page(client_user):
    body = b"description=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 4096)
    response = client_user.post("/scents/compose/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    page = response.content.decode()
    assert "too large" in page and "2 MB of text" in page and "Nothing was saved" in page


@pytest.mark.django_db
def test_a_multipart_page_form_with_too_much_text_gets_a_clear_400_page(client_user):
    response = client_user.post(
        "/movies/new/", {"title": "T", "plot": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 4096)}
    )
    assert response.status_code == 400
    assert b"could not be read" in response.content and b"Nothing was saved" in response.content


# --- free texts users write: a limit with a clear message at the edge and in the service --------


@pytest.fixture
def shot(user, settings, tmp_path):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from apps.adstudio.models import Analysis, Shot, Video

    settings.MEDIA_ROOT = str(tmp_path)
    jpeg = io.BytesIO()
    Image.new("RGB", (16, 9), "red").save(jpeg, "JPEG")
    name = default_storage.save(f"adstudio/{user.pk}/analyses/shot.jpg", ContentFile(jpeg.getvalue()))
    analysis = Analysis.objects.create(owner=user, video=Video.objects.create(owner=user))
    return Shot.objects.create(
        analysis=analysis, index=0, first_frame=0, last_frame=9, start=0, end=1, keyframe_frame=0, keyframe=name
    )


@pytest.fixture
def recipe(user):
    from apps.scents.models import Ingredient, Recipe, RecipeIngredient
    from apps.scents.services import ingredient_master_load
    from tests.scents.factories import SceneFactory

    ingredient_master_load()
    recipe = Recipe.objects.create(
        scene=SceneFactory(owner=user),
        created_by=user,
        input_key="k",
        model_version="v",
        concentration="EDP",
        longevity_hours=6,
        season="autumn",
        confidence=0.5,
    )
    RecipeIngredient.objects.create(
        recipe=recipe, ingredient=Ingredient.objects.order_by("pk").first(), tier="base", percent=10, position=0
    )
    return recipe


TOO_LONG = 900_000  # the probe's moodboard description


@pytest.mark.django_db
def test_a_moodboard_description_over_the_limit_is_refused_by_page_api_and_service(client_user, api_user, user):
    from apps.adstudio import services
    from apps.adstudio.models import Moodboard

    text = "x" * TOO_LONG
    page = client_user.post("/adstudio/moodboards/", {"title": "Board", "description": text})
    assert page.status_code == 200 and "at most 2000 characters" in page.content.decode()
    api = api_user.post("/api/adstudio/moodboards/", {"title": "Board", "description": text}, format="json")
    assert api.status_code == 400 and "2000" in str(api.json()["detail"]["description"])
    with pytest.raises(ApplicationError, match="2000"):
        services.moodboard_create(owner=user, title="Board", description=text)
    board = services.moodboard_create(owner=user, title="Board", description="Warm")
    patch = api_user.patch(f"/api/adstudio/moodboards/{board.pk}/", {"description": text}, format="json")
    assert patch.status_code == 400
    with pytest.raises(ApplicationError, match="2000"):
        services.moodboard_update(owner=user, moodboard=board, description=text)
    assert list(Moodboard.objects.values_list("description", flat=True)) == ["Warm"]


@pytest.mark.django_db
def test_a_moodboard_note_over_the_limit_is_refused_by_page_and_service(client_user, user, shot):
    from apps.adstudio import services
    from apps.adstudio.models import MoodboardItem

    board = services.moodboard_create(owner=user, title="Board")
    response = client_user.post(
        "/adstudio/moodboards/add/", {"moodboard": board.pk, "shot": shot.pk, "note": "x" * TOO_LONG}, follow=True
    )
    assert "at most 2000 characters" in response.content.decode()
    assert not MoodboardItem.objects.exists()
    with pytest.raises(ApplicationError, match="2000"):
        services.moodboard_item_add(owner=user, moodboard=board, shot=shot, note="x" * 2001)
    item = services.moodboard_item_add(owner=user, moodboard=board, shot=shot, note="Open here")
    with pytest.raises(ApplicationError, match="2000"):
        services.moodboard_item_annotate(owner=user, item=item, note="x" * 2001)
    item.refresh_from_db()
    assert item.note == "Open here"


@pytest.mark.django_db
def test_a_recipe_comment_over_the_limit_is_refused_by_the_service(user, recipe):
    from apps.scents import services
    from apps.scents.models import Feedback

    with pytest.raises(ApplicationError, match="2000"):
        services.feedback_submit(recipe=recipe, user=user, rating=4, comment="x" * 2001)
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_a_movie_plot_over_the_limit_is_refused_by_page_and_service(client_user, user):
    from apps.movies import services
    from apps.movies.models import Movie

    page = client_user.post("/movies/new/", {"title": "Long", "plot": "x" * 20_001})
    assert page.status_code == 400 and "at most 20000 characters" in page.content.decode()
    with pytest.raises(ApplicationError, match="20000"):
        services.movie_create(created_by=user, title="Long", plot="x" * 20_001)
    assert not Movie.objects.exists()
