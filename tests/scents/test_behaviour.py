"""The "did this read as a scene?" state: the behavioural suite against the shipped model, and the
honest state in the API, the pages, stored recipes and the batch command."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from apps.scents import services
from apps.scents.ml.behaviour import suite_load, suite_score
from apps.scents.ml.pipeline import ScentEngine
from apps.scents.ml.profile.load import profile_model_load
from apps.scents.ml.scene_check import NOT_A_SCENE

SUITE = Path(__file__).resolve().parents[1] / "fixtures" / "behaviour" / "scents.jsonl"
JUNK = (
    "gibberish",
    "off_topic_code",
    "off_topic_everyday",
    "off_topic_news",
    "off_topic_recipe",
    "off_topic_shopping",
    "repeated_word",
)


def test_the_shipped_model_tells_scenes_from_gibberish_and_off_topic_text():
    rows = suite_load(SUITE)
    assert len(rows) >= 150 and {r["lang"] for r in rows} == {"en", "ko"}
    report = suite_score(ScentEngine(profile_model_load(settings.MODELS_STORE / "scents-profile.npz", "shipped")), rows)
    junk = [c for c in report["cases"] if c["expect"] == "junk"]
    # Every junk text scores below the lowest quartile of the real scenes' confidence.
    assert all(c["confidence"] < report["real_confidence_q1"] for c in junk), report["real_confidence_q1"]
    caps = report["capabilities"]
    assert caps["real_scene"]["en"] >= 0.95 and caps["real_scene"]["ko"] >= 0.95, caps["real_scene"]
    assert all(caps[c]["all"] >= 0.7 for c in JUNK), caps
    assert sum(c["passed"] for c in junk) / len(junk) >= 0.9
    assert report["auroc"] >= 0.97


@pytest.mark.django_db
def test_gibberish_gets_a_low_confidence_and_a_message_in_the_api(master, api_user, user):
    junk = api_user.post("/api/scents/compose/", {"description": "asdf qwer"}, format="json").json()
    scene = api_user.post("/api/scents/compose/", {"description": "봄날 장미 정원에 비가 내린다"}, format="json").json()
    assert junk["understood"] is False and junk["notice"] == NOT_A_SCENE
    assert scene["understood"] is True and scene["notice"] == ""
    assert junk["confidence"] < 0.2 < scene["confidence"]
    assert junk["explanation"]["words"] == []  # nonsense is not explained as a scene
    stored = services.scene_create(owner=user, description="The quarterly tax report is due on Monday.")
    recipe = api_user.post("/api/scents/compose/", {"scene": stored.pk}, format="json").json()
    assert recipe["understood"] is False and recipe["notice"] == NOT_A_SCENE
    assert api_user.get(f"/api/scents/recipes/{recipe['id']}/").json()["understood"] is False


@pytest.mark.django_db
def test_the_preview_says_it_did_not_understand_instead_of_explaining(master, client_user):
    html = client_user.post("/scents/compose/preview/", {"description": "banana banana banana"}).content.decode()
    assert "did not read as a scene" in html and "Why these families" not in html
    real = client_user.post(
        "/scents/compose/preview/",
        {"description": "Rain on a neon street at night, wet asphalt and a lonely detective"},
    )
    assert "did not read as a scene" not in real.content.decode()
    assert "Why these families" in real.content.decode()


@pytest.mark.django_db
def test_the_recipe_page_and_the_admin_show_the_state(master, client_user, user):
    recipe = services.scene_compose(owner=user, description="ㅁㄴㅇㄹ ㅋㅋㅋ")
    assert recipe.understood is False
    assert "did not read as a scene" in client_user.get(f"/scents/recipes/{recipe.pk}/").content.decode()
    user.is_staff = user.is_superuser = True
    user.save()
    admin = client_user.get("/admin/scents/recipe/?understood__exact=0").content.decode()
    assert f"/admin/scents/recipe/{recipe.pk}/" in admin


@pytest.mark.django_db
def test_scenes_compose_flags_texts_that_are_not_scenes(master, tmp_path):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    rows = [
        {"id": 1, "description": "SELECT name FROM users WHERE id = 3;"},
        {"id": 2, "description": "A smoky bar at midnight, whisky and leather"},
        {"id": 3, "description": ""},
    ]
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    call_command("scenes_compose", "--input", str(src), "--output", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["understood"] is False and lines[0]["notice"] == NOT_A_SCENE
    assert lines[1]["understood"] is True and lines[1]["notice"] == ""
    assert lines[2]["error"]["field"] == "description"  # bad input is still refused, not flagged
