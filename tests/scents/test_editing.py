"""Perfumers edit a recipe (limits checked, total kept at 100 %), keep versions and
compare them side by side; through the page, the API and the admin."""

import pytest
from django.test import Client

from apps.scents import selectors, services
from apps.scents.formula import FormulaLine, formula_balance, formula_problems
from apps.scents.models import Ingredient, Recipe

pytestmark = pytest.mark.django_db


@pytest.fixture
def recipe(master, user):
    scene = services.scene_create(owner=user, description="Incense in a stone church at dusk")
    return services.recipe_compose(scene_pk=scene.pk, user=user)


def _lines(recipe):
    return [(line.ingredient.name, str(line.percent)) for line in recipe.lines.all()]


def _ing(name):
    return Ingredient.objects.get(name=name)


def _cap(line):
    return round(line.material.max_percent * 100)


def _as_lines(formula, delta):
    return [
        (x.material.name, f"{(x.units + delta.get(x.material.name, 0)) / 100:.2f}")
        for x in formula
        if x.units + delta.get(x.material.name, 0) > 0
    ]


def _nudge(recipe, step=10):
    """A valid edit: `step` hundredths move from one material to another of the same tier."""
    formula = selectors.recipe_formula(recipe)
    for a in formula:
        for b in formula:
            if a is not b and a.material.tier == b.material.tier and a.units - step >= 10 and b.units + step <= _cap(b):
                return _as_lines(formula, {a.material.name: -step, b.material.name: step})
    raise AssertionError("no two materials of one tier to move a dose between")


def _drop_one(recipe):
    """A valid edit that removes a material and gives its dose to another of the same tier."""
    formula = selectors.recipe_formula(recipe)
    for a in formula:
        for b in formula:
            if a is not b and a.material.tier == b.material.tier and b.units + a.units <= _cap(b):
                return a.material.name, _as_lines(formula, {a.material.name: -a.units, b.material.name: a.units})
    raise AssertionError("no material whose dose another of its tier can take")


def test_changing_one_percentage_scales_the_others_so_the_total_stays_100(recipe):
    formula = selectors.recipe_formula(recipe)
    first = formula[0]
    changed = [FormulaLine(first.material, first.units - 150)] + formula[1:]
    balanced = formula_balance(changed, keep=[first.material.name])
    assert sum(x.units for x in balanced) == 10000
    assert balanced[0].units == first.units - 150
    for before, after in zip(formula[1:], balanced[1:]):
        assert after.units >= before.units  # the others grew to take up what was taken away
        assert after.units <= round(after.material.max_percent * 100)


def test_each_broken_limit_is_named_in_words(master):
    formula = [
        FormulaLine(_ing("Citral"), 300),
        FormulaLine(_ing("Methyl anthranilate"), 200),
        FormulaLine(_ing("Hedione"), 3000),
        FormulaLine(_ing("Iso E Super"), 3000),
    ]
    problems = " ".join(formula_problems(formula, incompatible=selectors.incompatibility_reasons()))
    assert "4 materials (allowed 6-15)" in problems
    assert "Total is 65.0 %, not 100.00 %" in problems
    assert "Citral at 3.00 % is outside 0.1-2.40 %" in problems
    assert "Citral and Methyl anthranilate do not go together: Schiff base formation: discoloration" in problems
    assert "Top tier at 3.0 % is outside 10.0-40.0 %" in problems


def test_saving_an_edit_adds_a_version_and_keeps_the_one_it_was_edited_from(recipe, user):
    before = _lines(recipe)
    lines = _nudge(recipe)
    v2 = services.recipe_version_create(recipe=recipe, user=user, lines=lines, note="more incense")
    other = "eau de cologne" if recipe.concentration != "eau de cologne" else "parfum"
    v3 = services.recipe_version_create(recipe=v2, user=user, lines=lines, concentration=other)
    assert (v2.version, v2.original, v2.parent, v2.note) == (2, recipe, recipe, "more incense")
    assert (v3.version, v3.original, v3.parent, v3.concentration) == (3, recipe, v2, other)
    assert v3.longevity_hours != v2.longevity_hours  # recomputed for the other concentration
    assert _lines(Recipe.objects.get(pk=recipe.pk)) == before
    assert sum(line.percent for line in v2.lines.all()) == 100
    assert [v.pk for v in selectors.recipe_versions(recipe=v3, user=user)] == [recipe.pk, v2.pk, v3.pk]


def test_an_edit_that_breaks_a_limit_is_refused_with_every_problem_and_saves_nothing(recipe, user, api_user):
    lines = _lines(recipe)
    lines[0] = (lines[0][0], "99")
    response = api_user.post(
        f"/api/scents/recipes/{recipe.pk}/versions/",
        {"lines": [{"name": n, "percent": p} for n, p in lines]},
        format="json",
    )
    assert response.status_code == 400
    problems = response.json()["extra"]["problems"]
    assert any("not 100.00 %" in p for p in problems) and any(lines[0][0] in p for p in problems)
    unchanged = api_user.post(
        f"/api/scents/recipes/{recipe.pk}/versions/",
        {"lines": [{"name": n, "percent": p} for n, p in _lines(recipe)]},
        format="json",
    )
    assert unchanged.status_code == 400 and "Nothing changed" in unchanged.json()["detail"]
    unknown = api_user.post(
        f"/api/scents/recipes/{recipe.pk}/versions/",
        {"lines": [{"name": "Unobtainium", "percent": "100"}]},
        format="json",
    )
    assert unknown.status_code == 400 and "Unobtainium" in unknown.json()["detail"]
    assert Recipe.objects.count() == 1


def test_a_version_over_the_api_and_the_versions_list(recipe, api_user):
    created = api_user.post(
        f"/api/scents/recipes/{recipe.pk}/versions/",
        {"lines": [{"name": n, "percent": p} for n, p in _nudge(recipe)], "note": "less base"},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["version"] == 2 and body["original"] == recipe.pk and body["note"] == "less base"
    listed = api_user.get(f"/api/scents/recipes/{recipe.pk}/versions/").json()
    assert [v["version"] for v in listed] == [1, 2]
    compared = api_user.get(f"/api/scents/recipes/{recipe.pk}/compare/{body['id']}/").json()
    assert {r["state"] for r in compared["rows"]} >= {"changed"}
    check = api_user.post(
        "/api/scents/formula/check/", {"lines": [{"name": "Citral", "percent": "3"}]}, format="json"
    ).json()
    assert any("Citral at 3.00 %" in p for p in check["problems"])


def test_only_the_scenes_owner_or_a_curator_edits_its_recipes(recipe, other_user, curator, api_client):
    services.scene_update(scene=recipe.scene, user=recipe.scene.owner, is_private=False)
    api_client.force_authenticate(other_user)
    lines = [{"name": n, "percent": p} for n, p in _lines(recipe)]
    assert (
        api_client.post(f"/api/scents/recipes/{recipe.pk}/versions/", {"lines": lines}, format="json").status_code
        == 403
    )
    page = Client()
    page.force_login(other_user)
    assert page.get(f"/scents/recipes/{recipe.pk}/edit/").status_code == 302
    assert "Edit (new version)" not in page.get(f"/scents/recipes/{recipe.pk}/").content.decode()
    page.force_login(curator)
    assert page.get(f"/scents/recipes/{recipe.pk}/edit/").status_code == 200


def test_the_editor_page_removes_adds_and_saves(recipe, client_user):
    formula = selectors.recipe_formula(recipe)
    posted = {"material": [x.material.pk for x in formula], "percent": [str(x.percent) for x in formula]}
    removed = client_user.post(
        f"/scents/recipes/{recipe.pk}/edit/", {**posted, "drop": formula[-1].material.pk}, HTTP_HX_REQUEST="true"
    )
    html = removed.content.decode()
    assert removed.status_code == 200 and html.startswith('<form method="post"')
    assert f'id="pct-{formula[-1].material.pk}"' not in html and "Total 100.00 %" in html
    extra = (
        Ingredient.objects.filter(tier="heart", active=True)
        .exclude(pk__in=[x.material.pk for x in formula])
        .order_by("name")
        .first()
    )
    added = client_user.post(f"/scents/recipes/{recipe.pk}/edit/", {**posted, "add": extra.pk}, HTTP_HX_REQUEST="true")
    assert f'id="pct-{extra.pk}"' in added.content.decode() and "Total 100.00 %" in added.content.decode()
    broken = client_user.post(
        f"/scents/recipes/{recipe.pk}/edit/", {**posted, "percent": ["abc"] * len(formula), "op": "save"}
    )
    assert broken.status_code == 200 and "is not a number" in broken.content.decode()
    assert Recipe.objects.count() == 1
    names, values = zip(*_nudge(recipe))
    by_name = {x.material.name: x.material.pk for x in formula}
    saved = client_user.post(
        f"/scents/recipes/{recipe.pk}/edit/",
        {"material": [by_name[n] for n in names], "percent": values, "note": "a touch", "op": "save"},
    )
    new = Recipe.objects.get(version=2)
    assert saved.status_code == 302 and saved["Location"] == f"/scents/recipes/{new.pk}/"
    assert new.note == "a touch"


def test_the_compare_page_shows_two_versions_side_by_side(recipe, user, client_user):
    dropped, lines = _drop_one(recipe)
    v2 = services.recipe_version_create(recipe=recipe, user=user, lines=lines)
    html = client_user.get(f"/scents/recipes/{recipe.pk}/compare/{v2.pk}/").content.decode()
    assert "version 1" in html and "version 2" in html and "removed" in html and dropped in html
    detail = client_user.get(f"/scents/recipes/{v2.pk}/").content.decode()
    assert "Versions" in detail and f"/scents/recipes/{recipe.pk}/compare/{v2.pk}/" in detail


def test_curators_see_versions_in_the_admin(recipe, user, client):
    v2 = services.recipe_version_create(recipe=recipe, user=user, lines=_nudge(recipe))
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    listing = client.get("/admin/scents/recipe/").content.decode()
    assert client.get(f"/admin/scents/recipe/{v2.pk}/change/").status_code == 200
    assert "Version" in listing
