import pytest

from apps.scents import services
from apps.scents.models import Scene

pytestmark = pytest.mark.django_db


def test_the_scene_pages_render(master, client_user, user):
    scene = services.scene_create(owner=user, description="Rain on a neon street at night")
    services.scene_create(owner=user, description="밤에 네온 거리에 비가 내린다")
    assert client_user.get("/scents/").status_code == 200
    page = client_user.get(f"/scents/scenes/{scene.pk}/")
    assert page.status_code == 200 and "Similar scenes" in page.content.decode()


def test_compose_form_saves_and_shows_the_recipe_with_its_pyramid(master, client_user):
    response = client_user.post("/scents/compose/", {"description": "A bakery at dawn", "genre": "comedy"}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "confidence" in html and "Production sheet" in html
    assert "By odour impact" in html and "By weight" in html


def test_the_live_preview_explains_errors_without_saving(master, client_user):
    ok = client_user.post("/scents/compose/preview/", {"description": "Rain at night"})
    assert "<svg" in ok.content.decode()
    bad = client_user.post("/scents/compose/preview/", {"description": "🌧️🌃"})
    assert "no words" in bad.content.decode()
    long = client_user.post("/scents/compose/", {"description": "a" * 20000})
    assert "keep it under" in long.content.decode()
    assert not Scene.objects.exists()


def test_production_sheet_and_csv(master, client_user, user):
    scene = services.scene_create(owner=user, description="Incense in a stone church")
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    page = client_user.get(f"/scents/recipes/{recipe.pk}/production/?volume_ml=100&concentration=parfum")
    assert page.status_code == 200 and "Download CSV" in page.content.decode()
    csv_response = client_user.get(
        f"/scents/recipes/{recipe.pk}/production/?volume_ml=100&concentration=parfum&format=csv"
    )
    assert csv_response["Content-Type"].startswith("text/csv")
    body = csv_response.content.decode().splitlines()
    assert body[0].startswith("material,cas") and body[-1].startswith("TOTAL")


def test_feedback_form_and_private_recipe_pages(master, client_user, user, other_user, client):
    scene = services.scene_create(owner=user, description="Lavender fields", is_private=True)
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    name = recipe.lines.first().ingredient.name
    sent = client_user.post(f"/scents/recipes/{recipe.pk}/feedback/", {"rating": 4, "liked": [name]}, follow=True)
    assert "Thank you" in sent.content.decode()
    client.force_login(other_user)
    assert client.get(f"/scents/recipes/{recipe.pk}/").status_code == 404
    assert client.get(f"/scents/scenes/{scene.pk}/").status_code == 404


def test_ingredient_master_page_filters(master, client):
    page = client.get("/scents/ingredients/?family=Water")
    html = page.content.decode()
    assert "Calone" in html and "Vanillin" not in html


def test_curators_manage_the_master_in_the_admin(master, client, user):
    from apps.scents.models import Ingredient

    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    scene = services.scene_create(owner=user, description="Rain at night")
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    for url in (
        "/admin/scents/ingredient/",
        f"/admin/scents/ingredient/{Ingredient.objects.first().pk}/change/",
        "/admin/scents/scene/",
        f"/admin/scents/recipe/{recipe.pk}/change/",
        "/admin/scents/feedback/",
    ):
        assert client.get(url).status_code == 200, url


def test_the_ml_worker_warm_up_loads_the_model(master):
    from apps.scents.engine import engine_get, warm_up

    warm_up()
    assert engine_get().encoder is not None


def test_the_compose_page_renders_for_members_and_sends_visitors_to_log_in(master, client_user):
    from django.test import Client

    page = client_user.get("/scents/compose/")
    assert page.status_code == 200 and "hx-post" in page.content.decode()
    assert Client().get("/scents/compose/").status_code == 302
