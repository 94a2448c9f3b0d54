"""Scenes and recipes are private unless shared on purpose; user pages speak to users."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.test import Client

from apps.scents import services
from apps.scents.demo import DEMO_USERNAME
from apps.scents.models import Scene
from tests.factories import UserFactory
from tests.scents.factories import SceneFactory

pytestmark = pytest.mark.django_db


def test_a_scene_composed_on_the_page_is_private_unless_the_share_box_is_ticked(master, client_user, other_user):
    client_user.post("/scents/compose/", {"description": "Rain on a neon street at night"})
    client_user.post("/scents/compose/", {"description": "A rose garden in spring", "share": "on"})
    private, shared = Scene.objects.order_by("pk")
    assert private.is_private and not shared.is_private
    form = client_user.get("/scents/compose/").content.decode()
    client = Client()
    client.force_login(other_user)
    recipe = private.recipes.get()
    assert client.get(f"/scents/scenes/{private.pk}/").status_code == 404
    assert client.get(f"/scents/recipes/{recipe.pk}/").status_code == 404
    assert client.get(f"/scents/scenes/{shared.pk}/").status_code == 200
    assert "Share with everyone" in form and 'name="share"' in form and "checked" not in form


def test_a_scene_created_over_the_api_is_private_unless_it_says_otherwise(master, api_user, api_client):
    private = api_user.post("/api/scents/scenes/", {"description": "Incense in a stone church"}, format="json")
    shared = api_user.post(
        "/api/scents/scenes/", {"description": "Incense in a stone church at dusk", "is_private": False}, format="json"
    )
    assert private.json()["is_private"] is True and shared.json()["is_private"] is False
    assert api_client.get(f"/api/scents/scenes/{private.json()['id']}/").status_code == 404
    assert [s["id"] for s in api_client.get("/api/scents/scenes/").json()["results"]] == [shared.json()["id"]]


def test_the_owner_shares_a_scene_and_makes_it_private_again(master, client_user, user, other_user):
    scene = services.scene_create(owner=user, description="Lavender fields at noon")
    page = client_user.get(f"/scents/scenes/{scene.pk}/").content.decode()
    assert "Share with everyone" in page
    client_user.post(f"/scents/scenes/{scene.pk}/share/", {"shared": "1"})
    scene.refresh_from_db()
    assert not scene.is_private
    client = Client()
    client.force_login(other_user)
    assert client.get(f"/scents/scenes/{scene.pk}/").status_code == 200
    assert client.post(f"/scents/scenes/{scene.pk}/share/", {"shared": "0"}).status_code == 302
    scene.refresh_from_db()
    assert not scene.is_private  # only the owner (or a curator) may change it
    client_user.post(f"/scents/scenes/{scene.pk}/share/", {"shared": "0"})
    scene.refresh_from_db()
    assert scene.is_private


def test_new_scenes_in_the_admin_start_private(master):
    assert Scene._meta.get_field("is_private").default is True


def test_the_migration_makes_existing_scenes_private_except_the_demo_accounts(master, user):
    demo = UserFactory(username=DEMO_USERNAME)
    mine = SceneFactory(owner=user, is_private=False)
    published = SceneFactory(owner=demo, is_private=False)
    migration = importlib.import_module("apps.scents.migrations.0008_private_by_default")
    migration.forwards(django_apps, None)
    mine.refresh_from_db()
    published.refresh_from_db()
    assert mine.is_private and not published.is_private


def test_the_recipe_page_speaks_to_users_not_developers(master, client_user, user):
    scene = services.scene_create(owner=user, description="Rain on a neon street at night")
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    html = client_user.get(f"/scents/recipes/{recipe.pk}/").content.decode()
    assert "manage.py" not in html and "scents_feedback_rerank" not in html
    assert "Everyone's ratings are pooled" in html


def test_similar_scenes_say_how_alike_they_are_closest_first(master, client_user, user):
    scene = services.scene_create(owner=user, description="Rain on a neon street at night")
    services.scene_create(owner=user, description="Rain on a neon street at midnight")
    services.scene_create(owner=user, description="A bakery at dawn, warm bread")
    html = client_user.get(f"/scents/scenes/{scene.pk}/").content.decode()
    assert "distance" not in html and "closest first" in html
    shown = [int(x) for x in re.findall(r"(\d+) % alike", html)]
    assert len(shown) == 2 and shown == sorted(shown, reverse=True) and all(0 <= x <= 100 for x in shown)
