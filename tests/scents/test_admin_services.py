"""Curators' scene edits in the admin go through the scene services: new words are embedded again
(so similar-scene search finds the scene by what it now says), bad words are a form error."""

import numpy as np
import pytest
from django.urls import reverse

from apps.accounts.services import user_make_curator
from apps.scents import services
from apps.scents.models import Scene

pytestmark = pytest.mark.django_db

NEW_WORDS = "A bakery at dawn, warm bread and vanilla"


@pytest.fixture
def curator_client(client, curator):
    client.force_login(user_make_curator(user=curator))
    return client


def _form(scene: Scene, **changes) -> dict:
    fields = ("title", "description", "genre", "mood", "time_of_day", "weather", "season", "place")
    return {**{k: getattr(scene, k) for k in fields}, "owner": scene.owner_id, "is_private": "on", **changes}


def test_a_scene_whose_words_a_curator_changes_in_the_admin_is_embedded_again(curator_client, user):
    scene = services.scene_create(owner=user, description="Rain on a neon street at night", weather="rain")
    response = curator_client.post(
        reverse("admin:scents_scene_change", args=[scene.pk]), _form(scene, description=NEW_WORDS, weather="")
    )
    assert response.status_code == 302
    same_words = services.scene_create(owner=user, description=NEW_WORDS)
    scene.refresh_from_db()
    assert scene.description == NEW_WORDS
    assert np.allclose(scene.embedding, same_words.embedding, atol=1e-5)


def test_a_scene_added_in_the_admin_is_embedded(curator_client, user):
    response = curator_client.post(
        reverse("admin:scents_scene_add"), _form(Scene(title="Dawn", description=NEW_WORDS, owner=user))
    )
    assert response.status_code == 302
    scene = Scene.objects.get(title="Dawn")
    assert scene.owner == user and scene.embedding is not None and scene.embedding_model


def test_word_less_scene_text_is_a_form_error_in_the_admin_and_nothing_changes(curator_client, user):
    scene = services.scene_create(owner=user, description="Rain on a neon street at night")
    before = np.array(scene.embedding)
    response = curator_client.post(
        reverse("admin:scents_scene_change", args=[scene.pk]), _form(scene, description="!!! ???")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["description"]
    scene.refresh_from_db()
    assert scene.description == "Rain on a neon street at night" and np.allclose(scene.embedding, before)
