"""Search in Korean and English over scenes as the local provider describes them: an English
template sentence, vocabulary tags and shot attributes (tests/adstudio/search_dev.py is the
development set; bench/adstudio_search.py scores real videos nobody tuned on)."""

import statistics

import pytest

from apps.adstudio import selectors
from apps.adstudio.ml.attributes import WORDS as ATTRIBUTE_WORDS
from apps.adstudio.ml.terms import Term, korean_name, terms_find
from apps.adstudio.ml.vocabulary import VOCABULARY
from apps.adstudio.models import SceneGroup, Shot, Tag
from apps.adstudio.services.search import scene_embeddings_update, scene_words
from tests.adstudio.search_dev import QUERIES, dev_library

COLOURS = ["black", "white", "grey", "red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink", "brown"]
ATTRIBUTES = {
    "scale": ["close-up", "medium", "wide"],
    "camera": ["static", "pan", "tilt", "zoom", "handheld"],
    "light": ["day", "night", "dark"],
    "colour": COLOURS,
}


def test_every_tag_and_attribute_word_has_a_korean_name_and_both_names_find_it():
    words = [("tag", tag.name) for tag in VOCABULARY]
    words += [(kind, value) for kind, values in ATTRIBUTES.items() for value in values]
    assert sorted(ATTRIBUTE_WORDS) == sorted(ATTRIBUTES)
    for kind, value in words:
        ko = korean_name(value)
        assert ko and not ko.isascii(), value
        for name in (value, ko):
            assert any(Term(kind, value) in phrase for phrase in terms_find(name)), (name, terms_find(name))


@pytest.mark.parametrize(
    "query, named",
    [
        ("눈 오는 장면", [{("tag", "snow")}]),
        ("사람들이 숲속의 나무 아래에", [{("tag", "people")}, {("tag", "nature")}]),
        ("파란 하늘", [{("colour", "blue")}, {("tag", "sky")}]),
        ("밤색 코트", [{("colour", "brown")}]),  # the word as written wins over 밤 + 색
        ("눈가의 주름, 물가 상승", []),  # 가 never follows a final consonant: not 눈 + 가, 물 + 가
        (
            "Wide shots of cars at night",
            [{("scale", "wide")}, {("tag", "vehicles")}, {("tag", "night"), ("light", "night")}],
        ),
        ("zoom in on the faces", [{("camera", "zoom")}, {("tag", "faces")}]),
    ],
)
def test_a_query_names_the_vocabulary_words_it_holds_in_either_language(query, named):
    assert [{(t.kind, t.value) for t in phrase} for phrase in terms_find(query)] == named


@pytest.mark.django_db
def test_a_scenes_words_carry_the_korean_names_of_its_tags_and_attribute_words(user):
    scene = dev_library(user)[1]  # tagged snow and people, a handheld medium shot by day
    words = scene_words(scene)
    assert {"snow", "people", "medium", "handheld", "day", "white"} <= set(words)
    assert {"눈", "사람", "미디엄 숏", "핸드헬드", "낮", "흰색"} <= set(words)
    # The local provider's description restates those words (with a shot count): left out.
    assert scene.description and scene.description not in words


@pytest.mark.django_db
def test_a_korean_query_finds_a_scene_that_only_its_english_tag_calls_snowy_first(user):
    library = dev_library(user)
    snowy = SceneGroup.objects.get(pk=library[14].pk)  # no tags: a dark template scene
    snowy.description = "A bright, calm scene of 2 shots (5.1 s) in white, grey tones, muted colour, soft."
    snowy.save()
    Tag.objects.create(analysis=snowy.analysis, scene=snowy, name="snow", kind=Tag.Kind.SETTING)
    Tag.objects.filter(name="snow").exclude(scene=snowy).delete()
    scene_embeddings_update(analysis=snowy.analysis)
    found = list(selectors.scene_search(user=user, text="눈 오는 장면"))
    assert found[0].pk == snowy.pk and found[0].boost > 0


@pytest.mark.django_db
def test_a_korean_camera_or_colour_word_ranks_the_scenes_whose_shots_show_it_first(user):
    library = dev_library(user)
    handheld = {s.pk for s in library if Shot.objects.get(scene=s).attributes["camera"] == "handheld"}
    found = [s.pk for s in selectors.scene_search(user=user, text="흔들리는 카메라")]
    assert set(found[: len(handheld)]) == handheld
    red = {s.pk for s in library if any(c["name"] == "red" for c in s.palette)}
    found = [s.pk for s in selectors.scene_search(user=user, text="빨간색")]
    assert set(found[: len(red)]) == red


def _scores(user, library, column):
    recall3, reciprocal = [], []
    for query in QUERIES:
        wanted = {library[i].pk for i in query[2]}
        found = [s.pk for s in selectors.scene_search(user=user, text=query[column])]
        recall3.append(len(set(found[:3]) & wanted) / len(wanted))
        reciprocal.append(1 / (1 + next(k for k, pk in enumerate(found) if pk in wanted)))
    return statistics.mean(recall3), statistics.mean(reciprocal)


@pytest.mark.django_db
def test_on_the_development_set_korean_queries_rank_as_well_as_english_ones(user):
    library = dev_library(user)
    # Before the bilingual vocabulary: Korean recall@3 0.60, MRR 0.71; English 0.81, 0.91. With
    # each scene embedded as one sentence: Korean 0.91, 1.00; English 0.885, 1.00. With its words
    # embedded one by one and averaged (28 % of an analysis's CPU saved): Korean 0.893, 1.00;
    # English 0.848, 1.00 (rank shuffles within the top 4, bench/adstudio_search.py --dev).
    ko_recall3, ko_mrr = _scores(user, library, 1)
    en_recall3, en_mrr = _scores(user, library, 0)
    assert ko_recall3 >= 0.85 and ko_mrr >= 0.95
    assert en_recall3 >= 0.84 and en_mrr >= 0.95
