"""Read caches of the scents pages: visitors' public scene list and the ingredient
master come from the cache the second time (no query at all), and every write that changes what
they show makes the next read fresh at once. Signed-in lists are never cached."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.services import user_make_curator
from apps.scents import services
from apps.scents.models import Ingredient

pytestmark = pytest.mark.django_db


def _cached(client, url) -> str:
    """Read ``url`` twice; the second read must make no query (the whole shared part is cached)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and len(queries) == 0, [q["sql"] for q in queries]
    return response.content.decode()


@pytest.fixture
def curator_client(curator):
    client = Client()
    client.force_login(user_make_curator(user=curator))
    return client


def test_visitors_see_a_scene_shared_created_made_private_or_deleted_at_once(master, client, client_user, user):
    shared = services.scene_create(
        owner=user, title="Harbour fog", description="Fog over a harbour at dawn", is_private=False
    )
    private = services.scene_create(owner=user, title="Attic letters", description="Old letters in a dusty attic")
    visitor = Client()
    page = _cached(visitor, "/scents/")
    assert "Harbour fog" in page and "Attic letters" not in page
    client_user.post(reverse("scents:scene_share", args=[private.pk]), {"shared": "1"})
    assert "Attic letters" in _cached(visitor, "/scents/")
    services.scene_create(owner=user, title="Desert wind", description="Hot wind over desert dunes", is_private=False)
    assert "Desert wind" in _cached(visitor, "/scents/")
    client_user.post(reverse("scents:scene_share", args=[shared.pk]), {"shared": "0"})
    assert "Harbour fog" not in _cached(visitor, "/scents/")
    services.scene_delete(scene=private, user=user)
    assert "Attic letters" not in _cached(visitor, "/scents/")


def test_a_composed_recipe_and_one_deleted_in_the_admin_change_the_count_at_once(master, user, curator_client):
    scene = services.scene_create(
        owner=user, title="Night market", description="Street food at a night market", is_private=False
    )
    visitor = Client()
    assert "<td>0</td>" in _cached(visitor, "/scents/")
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    assert "<td>1</td>" in _cached(visitor, "/scents/")
    response = curator_client.post(reverse("admin:scents_recipe_delete", args=[recipe.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert "<td>0</td>" in _cached(visitor, "/scents/")


def test_signed_in_lists_are_never_cached_nor_shared(master, client_user, user, other_user):
    services.scene_create(owner=user, title="My secret garden", description="A hidden garden after rain")
    _cached(Client(), "/scents/")
    assert "My secret garden" in client_user.get("/scents/").content.decode()
    bob = Client()
    bob.force_login(other_user)
    assert "My secret garden" not in bob.get("/scents/").content.decode()
    assert "My secret garden" not in Client().get("/scents/").content.decode()


def test_an_ingredient_switched_off_in_the_admin_shows_at_once(master, curator_client):
    visitor = Client()
    assert '<tr class="muted">' not in _cached(visitor, "/scents/ingredients/?family=Water")
    calone = Ingredient.objects.get(name="Calone")
    response = curator_client.post(
        reverse("admin:scents_ingredient_changelist"),
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": calone.pk, "_save": "Save"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    calone.refresh_from_db()
    assert not calone.active
    page = _cached(visitor, "/scents/ingredients/?family=Water")
    assert page.count('<tr class="muted">') == 1 and "Calone" in page.split('<tr class="muted">')[1][:300]
