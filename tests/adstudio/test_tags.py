"""Vocabulary tags: ImageNet classes mapped onto the words an editor uses, measured tags, and
the labelled keyframes the thresholds were chosen on."""

import json
from pathlib import Path

import numpy as np
import pytest

from apps.adstudio.ml.look import look_signals
from apps.adstudio.ml.vocabulary import CLASSES, KIND, VOCABULARY, imagenet_signals, tags_decide
from apps.adstudio.pipeline import PipelineOptions, video_analyse

LABELS = Path(__file__).parents[1] / "fixtures" / "adstudio_tags" / "labels.jsonl"


@pytest.fixture(scope="module")
def model():
    from apps.adstudio.ml.vision import image_model_get

    return image_model_get()


def _probs(model, **mass):
    probs = np.zeros(len(model.names), np.float32)
    for name, p in mass.items():
        probs[model.names.index(name.replace("_", " "))] = p
    return probs


def test_every_class_the_vocabulary_names_is_an_imagenet_class(model):
    names = set(model.names)
    assert {n for group in CLASSES.values() for n in group} <= names


def test_class_probabilities_become_vocabulary_tags_and_nothing_else(model):
    signals = imagenet_signals(_probs(model, tabby=0.5, Egyptian_cat=0.3, bikini=0.2), model.names)
    tags = dict(tags_decide(signals))
    assert set(tags) == {"animals", "people"}  # cats add up; a bikini implies a person
    assert all(0.5 <= c <= 1 for c in tags.values())
    web = tags_decide(imagenet_signals(_probs(model, web_site=0.9), model.names))
    assert [n for n, _ in web] == ["text on screen"]
    # A class that implies no tag is dropped, however sure the model is.
    assert tags_decide(imagenet_signals(_probs(model, shovel=0.99), model.names)) == []


def test_faces_make_people_faces_and_four_make_a_crowd():
    assert {n for n, _ in tags_decide({"faces": 1})} == {"people", "faces"}
    assert {n for n, _ in tags_decide({"faces": 4})} == {"people", "faces", "crowd"}


def _field(top, bottom, h=180, w=320, grain=0.0, seed=0):
    """A plain top half over a bottom half with ``grain`` (texture) in it."""
    img = np.zeros((h, w, 3), np.float32)
    img[: h // 2], img[h // 2 :] = top, bottom
    img[h // 2 :] += np.random.default_rng(seed).normal(0, grain, (h - h // 2, w, 3))
    return np.clip(img, 0, 255).astype(np.uint8)


def test_measured_tags_see_sky_over_grass_snow_and_fire():
    sky_over_grass = tags_decide(look_signals(_field((150, 190, 240), (60, 150, 40), grain=25)))
    assert {"sky", "nature"} <= {n for n, _ in sky_over_grass}
    snowfield = tags_decide(look_signals(_field((150, 190, 240), (235, 238, 242), grain=3)))
    assert "snow" in {n for n, _ in snowfield}
    blaze = tags_decide(look_signals(_field((255, 150, 20), (255, 200, 40))))
    assert "fire" in {n for n, _ in blaze}
    black = look_signals(np.zeros((180, 320, 3), np.uint8))
    assert tags_decide(black) == []


def test_the_labelled_keyframes_cover_the_vocabulary_in_two_fixed_parts():
    rows = [json.loads(line) for line in LABELS.read_text().splitlines()]
    assert len(rows) >= 200 and len({r["id"] for r in rows}) == len(rows)
    assert {r["split"] for r in rows} == {"tune", "held-out"}
    assert {t for r in rows for t in r["tags"]} <= set(KIND)
    assert len(KIND) == len(VOCABULARY) == 15


def test_an_analysis_shows_only_vocabulary_words(clips, model):
    path, _ = clips("mixed", 7)
    result = video_analyse(path, model=model, options=PipelineOptions())
    words = set(KIND)
    for shot in result["shots"]:
        assert {n for n, _ in shot["labels"]} <= words
    for scene in result["scenes"]:
        assert {n for n, _ in scene["labels"]} <= words
        assert set(scene["reading"]["objects"]) <= words
