"""A development set for search by meaning on scenes as the ``local`` provider describes them:
an English template sentence ("A dark, calm scene of 1 shot ...") with vocabulary tags and shot
attributes, nothing else said about what is on screen. Hand-made for tuning bilingual search
(tests/adstudio/test_search_bilingual.py, ``bench/adstudio_search.py --dev``): the queries are
not the bench's held-out ones, and each names the scenes that show what it asks for.
"""

from apps.adstudio.ml.vocabulary import KIND
from apps.adstudio.models import Analysis, SceneGroup, Shot, Tag, Video
from apps.adstudio.providers import local
from apps.adstudio.services.analyses import JOB_KIND
from apps.adstudio.services.search import scene_embeddings_update
from apps.core.jobs import job_create
from apps.core.models import Job

HEX = {
    "white": "#f0f0f0",
    "grey": "#808080",
    "black": "#101010",
    "blue": "#3050c0",
    "cyan": "#30b0c0",
    "green": "#40a040",
    "yellow": "#e0d040",
    "orange": "#e08020",
    "red": "#c02020",
    "brown": "#805030",
    "purple": "#8040b0",
    "pink": "#e080b0",
}

# (tags, scale, camera, light, colours, brightness, motion)
SCENES = [
    (["snow", "sky"], "wide", "pan", "day", ["white", "grey", "blue"], 0.75, 0.2),
    (["snow", "people"], "medium", "handheld", "day", ["white", "grey", "brown"], 0.65, 0.6),
    (["people", "faces"], "close-up", "static", "dark", ["brown", "black", "orange"], 0.25, 0.1),
    (["animals", "nature"], "wide", "static", "day", ["green", "yellow", "brown"], 0.55, 0.1),
    (["animals"], "medium", "pan", "day", ["green", "brown", "white"], 0.5, 0.3),
    (["fire"], "medium", "handheld", "dark", ["orange", "black", "red"], 0.35, 0.7),
    (["city", "night"], "wide", "static", "night", ["blue", "black", "purple"], 0.15, 0.1),
    (["vehicles", "city"], "wide", "pan", "day", ["grey", "blue", "white"], 0.6, 0.5),
    (["water", "sky"], "wide", "tilt", "day", ["blue", "cyan", "white"], 0.7, 0.2),
    (["interior", "people"], "medium", "static", "dark", ["brown", "orange", "black"], 0.28, 0.1),
    (["food", "interior"], "close-up", "static", "day", ["red", "orange", "white"], 0.6, 0.05),
    (["text on screen"], "medium", "static", "dark", ["black", "white"], 0.1, 0.0),
    (["nature", "sky"], "wide", "zoom", "day", ["green", "blue", "white"], 0.65, 0.2),
    (["crowd", "people", "faces"], "wide", "handheld", "day", ["grey", "red", "brown"], 0.5, 0.6),
    ([], "medium", "static", "dark", ["black", "grey"], 0.12, 0.05),
    (["sky"], "wide", "static", "day", ["orange", "purple", "pink"], 0.55, 0.05),
    (["people"], "medium", "zoom", "day", ["green", "brown", "yellow"], 0.5, 0.2),
    (["nature", "water"], "wide", "pan", "day", ["green", "blue", "cyan"], 0.55, 0.3),
    # Tags missed or partial, as the local provider's often are, and near misses.
    (["people"], "close-up", "static", "day", ["brown", "orange", "white"], 0.45, 0.05),
    (["sky"], "wide", "static", "day", ["white", "grey", "blue"], 0.8, 0.1),
    (["nature"], "wide", "pan", "day", ["green", "brown", "yellow"], 0.5, 0.3),
    (["people", "nature"], "medium", "handheld", "day", ["green", "brown", "grey"], 0.45, 0.6),
    (["text on screen", "people"], "medium", "static", "day", ["white", "blue", "black"], 0.5, 0.05),
    ([], "wide", "static", "dark", ["black", "blue", "grey"], 0.15, 0.1),
    (["animals", "sky"], "wide", "pan", "day", ["blue", "white", "grey"], 0.7, 0.4),
    (["fire", "people"], "medium", "static", "dark", ["orange", "brown", "black"], 0.3, 0.1),
    (["interior"], "wide", "static", "day", ["brown", "white", "grey"], 0.5, 0.05),
    (["vehicles"], "medium", "handheld", "night", ["black", "red", "blue"], 0.2, 0.6),
    (["water"], "medium", "static", "day", ["blue", "white", "cyan"], 0.6, 0.1),
    (["people", "faces"], "medium", "static", "day", ["pink", "white", "brown"], 0.6, 0.1),
    ([], "wide", "zoom", "day", ["yellow", "orange", "brown"], 0.6, 0.15),
    (["snow", "nature"], "wide", "static", "day", ["white", "green", "grey"], 0.7, 0.1),
    (["crowd", "city"], "wide", "pan", "day", ["grey", "brown", "red"], 0.5, 0.4),
]

# (English query, Korean query, indexes of the scenes that show it)
QUERIES = [
    ("snowfall", "눈 오는 장면", {0, 1, 19, 31}),
    ("people walking in the snow", "눈 위를 걷는 사람들", {1}),
    ("winter landscape", "겨울 풍경", {0, 1, 19, 31}),
    ("a man's face up close", "남자 얼굴 클로즈업", {2, 18}),
    ("animals in a field", "들판의 동물들", {3, 4}),
    ("a dog", "강아지", {3, 4}),
    ("flames", "불타는 장면", {5, 25}),
    ("city street at night", "밤의 거리", {6, 23}),
    ("cars on the road", "도로 위의 자동차", {7, 27}),
    ("the ocean", "바다 풍경", {8, 17, 28}),
    ("people indoors", "실내의 사람들", {9}),
    ("a plate of food", "음식 접시", {10}),
    ("title card", "자막", {11, 22}),
    ("zooming into a green landscape", "초록 풍경으로 줌인", {12}),
    ("a cheering crowd", "환호하는 군중", {13, 32}),
    ("pink and purple sky", "분홍빛 하늘", {15}),
    ("shaky handheld shot", "흔들리는 카메라", {1, 5, 13, 21, 27}),
    ("something red", "빨간색", {5, 10, 13, 27, 32}),
    ("a river in the forest", "숲 속의 강", {17}),
    ("a dark room", "어두운 방", {9, 14}),
]


def dev_library(user) -> list[SceneGroup]:
    """The scenes above in one finished analysis of ``user``: descriptions written by the real
    local provider, its tags as an analysis stores them (vocabulary, mood, style, colours) and one shot each with its attributes, embedded by the real service."""
    video = Video.objects.create(owner=user, title="Development reel")
    analysis = Analysis.objects.create(owner=user, video=video)
    analysis.job = job_create(kind=JOB_KIND, user=user, target=analysis, status=Job.Status.SUCCEEDED)
    analysis.save()
    scenes = []
    for i, (tags, scale, camera, light, colours, brightness, motion) in enumerate(SCENES):
        palette = [{"hex": HEX[c], "share": round(1 / len(colours), 2), "name": c} for c in colours]
        metrics = {"brightness": brightness, "motion": motion, "saturation": 0.4, "contrast": 0.4}
        local_scene = {"local": {"labels": [(t, 0.8) for t in tags], "palette": palette, "metrics": metrics}}
        reading = local.analyse({**local_scene, "shot_count": 1, "duration": 4.0})
        scene = SceneGroup.objects.create(
            analysis=analysis, index=i, start=i * 4.0, end=i * 4.0 + 4, palette=palette, metrics=metrics,
            reading=reading, description=reading["description"],
        )  # fmt: skip
        Shot.objects.create(
            analysis=analysis, scene=scene, index=i, first_frame=i * 100, last_frame=i * 100 + 99,
            start=scene.start, end=scene.end, keyframe_frame=i * 100, keyframe="k.jpg",
            attributes={"scale": scale, "camera": camera, "light": light, "brightness": brightness, "palette": palette},
        )  # fmt: skip
        names = [(t, KIND[t]) for t in tags] + [(reading[k], k) for k in ("mood", "style")]
        names += [(c, Tag.Kind.COLOUR) for c in reading["colours"]]
        Tag.objects.bulk_create([Tag(analysis=analysis, scene=scene, name=n, kind=k) for n, k in names])
        scenes.append(scene)
    scene_embeddings_update(analysis=analysis)
    return scenes
