import pytest

from apps.scents import services
from apps.scents.models import Feedback, Recipe, Scene

pytestmark = pytest.mark.django_db


def test_scenes_crud_over_the_api(master, api_user, api_client):
    created = api_user.post(
        "/api/scents/scenes/",
        {"description": "Rain on a neon street at night", "weather": "rain", "is_private": False},
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert api_client.get(f"/api/scents/scenes/{pk}/").status_code == 200
    patched = api_user.patch(f"/api/scents/scenes/{pk}/", {"title": "Tears in rain"}, format="json")
    assert patched.json()["title"] == "Tears in rain"
    listed = api_client.get("/api/scents/scenes/").json()
    assert listed["count"] == 1
    assert api_user.delete(f"/api/scents/scenes/{pk}/").status_code == 204
    assert not Scene.objects.exists()


def test_anonymous_users_cannot_create_scenes(master, api_client):
    response = api_client.post("/api/scents/scenes/", {"description": "rain"}, format="json")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"description": ""}, "description"),
        ({"description": "x" * 20000}, "description"),
        ({"description": "🌧️🌃"}, "description"),
        ({"description": "rain", "genre": "space opera"}, "genre"),
    ],
)
def test_bad_scene_input_is_a_clear_400_and_nothing_is_saved(master, api_user, payload, field):
    response = api_user.post("/api/scents/scenes/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_scene" and body["extra"]["field"] == field and body["detail"]
    assert not Scene.objects.exists()


def test_unknown_fields_are_rejected(master, api_user):
    response = api_user.post("/api/scents/scenes/", {"description": "rain", "colour": "red"}, format="json")
    assert response.status_code == 400 and "colour" in str(response.json()["detail"])


def test_compose_stores_a_recipe_for_a_scene_and_previews_free_text(master, api_user, user):
    scene = services.scene_create(owner=user, description="A rose garden in spring")
    stored = api_user.post("/api/scents/compose/", {"scene": scene.pk}, format="json")
    assert stored.status_code == 201
    recipe = stored.json()
    assert round(sum(float(i["percent"]) for i in recipe["ingredients"]), 2) == 100.0
    preview = api_user.post("/api/scents/compose/", {"description": "봄날 장미 정원"}, format="json")
    assert preview.status_code == 200
    assert set(preview.json()["recipe"]) == {"ingredients", "families", "concentration", "longevity_hours", "season"}
    assert Recipe.objects.count() == 1
    got = api_user.get(f"/api/scents/recipes/{recipe['id']}/").json()
    assert got["id"] == recipe["id"]
    assert abs(sum(got["impact"].values()) - 1) < 1e-3


def test_compose_for_another_users_private_scene_is_a_404(master, api_user, other_user):
    scene = services.scene_create(owner=other_user, description="Private rain", is_private=True)
    response = api_user.post("/api/scents/compose/", {"scene": scene.pk}, format="json")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert api_user.get(f"/api/scents/scenes/{scene.pk}/similar/").status_code == 404
    assert Recipe.objects.count() == 0


def test_feedback_and_similar_scenes(master, api_user, user):
    a = services.scene_create(owner=user, description="Waves crash on a lonely beach at dawn")
    b = services.scene_create(owner=user, description="새벽 외로운 해변에 파도가 부서진다")
    recipe = services.recipe_compose(scene_pk=a.pk, user=user)
    name = recipe.lines.first().ingredient.name
    sent = api_user.post(f"/api/scents/recipes/{recipe.pk}/feedback/", {"rating": 5, "liked": [name]}, format="json")
    assert sent.status_code == 201 and sent.json()["liked"] == [name]
    bad = api_user.post(f"/api/scents/recipes/{recipe.pk}/feedback/", {"rating": 9}, format="json")
    assert bad.status_code == 400
    assert Feedback.objects.count() == 1
    similar = api_user.get(f"/api/scents/scenes/{a.pk}/similar/").json()
    assert similar[0]["id"] == b.pk and "distance" in similar[0]


def test_ingredients_are_read_only(master, api_user):
    listed = api_user.get("/api/scents/ingredients/?family=Citrus").json()
    assert listed["count"] >= 5 and all(r["family"] == "Citrus" for r in listed["results"])
    assert api_user.post("/api/scents/ingredients/", {"name": "x"}, format="json").status_code == 405
