"""Shot attributes measured without a classifier, on synthetic shots whose truth is known."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from apps.adstudio.ml.attributes import shot_attributes, shot_scale, subject_area
from apps.adstudio.ml.camera import camera_motion
from apps.adstudio.ml.look import faces_find, look_signals
from apps.adstudio.pipeline import video_analyse
from apps.adstudio.video.features import analysis_size
from apps.adstudio.video.ffmpeg import frames_write
from tests.adstudio.camera_clips import MOVES, camera_frames

FIXTURES = Path(__file__).parent / "fixtures"


def _thumbnails(frames):
    w, h = analysis_size(frames[0].shape[1], frames[0].shape[0])
    return np.stack(
        [cv2.cvtColor(cv2.resize(f, (w, h), interpolation=cv2.INTER_AREA), cv2.COLOR_RGB2GRAY) for f in frames]
    )


def _backdrop(seed, w=640, h=360):
    """A plain studio backdrop: a soft vertical gradient with film grain."""
    rng = np.random.default_rng(seed)
    top, bottom = rng.uniform(60, 220, 3), rng.uniform(60, 220, 3)
    t = np.linspace(0, 1, h)[:, None, None]
    img = np.broadcast_to(top * (1 - t) + bottom * t, (h, w, 3)).copy()
    img += cv2.resize(rng.normal(0, 10, (h // 3, w // 3, 3)).astype(np.float32), (w, h))
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("move", MOVES)
def test_camera_motion_names_the_move_of_a_synthetic_shot(move, seed):
    motion = camera_motion(_thumbnails(camera_frames(move, seed=seed)), fps=24.0)
    assert motion["camera"] == move, motion


def test_camera_motion_gives_the_direction_and_amount():
    pan = camera_motion(_thumbnails(camera_frames("pan", seed=4)), fps=24.0)
    zoom = camera_motion(_thumbnails(camera_frames("zoom", seed=4)), fps=24.0)
    # The view moves right over the world at 0.25 widths/s: the picture drifts left.
    assert pan["drift_x"] == pytest.approx(-0.25, abs=0.05)
    assert zoom["zoom"] == pytest.approx(0.3, abs=0.08)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    "radii, truth", [((300, 260, 300), "close-up"), ((120, 100, 180), "medium"), ((40, 30, 180), "wide")]
)
def test_scale_without_faces_follows_the_subjects_area(radii, truth, seed):
    img = _backdrop(seed)
    rx, ry, cy = radii
    cv2.ellipse(img, (320, cy), (rx, ry), 0, 0, 360, (200, 60, 40), -1)
    assert shot_scale(img, []) == truth
    assert subject_area(_backdrop(seed)) == 0.0


def test_scale_follows_the_largest_face():
    frame = np.zeros((360, 640, 3), np.uint8)
    assert shot_scale(frame, [(10, 10, 130, 130)]) == "close-up"
    assert shot_scale(frame, [(10, 10, 30, 30), (50, 50, 60, 60)]) == "medium"
    assert shot_scale(frame, [(10, 10, 25, 25)]) == "wide"


def test_a_film_still_with_a_face_filling_a_third_of_the_height_is_a_close_up():
    still = cv2.cvtColor(cv2.imread(str(FIXTURES / "sintel_face.jpg")), cv2.COLOR_BGR2RGB)
    faces = faces_find(still)
    assert len(faces) == 1 and shot_scale(still, faces) == "close-up"


def _attributes(img):
    grey = np.repeat(cv2.cvtColor(cv2.resize(img, (128, 72)), cv2.COLOR_RGB2GRAY)[None], 5, 0)
    return shot_attributes(image=img, faces=[], grey=grey, fps=24.0, signals=look_signals(img))


def _night(seed=0):
    rng = np.random.default_rng(seed)
    img = np.zeros((180, 320, 3), np.float32)
    img[...] = (8, 14, 40)
    img[90:] = (14, 20, 45)
    for _ in range(30):  # lit windows and street lights
        x, y = int(rng.uniform(0, 310)), int(rng.uniform(80, 170))
        cv2.rectangle(img, (x, y), (x + 6, y + 8), (120, 140, 220), -1)
    img += rng.normal(0, 3, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_light_tells_day_from_night_from_a_dim_room():
    day = _backdrop(3)
    day[:] = np.maximum(day, 150)
    dim_room = np.clip(_backdrop(4).astype(np.float32) * 0.25 + (20, 10, 0), 0, 255)
    assert _attributes(day)["light"] == "day"
    assert _attributes(_night())["light"] == "night"
    assert _attributes(dim_room.astype(np.uint8))["light"] == "dark"
    assert _attributes(day)["brightness"] > 0.5 > 0.2 > _attributes(_night())["brightness"]


def test_the_palette_names_the_shots_colours_largest_first():
    img = np.zeros((90, 160, 3), np.uint8)
    img[:, :110] = (200, 30, 30)
    img[:, 110:] = (20, 40, 220)
    palette = _attributes(img)["palette"]
    assert [c["name"] for c in palette[:2]] == ["red", "blue"]
    assert palette[0]["share"] == pytest.approx(110 / 160, abs=0.02)


@pytest.fixture(scope="module")
def model():
    from apps.adstudio.ml.vision import image_model_get

    return image_model_get()


def test_the_pipeline_stores_each_shots_attributes(tmp_path, model):
    """A static shot cut to a pan, through a real H.264 file: each shot gets its own move."""
    path = tmp_path / "moves.mp4"
    frames = camera_frames("static", seed=5, frames=60) + camera_frames("pan", seed=6, frames=60)
    frames_write(path, iter(frames), fps=24.0, width=320, height=180)
    shots = video_analyse(path, model=model)["shots"]
    assert [s["first"] for s in shots] == [0, 60]
    assert [s["attributes"]["camera"] for s in shots] == ["static", "pan"]
    for shot in shots:
        assert shot["attributes"]["scale"] in ("close-up", "medium", "wide")
        assert shot["attributes"]["light"] in ("day", "night", "dark")
        assert len(shot["attributes"]["palette"]) == 3


@pytest.mark.django_db(transaction=True)
def test_an_analysis_stores_attributes_and_vocabulary_tags_for_the_page_and_api(
    user, client_user, api_user, media, tmp_path, run_jobs
):
    from django.urls import reverse

    from apps.adstudio.ml.vocabulary import KIND
    from apps.adstudio.models import Analysis, Tag
    from tests.adstudio.factories import analysis_started

    path = tmp_path / "pan.mp4"
    frames_write(path, iter(camera_frames("pan", seed=7, frames=72)), fps=24.0, width=320, height=180)
    analysis = analysis_started(user, path)
    run_jobs()
    analysis.refresh_from_db()
    assert analysis.status == Analysis.Status.SUCCEEDED, analysis.error
    shot = analysis.shots.get()
    assert shot.attributes["camera"] == "pan" and shot.attributes["scale"]
    assert analysis.summary["camera"] == {"pan": 1}
    assert set(
        Tag.objects.filter(analysis=analysis, source="local", confidence__isnull=False).values_list("name", flat=True)
    ) <= set(KIND)
    data = api_user.get(reverse("adstudio-api:analysis_shots", args=[analysis.pk])).json()
    rows = data["results"] if isinstance(data, dict) else data
    assert rows[0]["attributes"]["camera"] == "pan"
    page = client_user.get(reverse("adstudio:analysis_detail", args=[analysis.pk]))
    assert 'id="shot-attributes"' in page.content.decode() and "pan" in page.content.decode()
