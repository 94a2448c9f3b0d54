"""Curators' admin writes go through the scents services: a scene's new words are embedded again (so
similar-scene search finds the scene by what it now says), bad words are a form error; a material is
held to the master's rules, a pair to two different materials, feedback to its recipe's materials,
the five cost tiers are priced, never deleted, and a recipe is deleted by its scene's owner or a curator
only."""

from decimal import Decimal

import numpy as np
import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from apps.accounts.services import user_make_curator
from apps.core.errors import ApplicationError
from apps.scents import services
from apps.scents.models import CostTier, Feedback, Ingredient, IngredientIncompatibility, Recipe, Scene
from tests.scents.test_editing import _nudge

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


def _posted(page, **changes) -> dict:
    """The admin change page's forms as a browser posts them back, with ``changes``."""
    data, forms = {}, [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()}
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False):
                data[form.add_prefix(name)] = "on" if value is True else value
    return data | changes


def test_an_ingredient_ceiling_over_its_ifra_limit_is_a_form_error_in_the_admin_and_nothing_changes(
    curator_client, master
):
    citral = Ingredient.objects.get(name="Citral")  # IFRA: 0.6 % in the product, so 2.4 % of a parfum's concentrate
    url = reverse("admin:scents_ingredient_change", args=[citral.pk])
    response = curator_client.post(url, _posted(curator_client.get(url), max_percent="5.00"))
    assert response.status_code == 200
    assert "Citral: max_percent exceeds the IFRA limit" in " ".join(
        response.context["adminform"].form.non_field_errors()
    )
    citral.refresh_from_db()
    assert citral.max_percent == Decimal("2.40")


def test_an_ingredient_list_edit_the_master_refuses_says_why_and_changes_nothing(curator_client, master):
    Ingredient.objects.filter(name="Citral").update(max_percent=Decimal("5.00"))  # as edited before the rules held
    citral = Ingredient.objects.get(name="Citral")
    response = curator_client.post(
        reverse("admin:scents_ingredient_changelist") + "?q=Citral",
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": citral.pk, "_save": "Save"},
        follow=True,
    )
    assert "Citral: max_percent exceeds the IFRA limit" in response.content.decode()
    citral.refresh_from_db()
    assert citral.active


def test_a_material_declared_incompatible_with_itself_in_the_admin_is_refused(curator_client, master):
    citral = Ingredient.objects.get(name="Citral")
    url = reverse("admin:scents_ingredient_change", args=[citral.pk])
    data = _posted(curator_client.get(url))
    row = int(data["-1-TOTAL_FORMS"])
    data |= {"-1-TOTAL_FORMS": row + 1, f"-1-{row}-first": citral.pk, f"-1-{row}-second": citral.pk}
    response = curator_client.post(url, data | {f"-1-{row}-reason": "none"})
    assert response.status_code == 200
    assert "cannot be incompatible with itself" in " ".join(response.context["adminform"].form.non_field_errors())
    assert not IngredientIncompatibility.objects.filter(first=citral, second=citral).exists()


def test_cost_tiers_are_priced_in_the_admin_never_deleted(curator_client):
    tier = CostTier.objects.get(tier=3)  # the five tiers come with the migrations
    response = curator_client.post(reverse("admin:scents_costtier_delete", args=[tier.pk]), {"post": "yes"})
    assert response.status_code == 403 and CostTier.objects.filter(pk=tier.pk).exists()
    response = curator_client.post(
        reverse("admin:scents_costtier_changelist"),
        {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": tier.pk, "form-0-price_per_kg": "12.50"}
        | {"_save": "Save"},
    )
    assert response.status_code == 302
    tier.refresh_from_db()
    assert tier.price_per_kg == Decimal("12.50")


def test_feedback_liking_a_material_outside_its_recipe_is_a_form_error_in_the_admin(curator_client, master, user):
    scene = services.scene_create(owner=user, description="Lavender fields in Provence at noon")
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    feedback = services.feedback_submit(recipe=recipe, user=user, rating=4)
    stray = Ingredient.objects.exclude(pk__in=recipe.lines.values("ingredient")).first()
    response = curator_client.post(
        reverse("admin:scents_feedback_change", args=[feedback.pk]),
        {"recipe": recipe.pk, "user": user.pk, "rating": 2, "liked": [stray.pk], "comment": ""},
    )
    assert response.status_code == 200
    assert f"Not in this recipe: {stray.name}" in " ".join(response.context["adminform"].form.errors["liked"])
    feedback.refresh_from_db()
    assert feedback.rating == 4 and not feedback.liked.exists()


def test_a_pair_declared_again_in_the_other_order_is_refused_in_the_admin_and_a_pair_may_swap_sides(
    curator_client, master
):
    pair = IngredientIncompatibility.objects.select_related("first", "second").first()
    again = {"first": pair.second_id, "second": pair.first_id, "reason": "again"}
    response = curator_client.post(reverse("admin:scents_ingredientincompatibility_add"), again)
    assert response.status_code == 200
    assert "already declared incompatible" in " ".join(response.context["adminform"].form.errors["second"])
    assert IngredientIncompatibility.objects.filter(first=pair.second, second=pair.first).count() == 0
    response = curator_client.post(reverse("admin:scents_ingredientincompatibility_change", args=[pair.pk]), again)
    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.first_id, pair.second_id, pair.reason) == (again["first"], again["second"], "again")


def test_a_recipe_is_deleted_in_the_admin_by_a_curator_not_by_staff_who_may_only_use_the_admin(
    curator_client, master, user, staff_user
):
    scene = services.scene_create(owner=user, description="Lavender fields in Provence at noon")
    recipe = services.recipe_compose(scene_pk=scene.pk, user=user)
    version = services.recipe_version_create(recipe=recipe, user=user, lines=_nudge(recipe))
    services.feedback_submit(recipe=recipe, user=user, rating=4)
    url = reverse("admin:scents_recipe_delete", args=[recipe.pk])
    staff = Client()  # neither the scene's owner nor a curator, though the admin lets them delete what goes with it
    deleting = ["view_recipe", "delete_recipe", "delete_recipeingredient", "delete_feedback"]
    staff_user.user_permissions.add(*Permission.objects.filter(content_type__app_label="scents", codename__in=deleting))
    staff.force_login(staff_user)
    assert staff.post(url, {"post": "yes"}).status_code == 403
    assert Recipe.objects.filter(pk=recipe.pk).exists()
    assert curator_client.post(url, {"post": "yes"}).status_code == 302
    assert not Recipe.objects.filter(pk__in=[recipe.pk, version.pk]).exists() and not Feedback.objects.exists()


def test_the_scenes_owner_may_delete_its_recipes_and_nobody_else(master, user, other_user):
    scene = services.scene_create(owner=user, description="Lavender fields in Provence at noon", is_private=False)
    recipe = services.recipe_compose(scene_pk=scene.pk, user=other_user)  # a public scene: anyone composes
    with pytest.raises(ApplicationError, match="owner \\(or a curator\\) may edit its recipes") as refused:
        services.recipe_delete(recipe=recipe, user=other_user)
    assert refused.value.status == 403 and Recipe.objects.filter(pk=recipe.pk).exists()
    services.recipe_delete(recipe=recipe, user=user)
    assert not Recipe.objects.filter(pk=recipe.pk).exists()
