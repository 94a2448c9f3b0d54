"""Demo data: a handful of shared scenes (English and Korean) with their recipes. Idempotent."""

from django.contrib.auth import get_user_model

from apps.core.errors import ApplicationError
from apps.scents.models import Scene
from apps.scents.services import recipe_compose, scene_create

DEMO_USERNAME = "demo-perfumer"
SCENES = [
    {
        "title": "Blade Runner: tears in rain",
        "genre": "science fiction",
        "time_of_day": "night",
        "weather": "rain",
        "description": "On a rooftop in the pouring rain, a dying replicant speaks of memories lost like tears in rain.",
    },
    {
        "title": "Amélie: the corner bakery",
        "genre": "comedy",
        "time_of_day": "morning",
        "description": "Warm bread and pastries come out of the oven in a small Montmartre bakery.",
    },
    {
        "title": "Beauty and the Beast: the rose",
        "genre": "fantasy",
        "mood": "romantic",
        "description": "A single enchanted rose glows under a glass bell in the castle's west wing.",
    },
    {
        "title": "1917: the trench",
        "genre": "war",
        "mood": "tense",
        "description": "Two soldiers crawl through mud and smoke across no man's land.",
    },
    {
        "title": "기생충: 반지하의 비",
        "genre": "drama",
        "weather": "rain",
        "time_of_day": "night",
        "description": "폭우가 쏟아지는 밤, 빗물이 반지하 집으로 밀려든다.",
    },
    {
        "title": "봄날은 간다: 대나무 숲",
        "genre": "romance",
        "season": "winter",
        "mood": "melancholic",
        "description": "눈 내리는 겨울 대나무 숲에서 바람 소리를 녹음한다.",
    },
    {
        "title": "Call Me by Your Name: apricots",
        "genre": "romance",
        "season": "summer",
        "description": "Under the apricot trees of an Italian villa, he reads in the summer heat.",
    },
    {
        "title": "Dune: the spice",
        "genre": "science fiction",
        "weather": "heat",
        "description": "Spice drifts over the burning dunes of Arrakis as a sandworm rises.",
    },
]


def load(*, stdout) -> None:
    user, _ = get_user_model().objects.get_or_create(username=DEMO_USERNAME, defaults={"is_active": False})
    made = 0
    for data in SCENES:
        if Scene.objects.filter(owner=user, title=data["title"]).exists():
            continue
        try:
            scene = scene_create(owner=user, is_private=False, **data)  # shared on purpose: the demo
            recipe_compose(scene_pk=scene.pk, user=user)
        except ApplicationError as exc:
            stdout.write(f"scents demo: skipped {data['title']!r}: {exc.message}")
            return
        made += 1
    stdout.write(f"scents demo: {made} scenes composed ({len(SCENES) - made} already there)")
