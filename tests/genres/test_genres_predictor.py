"""The deployable predictor with the real (pip-shipped) encoders and a small untrained head."""

import base64
import io

import numpy as np
import pytest
import torch
from PIL import Image

from apps.genres.ml.encoders import EncoderSpec, ImageEncoder, TextEncoder
from apps.genres.ml.heads import head_build
from apps.genres.ml.predictor import GenrePredictor, MovieInput, artifact_save
from apps.genres.ml.vocab import IMDB_GENRES


@pytest.fixture(scope="module")
def encoders():
    spec = EncoderSpec()
    return spec, TextEncoder(spec), ImageEncoder(spec)


@pytest.fixture(scope="module", params=["gmu", "cross"])
def predictor(request, encoders, tmp_path_factory):
    spec, text, image = encoders
    torch.manual_seed(0)
    head = head_build(
        request.param, text_dim=text.dim, image_dim=image.dim, n_genres=len(IMDB_GENRES), hidden=32, d_model=32
    )
    path = tmp_path_factory.mktemp("genres") / "head.pt"
    sha = artifact_save(
        path,
        head=head,
        thresholds={"all": [0.5] * len(IMDB_GENRES)},
        spec=spec,
        vocabulary=IMDB_GENRES,
        version="test-1",
    )
    assert len(sha) == 64
    return GenrePredictor.load(path, text_encoder=text, image_encoder=image)


def _poster_bytes(w=60, h=90) -> bytes:
    buf = io.BytesIO()
    Image.fromarray((np.random.default_rng(1).random((h, w, 3)) * 255).astype(np.uint8)).save(buf, "JPEG")
    return buf.getvalue()


def test_it_predicts_every_modality_pattern_in_one_batch(predictor):
    preds = predictor.predict(
        [
            MovieInput(id="a", plot="A haunted house scares a family.", poster=_poster_bytes()),
            MovieInput(id="b", plot="A haunted house scares a family.", poster=None),
            MovieInput(id="c", plot=None, poster=_poster_bytes()),
            MovieInput(id="d", plot="", poster=None),
        ]
    )
    assert [p.pattern for p in preds] == ["both", "text", "image", "none"]
    assert all(set(p.scores) == set(IMDB_GENRES) for p in preds)
    assert all(0.0 <= s <= 1.0 for p in preds for s in p.scores.values())
    assert "prior only" in preds[3].notes[0]


def test_a_corrupt_poster_is_treated_as_absent_with_a_note(predictor):
    (pred,) = predictor.predict([MovieInput(id="x", plot="Cowboys ride west.", poster=b"garbage" * 50)])
    assert pred.pattern == "text" and "not a readable image" in pred.notes[0]


def test_a_100k_character_plot_is_cut_not_refused(predictor):
    (pred,) = predictor.predict([MovieInput(id="x", plot="war " * 25_000, poster=None)])
    assert pred.pattern == "text"


def test_explanations_give_a_gradcam_png_word_scores_and_modality_weights(predictor):
    out = predictor.explain(MovieInput(plot="Soldiers defend a bridge at night.", poster=_poster_bytes()), top_k=2)
    assert len(out["explanations"]) == 2
    first = out["explanations"][0]
    png = Image.open(io.BytesIO(base64.b64decode(first["gradcam_png"])))
    assert png.size == (60, 90)  # the overlay has the poster's own size
    assert [w["word"] for w in first["words"]] == ["Soldiers", "defend", "a", "bridge", "at", "night", "."]
    assert max(abs(w["score"]) for w in first["words"]) == pytest.approx(1.0)
    if predictor.kind == "gmu":
        assert out["modality_weights"]["text"] + out["modality_weights"]["image"] == pytest.approx(1.0)


def test_gradcam_heat_map_has_the_feature_map_shape(predictor):
    from apps.genres.ml.explain import gradcam

    batch, _, fmaps, _ = predictor._encode([MovieInput(plot="x", poster=_poster_bytes())])
    cam = gradcam(predictor.head, batch, fmaps, 0, predictor.spec.image_cells)
    assert cam.shape == fmaps.shape[2:] and cam.min() >= 0 and cam.max() <= 1


def test_warm_up_loads_both_encoders(encoders, tmp_path):
    spec, _, _ = encoders
    head = head_build("late", text_dim=384, image_dim=1280, n_genres=len(IMDB_GENRES), hidden=16)
    artifact_save(
        tmp_path / "h.pt",
        head=head,
        thresholds={"all": [0.5] * len(IMDB_GENRES)},
        spec=spec,
        vocabulary=IMDB_GENRES,
        version="w",
    )
    predictor = GenrePredictor.load(tmp_path / "h.pt")
    predictor.warm_up()
    assert predictor._text is not None and predictor._image is not None
