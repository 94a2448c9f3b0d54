from pathlib import Path

import cv2
import numpy as np
import pytest

from apps.adstudio.ml.faces import cascade_load, faces_detect
from apps.adstudio.ml.look import colour_name, face_count, image_metrics, palette_extract
from apps.adstudio.ml.scenes import scenes_group
from apps.adstudio.ml.vision import EMBED_DIM

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def model():
    from apps.adstudio.ml.vision import image_model_get

    return image_model_get()


def test_the_shipped_weights_map_onto_timm_exactly(model):
    # load_state_dict(strict=True) already ran; the classifier must be the real one.
    assert len(model.names) == 1000 and model.names[0] == "tench"


def test_it_returns_top_labels_and_a_unit_embedding(model):
    rng = np.random.default_rng(0)
    images = [rng.integers(0, 255, (90, 160, 3), dtype=np.uint8), np.full((300, 200, 3), (30, 120, 200), np.uint8)]
    preds = model.predict(images, top=3)
    assert len(preds) == 2
    for pred in preds:
        assert len(pred.labels) == 3 and pred.labels[0][1] >= pred.labels[1][1]
        assert pred.embedding.shape == (EMBED_DIM,)
        assert abs(float(np.linalg.norm(pred.embedding)) - 1) < 1e-4


def test_it_counts_the_face_in_a_film_still():
    image = cv2.cvtColor(cv2.imread(str(FIXTURES / "sintel_face.jpg")), cv2.COLOR_BGR2RGB)
    assert face_count(image) == 1


def test_it_finds_no_face_in_flat_colour_or_noise():
    rng = np.random.default_rng(1)
    assert face_count(np.full((180, 320, 3), 128, np.uint8)) == 0
    assert faces_detect(rng.integers(0, 255, (120, 160), dtype=np.uint8)) == []


def test_the_cascade_has_its_25_stages():
    cascade = cascade_load()
    assert (cascade.width, cascade.height, len(cascade.stages)) == (24, 24, 25)


def test_the_palette_finds_the_dominant_colours_with_their_shares():
    img = np.zeros((100, 100, 3), np.uint8)
    img[:, :70] = (200, 30, 30)
    img[:, 70:] = (20, 40, 220)
    palette = palette_extract([img], k=3)
    assert colour_name(palette[0]["hex"]) == "red"
    assert palette[0]["share"] == pytest.approx(0.7, abs=0.02)
    assert colour_name(palette[1]["hex"]) == "blue"


def test_metrics_tell_dark_from_bright():
    dark = image_metrics([np.full((10, 10, 3), 20, np.uint8)])
    bright = image_metrics([np.full((10, 10, 3), 240, np.uint8)])
    assert dark["brightness"] < 0.2 < 0.8 < bright["brightness"]


def test_shots_with_similar_embeddings_form_one_scene_and_a_fade_splits():
    a, b = np.eye(4)[0], np.eye(4)[1]
    emb = np.stack([a, a * 0.9 + b * 0.1, b, b, a])
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    spans = [(i * 2.0, i * 2.0 + 2) for i in range(5)]
    assert scenes_group(emb, spans) == [[0, 1], [2, 3], [4]]
    assert scenes_group(emb, spans, hard_breaks={1}) == [[0], [1], [2, 3], [4]]


def test_colour_histograms_join_shots_that_share_the_light_of_a_scene():
    emb = np.stack([np.eye(4)[0], np.eye(4)[0] * 0.6 + np.eye(4)[1] * 0.8, np.eye(4)[2]])
    warm, cold = np.array([0.9, 0.1, 0.0]), np.array([0.0, 0.1, 0.9])
    spans = [(0, 2), (2, 4), (4, 6)]
    assert scenes_group(emb, spans, hists=np.stack([warm, warm, cold])) == [[0, 1], [2]]
    assert scenes_group(emb, spans, hists=np.stack([warm, cold, cold])) == [[0], [1], [2]]
