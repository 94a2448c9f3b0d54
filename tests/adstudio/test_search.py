"""Search by meaning (Korean and English), by colour, and the scene vectors behind it.

The labelled set below is hand-made: twelve scenes described in English the way a provider
describes them, and for each a Korean and an English query a user might type. It is the set
MEANING_MARGIN was chosen on (a development set); bench/adstudio_search.py
reports recall on analyses of real videos that nobody tuned on.
"""

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.adstudio import selectors
from apps.adstudio.models import Analysis, Provider, SceneGroup, Tag, Video
from apps.adstudio.services.analyses import JOB_KIND
from apps.adstudio.services.search import scene_embeddings_update, scene_vector, scene_words
from apps.core.ml.text_encoder import encoder_shared
from apps.core.errors import ApplicationError
from apps.core.jobs import job_create
from apps.core.models import Job
from tests.adstudio.factories import analysis_started

pytestmark = pytest.mark.django_db(transaction=True)

# (description, tags, palette hex of its largest swatch)
SCENES = [
    (
        "Two fighters clash with wooden staffs in a blizzard on a mountain pass.",
        ["snow", "people", "mountain"],
        "#d8dde3",
    ),
    ("A dragon glides over desert dunes under an orange evening sky.", ["animal", "desert", "sky"], "#e0903a"),
    ("Close-up of a young woman's frightened face, her eyes wide.", ["face", "people"], "#b07858"),
    ("A family eats dinner around a table in a warm kitchen.", ["people", "food", "interior"], "#a0643c"),
    ("Cars race through a city street at night under neon lights.", ["vehicle", "city", "night"], "#202040"),
    ("Waves crash on a sandy beach under a blue sky.", ["water", "sky", "nature"], "#3c78c8"),
    ("An old bearded man warms his hands by a fire in a dark hut.", ["people", "fire", "interior"], "#302018"),
    ("A white rabbit sits in a green meadow full of flowers.", ["animal", "nature"], "#50a040"),
    ("White credits roll on a black screen.", ["text on screen"], "#000000"),
    ("A crowd cheers in a football stadium.", ["crowd", "people"], "#307030"),
    ("A chef chops vegetables in a restaurant kitchen.", ["people", "food", "interior"], "#c8c8c0"),
    ("Children play in the rain with umbrellas.", ["people", "water", "city"], "#607080"),
]
# (query, index of the scene it asks for)
QUERIES_KO = [
    ("눈 속의 싸움", 0),
    ("용", 1),
    ("여자 얼굴", 2),
    ("가족 식사", 3),
    ("밤의 도시", 4),
    ("바다", 5),
    ("수염 난 노인", 6),
    ("토끼", 7),
    ("엔딩 크레딧", 8),
    ("축구 경기장의 관중", 9),
    ("요리사", 10),
    ("비 오는 날", 11),
]
QUERIES_EN = [
    ("a girl fighting in the snow", 0),
    ("dragon", 1),
    ("woman face", 2),
    ("family dinner", 3),
    ("city at night", 4),
    ("sea", 5),
    ("old man with a beard", 6),
    ("rabbit", 7),
    ("end credits", 8),
    ("stadium crowd", 9),
    ("cook", 10),
    ("rainy day", 11),
]


@pytest.fixture
def library(user):
    """The labelled scenes in one finished analysis of ``user``, embedded by the real service. Their
    descriptions are written the way a language model provider writes them."""
    video = Video.objects.create(owner=user, title="Reel")
    analysis = Analysis.objects.create(owner=user, video=video, provider=Provider.OPENAI)
    analysis.job = job_create(kind=JOB_KIND, user=user, target=analysis, status=Job.Status.SUCCEEDED)
    analysis.save()
    scenes = []
    for i, (description, tags, hex_colour) in enumerate(SCENES):
        scene = SceneGroup.objects.create(
            analysis=analysis,
            index=i,
            start=i * 5.0,
            end=i * 5.0 + 5,
            description=description,
            palette=[{"hex": hex_colour, "share": 0.6}, {"hex": "#808080", "share": 0.4}],
        )
        Tag.objects.bulk_create([Tag(analysis=analysis, scene=scene, name=name) for name in tags])
        scenes.append(scene)
    assert scene_embeddings_update(analysis=analysis) == len(SCENES)
    return scenes


def _rank(user, query, scene) -> int | None:
    found = [s.pk for s in selectors.scene_search(user=user, text=query)]
    return found.index(scene.pk) + 1 if scene.pk in found else None


def test_korean_queries_find_the_english_described_scene_they_ask_for(user, library):
    ranks = [_rank(user, query, library[want]) for query, want in QUERIES_KO]
    assert sum(1 for r in ranks if r is not None and r <= 5) >= 10, list(zip(QUERIES_KO, ranks))


def test_english_queries_find_the_scene_they_describe_first(user, library):
    ranks = [_rank(user, query, library[want]) for query, want in QUERIES_EN]
    assert ranks.count(1) >= 11, list(zip(QUERIES_EN, ranks))


def test_a_korean_query_finds_an_english_described_snowy_fight_first_for_its_owner_only(user, other_user, library):
    found = list(selectors.scene_search(user=user, text="눈 속의 싸움"))
    assert found and found[0].pk == library[0].pk
    assert list(selectors.scene_search(user=other_user, text="눈 속의 싸움")) == []


def test_a_literal_match_is_boosted_above_scenes_that_are_only_close_in_meaning(user, library):
    found = list(selectors.scene_search(user=user, text="kitchen"))
    assert {s.pk for s in found[:2]} == {library[3].pk, library[10].pk}
    assert all(s.boost > 0 for s in found[:2])


def test_search_by_colour_ranks_by_palette_distance_and_explains_bad_input(user, library):
    found = list(selectors.scene_search(user=user, colour="#e38e3c"))
    assert found[0].pk == library[1].pk and found[0].colour_distance < 5
    assert [s.colour_distance for s in found] == sorted(s.colour_distance for s in found)
    orange_fire = list(selectors.scene_search(user=user, text="fire", colour="#e0903a"))
    assert [s.pk for s in orange_fire] == [library[1].pk]
    with pytest.raises(ApplicationError, match="hex value such as #e8a33d"):
        selectors.scene_search(user=user, colour="orange-ish")


def test_the_search_page_searches_by_meaning_and_colour_and_says_what_to_fix(client_user, library):
    page = client_user.get(reverse("adstudio:search"), {"q": "눈 속의 싸움"}).content.decode()
    assert "blizzard" in page
    page = client_user.get(reverse("adstudio:search"), {"colour": "#3c78c8"}).content.decode()
    assert "Waves crash" in page and "Children play" not in page
    response = client_user.get(reverse("adstudio:search"), {"colour": "blue-ish"})
    assert response.status_code == 200 and "hex value such as #e8a33d" in response.content.decode()


def test_the_search_api_takes_a_colour_and_refuses_a_bad_one(api_user, library):
    found = api_user.get("/api/adstudio/search/", {"q": "bearded old man"}).json()["results"]
    assert found[0]["id"] == library[6].pk
    response = api_user.get("/api/adstudio/search/", {"colour": "#12"})
    assert response.status_code == 400 and "hex value" in response.json()["detail"]


def test_a_scenes_words_are_its_description_tags_shot_attribute_words_and_korean_names_each_once(user, library):
    scene = library[0]
    scene.shots.create(
        analysis=scene.analysis,
        index=0,
        first_frame=0,
        last_frame=9,
        start=0,
        end=1,
        keyframe_frame=0,
        keyframe="x.jpg",
        attributes={
            "scale": "wide",
            "camera": "handheld",
            "brightness": 0.8,
            "palette": [{"hex": "#ffffff", "share": 1.0}],
            "light": {"time": "day"},
            "weather": "snow",
        },
    )
    words = scene_words(scene)
    # The description first; "snow" is a tag and the shot's weather: said once.
    assert words[0] == SCENES[0][0] and len(words) == len({w.lower() for w in words})
    assert set(words[1:]) == {
        "snow",
        "people",
        "mountain",
        "wide",
        "handheld",
        "day",
        "눈",
        "사람",
        "와이드 숏",
        "핸드헬드",
        "낮",
    }
    # The vector is the mean of the words' own vectors, L2-normalised.
    mean = np.mean(encoder_shared().encode(words), axis=0)
    assert np.allclose(scene_vector(scene), mean / np.linalg.norm(mean), atol=1e-6)


def test_an_analysis_stores_scene_vectors_and_a_reused_one_copies_them(user, media, clips, run_jobs):
    path, _ = clips("cuts", 81, seconds=4)
    first = analysis_started(user, path)
    run_jobs()
    vectors = [list(s.text_embedding) for s in first.scenes.order_by("index")]
    assert vectors and all(len(v) == 384 for v in vectors)
    second = analysis_started(user, path)
    run_jobs()
    second.refresh_from_db()
    assert second.reused_from_id == first.pk
    assert [list(s.text_embedding) for s in second.scenes.order_by("index")] == vectors


def test_the_backfill_command_embeds_scenes_that_have_no_vector(user, library, capsys):
    SceneGroup.objects.filter(pk__in=[library[0].pk, library[1].pk]).update(text_embedding=None)
    call_command("scenes_embed", user=user.username)
    assert "2 scenes embedded" in capsys.readouterr().out
    assert not SceneGroup.objects.filter(text_embedding=None).exists()
    assert _rank(user, "눈 속의 싸움", library[0]) == 1


def test_the_backfill_command_embeds_again_the_scenes_an_older_release_embedded_another_way(user, library, capsys):
    from apps.adstudio.services.search import TEXT_VERSION

    stale, current = library[0], library[1]
    other = list(SceneGroup.objects.get(pk=library[5].pk).text_embedding)
    # An older release's vector (another version), and a current one that must be left as it is.
    SceneGroup.objects.filter(pk=stale.pk).update(text_embedding=other, text_version=TEXT_VERSION - 1)
    SceneGroup.objects.filter(pk=current.pk).update(text_embedding=other)
    call_command("scenes_embed", user=user.username)
    assert "1 scene embedded" in capsys.readouterr().out
    stale, current = (SceneGroup.objects.select_related("analysis").get(pk=s.pk) for s in (stale, current))
    assert stale.text_version == TEXT_VERSION
    assert np.allclose(stale.text_embedding, scene_vector(stale), atol=1e-6)
    assert np.allclose(current.text_embedding, other)
    assert _rank(user, "눈 속의 싸움", library[0]) == 1
