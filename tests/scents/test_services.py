import pytest

from apps.core.errors import ApplicationError
from apps.scents import selectors, services
from apps.scents.models import Feedback, Ingredient, IngredientIncompatibility, Recipe, Scene

from .factories import SceneFactory

pytestmark = pytest.mark.django_db


def test_the_data_migration_loaded_the_whole_master(master):
    assert Ingredient.objects.count() >= 60
    assert IngredientIncompatibility.objects.count() >= 10
    oakmoss = Ingredient.objects.get(name="Oakmoss absolute")
    assert float(oakmoss.max_percent) <= 0.4 and oakmoss.ifra["category"] == 4


def test_a_scene_is_embedded_and_a_recipe_meets_every_constraint(master, user):
    scene = services.scene_create(owner=user, description="Rain on a neon street at night", weather="rain")
    assert len(scene.embedding) == 384
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    lines = list(recipe.lines.select_related("ingredient"))
    assert sum(line.percent for line in lines) == 100
    assert 6 <= len(lines) <= 15
    assert all(line.percent <= line.ingredient.max_percent for line in lines)
    assert 0 < recipe.confidence < 1
    assert recipe.model_version


def test_a_korean_scene_gets_a_recipe_too(master, user):
    scene = services.scene_create(owner=user, description="밤에 네온사인이 비치는 거리에 비가 내린다")
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    assert recipe.lines.count() >= 6


def test_composing_the_same_input_again_returns_the_stored_recipe(master, user):
    scene = services.scene_create(owner=user, description="A bakery at dawn, warm bread and vanilla")
    first = services.recipe_compose(scene_pk=scene.pk, user=user)
    again = services.recipe_compose(scene_pk=scene.pk, user=user)
    assert again.pk == first.pk
    assert Recipe.objects.filter(scene=scene).count() == 1


@pytest.mark.parametrize(
    "description,field",
    [
        ("", "description"),
        ("   ", "description"),
        ("x" * 20000, "description"),
        ("🌧️🌃🕵️‍♂️", "description"),
    ],
)
def test_bad_descriptions_are_refused_and_nothing_is_saved(master, user, description, field):
    with pytest.raises(ApplicationError) as info:
        services.scene_create(owner=user, description=description)
    assert info.value.extra["field"] == field
    assert Scene.objects.count() == 0


def test_an_unknown_genre_is_refused_with_the_choices(master, user):
    with pytest.raises(ApplicationError) as info:
        services.scene_create(owner=user, description="A rose garden", genre="telenovela")
    assert "romance" in info.value.message
    assert Scene.objects.count() == 0


def test_it_refuses_a_recipe_for_another_users_private_scene(master, user, other_user):
    scene = services.scene_create(owner=other_user, description="A secret garden of roses", is_private=True)
    with pytest.raises(ApplicationError) as info:
        services.recipe_compose(scene_pk=scene.pk, user=user)
    assert info.value.status == 404
    assert Recipe.objects.count() == 0
    assert Scene.objects.filter(pk=scene.pk).exists()


def test_similar_scenes_come_nearest_first_and_skip_private_ones(master, user, other_user):
    rain = services.scene_create(owner=user, description="Rain pours over a dark city street at night")
    rain_ko = services.scene_create(owner=user, description="밤에 어두운 도시 거리에 비가 쏟아진다")
    services.scene_create(owner=user, description="Children eat cotton candy at a sunny fair")
    hidden = services.scene_create(
        owner=other_user, description="Rain pours over a dark street at night", is_private=True
    )
    similar = list(selectors.scene_list_similar(scene=rain, limit=5, user=user))
    assert similar[0] == rain_ko
    assert hidden not in similar


def test_feedback_is_one_per_user_and_checks_the_materials(master, user):
    scene = services.scene_create(owner=user, description="Lavender fields in Provence at noon")
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    name = recipe.lines.first().ingredient.name
    services.feedback_submit(recipe=recipe, user=user, rating=2, disliked=[name])
    services.feedback_submit(recipe=recipe, user=user, rating=4, liked=[name], comment="better")
    fb = Feedback.objects.get()
    assert fb.rating == 4 and [i.name for i in fb.liked.all()] == [name]
    with pytest.raises(ApplicationError):
        services.feedback_submit(recipe=recipe, user=user, rating=6)
    with pytest.raises(ApplicationError):
        services.feedback_submit(recipe=recipe, user=user, rating=3, liked=["Not a material"])


def test_feedback_rerank_changes_later_recipes(master, user, other_user, settings, tmp_path):
    settings.MODELS_STORE = _store_copy(settings, tmp_path)
    scene = services.scene_create(owner=user, description="Rain on a neon street at night", is_private=False)
    before = services.recipe_compose(scene_pk=scene.pk, user=user)
    victim = before.lines.order_by("-percent").first().ingredient.name
    for who in (user, other_user):
        services.feedback_submit(recipe=before, user=who, rating=1, disliked=[victim])
    entry = services.preferences_rebuild()
    assert entry["metrics"]["feedback_rows"] == 2
    after = services.recipe_compose(scene_pk=scene.pk, user=user)
    assert after.pk != before.pk
    assert after.model_version != before.model_version
    assert victim not in [line.ingredient.name for line in after.lines.select_related("ingredient")]


def test_production_sheet_weighs_out_the_batch(master, user):
    scene = services.scene_create(owner=user, description="Incense in a stone church")
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    sheet = services.production_sheet(recipe=recipe, volume_ml=100, concentration="eau de parfum")
    assert sheet["concentrate_grams"] == pytest.approx(100 * 0.8 * 0.18)
    assert sum(r["grams"] for r in sheet["rows"]) == pytest.approx(sheet["concentrate_grams"], abs=0.01)
    with pytest.raises(ApplicationError):
        services.production_sheet(recipe=recipe, volume_ml=0)
    with pytest.raises(ApplicationError):
        services.production_sheet(recipe=recipe, volume_ml=50, concentration="body mist")


def test_only_the_owner_edits_or_deletes_a_scene(master, user, other_user):
    scene = services.scene_create(owner=user, description="Snow on a pine forest")
    with pytest.raises(ApplicationError) as info:
        services.scene_update(scene=scene, user=other_user, title="mine now")
    assert info.value.status == 403
    updated = services.scene_update(scene=scene, user=user, description="Snow on a cedar forest")
    assert updated.description == "Snow on a cedar forest"
    with pytest.raises(ApplicationError):
        services.scene_delete(scene=scene, user=other_user)
    services.scene_delete(scene=scene, user=user)
    assert not Scene.objects.exists()


def test_factory_scenes_are_searchable_without_the_encoder(db):
    a, b = SceneFactory(), SceneFactory()
    assert selectors.scene_list_similar(scene=a, limit=3, user=a.owner).count() in (0, 1)
    assert b.embedding is not None


def _store_copy(settings, tmp_path):
    """A private models_store so the preferences written by the test never touch the real one."""
    import shutil

    for item in ("MANIFEST.json", "scents-profile.npz"):
        shutil.copy(settings.MODELS_STORE / item, tmp_path / item)
    return tmp_path
