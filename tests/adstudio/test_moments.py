"""From a film's moment to a scent: a shot or a whole moodboard becomes a private scene for the
composer, linked both ways (the recipe page shows the keyframe; the scene shows its recipes)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.adstudio import services
from apps.scents.models import Scene
from apps.scents.moments import Moment, moment_scene_fields
from apps.scents.services import ingredient_master_load, scene_update
from tests.adstudio.factories import analysis_started

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def done(user, media, clips, run_jobs):
    ingredient_master_load()  # transactional tests flush the master the data migration loaded
    path, _ = clips("cuts", 65, seconds=6)
    analysis = analysis_started(user, path)
    run_jobs()
    analysis.refresh_from_db()
    return analysis


def test_a_moment_becomes_the_words_and_fields_of_a_scene():
    fields = moment_scene_fields(
        Moment(
            title="Trailer · shot 3",
            description="A dark, calm scene of 2 shots.",
            notes=("Breath in the cold.",),
            tags=("people", "snow"),
            colours=("navy", "white"),
            light="night",
            moods=("dark", "Eerie"),
            genres=("Thriller", "Science Fiction"),
            plot="A stranger arrives at a frozen station.",
        )
    )
    assert fields["description"] == (
        "A dark, calm scene of 2 shots. Breath in the cold. On screen: people, snow. Colours: navy, white. "
        "At night. A thriller, science fiction film. A stranger arrives at a frozen station."
    )
    assert (fields["genre"], fields["mood"], fields["time_of_day"], fields["weather"]) == (
        "thriller",
        "eerie",
        "night",
        "snow",
    )
    assert moment_scene_fields(Moment(title="x", genres=("Sci-Fi",)))["genre"] == ""  # only known words


def test_a_shot_composes_a_private_scene_linked_both_ways(client_user, done):
    scene = done.scenes.order_by("index").first()
    shot = max(scene.shots.all(), key=lambda s: s.end - s.start)
    page = client_user.get(reverse("adstudio:analysis_detail", args=[done.pk])).content.decode()
    assert reverse("adstudio:shot_scent", args=[shot.pk]) in page

    response = client_user.post(reverse("adstudio:shot_scent", args=[shot.pk]))
    made = Scene.objects.get()
    recipe = made.recipes.get()
    assert response.url == recipe.get_absolute_url()
    assert (made.owner, made.source_shot, made.is_private) == (done.owner, shot, True)
    assert scene.description in made.description and f"shot {shot.index + 1}" in made.title
    recipe_page = client_user.get(recipe.get_absolute_url()).content.decode()
    assert reverse("adstudio:keyframe", args=[shot.pk]) in recipe_page
    assert shot.get_absolute_url() in recipe_page
    page = client_user.get(reverse("adstudio:analysis_detail", args=[done.pk])).content.decode()
    assert recipe.get_absolute_url() in page


def test_nobody_else_composes_from_a_shot_or_sees_where_a_shared_scent_came_from(client, other_user, done):
    shot = done.shots.first()
    client.force_login(other_user)
    assert client.post(reverse("adstudio:shot_scent", args=[shot.pk])).status_code == 404
    assert not Scene.objects.exists()
    recipe = services.shot_scent_compose(owner=done.owner, shot=shot)
    assert client.get(recipe.get_absolute_url()).status_code == 404  # private by default
    scene_update(scene=recipe.scene, user=done.owner, is_private=False)  # shared on purpose
    page = client.get(recipe.get_absolute_url()).content.decode()
    assert reverse("adstudio:keyframe", args=[shot.pk]) not in page  # the keyframe stays private


def test_a_moodboard_becomes_one_blended_recipe(client_user, user, done):
    board = services.moodboard_create(owner=user, title="Cold light", description="For the winter spot.")
    shots = list(done.shots.order_by("index"))
    for k, shot in enumerate(shots):
        services.moodboard_item_add(owner=user, moodboard=board, shot=shot, note=f"note {k} of the board")
    response = client_user.post(reverse("adstudio:moodboard_scent", args=[board.pk]))
    made = Scene.objects.get()
    assert (made.source_moodboard, made.source_shot, made.is_private) == (board, None, True)
    assert response.url == made.recipes.get().get_absolute_url()
    assert "For the winter spot." in made.description
    assert all(f"note {k} of the board" in made.description for k in range(len(shots)))
    recipe_page = client_user.get(response.url).content.decode()
    assert reverse("adstudio:keyframe", args=[shots[0].pk]) in recipe_page and board.title in recipe_page
    board_page = client_user.get(board.get_absolute_url()).content.decode()
    assert response.url in board_page


def test_an_empty_board_composes_nothing_and_says_why(client_user, user, done):
    board = services.moodboard_create(owner=user, title="Nothing yet")
    response = client_user.post(reverse("adstudio:moodboard_scent", args=[board.pk]), follow=True)
    assert "empty: add keyframes first" in response.content.decode()
    assert not Scene.objects.exists()


def test_the_api_composes_from_a_shot_and_a_board_for_their_owner_only(done, other_user):
    api, stranger = APIClient(), APIClient()
    api.force_authenticate(done.owner)
    stranger.force_authenticate(other_user)
    shot = done.shots.first()
    board = services.moodboard_create(owner=done.owner, title="B")
    services.moodboard_item_add(owner=done.owner, moodboard=board, shot=shot)
    for url in (f"/api/adstudio/shots/{shot.pk}/scent/", f"/api/adstudio/moodboards/{board.pk}/scent/"):
        assert stranger.post(url).status_code == 404
        answer = api.post(url)
        assert answer.status_code == 201, answer.content
        body = api.get(answer.json()["recipe_api_url"])
        assert body.status_code == 200
    scene = api.get(f"/api/scents/scenes/{Scene.objects.get(source_shot=shot).pk}/").json()
    assert scene["source"]["kind"] == "shot" and scene["source"]["shot"] == shot.pk
    assert scene["is_private"] is True
